// The one module of the Jingle layer that imports the XML library.
import { Element, Parser, xml } from '@xmpp/xml';

export { Element, xml };
export type { Attrs } from '@xmpp/xml';

/** Parses one XML document into an element (for vectors and fixtures). */
export function parseXml(text: string): Element {
  const parser = new Parser();
  let root: Element | undefined;
  let failure: Error | undefined;
  /** How many children the root had as it closed: anything after it is a second document. */
  let closedWith: number | undefined;
  parser.on('start', (el) => {
    root = el;
  });
  parser.on('element', (el) => {
    if (closedWith !== undefined) failure ??= new Error('more than one element: give one at a time');
    root?.append(el);
  });
  parser.on('end', (el) => {
    closedWith = el.children.length;
  });
  parser.on('error', (err) => {
    failure = err;
  });
  parser.write(text);
  parser.end();
  // Text after the last '>' is never emitted by the parser: looked for here.
  const trailing = !/>\s*$/.test(text) || (closedWith !== undefined && root !== undefined && root.children.slice(closedWith).some((c) => typeof c !== 'string' || c.trim()));
  if (!failure && root && trailing) {
    failure = new Error('text after the element: give one element alone');
  }
  if (!failure && root && closedWith === undefined) failure = new Error(`${root.name} must be closed.`);
  if (failure) throw failure;
  if (!root) throw new Error('no XML element in input');
  return root;
}
