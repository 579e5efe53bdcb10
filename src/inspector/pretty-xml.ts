// A stanza pretty-printed for reading: one line per element, children
// indented, each piece tagged with what it is so the view can colour it
// without ever writing markup from the network as HTML.
import { type Element, parseXml } from '../jingle/xml.ts';

export interface XmlToken {
  kind: 'tag' | 'attr' | 'value' | 'text' | 'punct';
  text: string;
}

const escapeText = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeValue = (t: string) => escapeText(t).replace(/"/g, '&quot;');

function open(el: Element, close: boolean): XmlToken[] {
  const tokens: XmlToken[] = [{ kind: 'punct', text: '<' }, { kind: 'tag', text: el.name }];
  for (const [name, value] of Object.entries(el.attrs)) {
    if (value === undefined || value === null) continue;
    tokens.push({ kind: 'attr', text: ` ${name}` }, { kind: 'punct', text: '="' }, { kind: 'value', text: escapeValue(String(value)) }, { kind: 'punct', text: '"' });
  }
  tokens.push({ kind: 'punct', text: close ? '/>' : '>' });
  return tokens;
}

const closing = (el: Element): XmlToken[] => [{ kind: 'punct', text: '</' }, { kind: 'tag', text: el.name }, { kind: 'punct', text: '>' }];

function lines(el: Element, depth: number, out: XmlToken[][]): void {
  const indent: XmlToken[] = depth ? [{ kind: 'text', text: '  '.repeat(depth) }] : [];
  const children = el.children.filter((c) => typeof c !== 'string' || c.trim());
  if (children.length === 0) {
    out.push([...indent, ...open(el, true)]);
    return;
  }
  if (children.every((c) => typeof c === 'string')) {
    out.push([...indent, ...open(el, false), { kind: 'text', text: escapeText(children.join('').trim()) }, ...closing(el)]);
    return;
  }
  out.push([...indent, ...open(el, false)]);
  for (const child of children) {
    if (typeof child === 'string') out.push([...indent, { kind: 'text', text: `  ${escapeText(child.trim())}` }]);
    else lines(child, depth + 1, out);
  }
  out.push([...indent, ...closing(el)]);
}

/** The stanza as indented lines of tokens; XML that does not parse comes back as it is, on one line. */
export function prettyXml(xml: string): XmlToken[][] {
  try {
    const out: XmlToken[][] = [];
    lines(parseXml(xml), 0, out);
    return out;
  } catch {
    return [[{ kind: 'text', text: xml }]];
  }
}

/** The same as plain text, for "Copy". */
export function prettyXmlText(xml: string): string {
  return prettyXml(xml)
    .map((line) => line.map((t) => t.text).join(''))
    .join('\n');
}
