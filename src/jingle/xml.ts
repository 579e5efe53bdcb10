// The one module of the Jingle layer that imports the XML library.
import { Element, Parser, xml } from '@xmpp/xml';

export { Element, xml };
export type { Attrs } from '@xmpp/xml';

/** Parses one XML document into an element (for vectors and fixtures). */
export function parseXml(text: string): Element {
  const parser = new Parser();
  let root: Element | undefined;
  let failure: Error | undefined;
  parser.on('start', (el) => {
    root = el;
  });
  parser.on('element', (el) => {
    root?.append(el);
  });
  parser.on('error', (err) => {
    failure = err;
  });
  parser.write(text);
  parser.end();
  if (failure) throw failure;
  if (!root) throw new Error('no XML element in input');
  return root;
}
