// What the call layer needs of the XMPP connection; tests hand in a fake.
import { type Element, type Jingle, jingleElement, parseXml, xml } from '../jingle/index.ts';

export interface Signalling {
  readonly jid: string;
  /** `patient`: may wait minutes for a stream that is down (the end of a call). */
  send(stanza: Element, options?: { patient?: boolean }): Promise<void>;
  request(iq: Element, timeoutMs?: number, options?: { patient?: boolean }): Promise<Element>;
  handleIqSet(xmlns: string, name: string, handler: (iq: Element) => Element | true): void;
  /** Messages and presences (IQs go to handleIqSet). */
  on(event: 'stanza', listener: (stanza: Element) => void): () => void;
  /** A new session under the same resource, after the stream could not resume. */
  on(event: 'rebound', listener: () => void): () => void;
}

export const jingleIq = (to: string, jingle: Jingle): Element => xml('iq', { type: 'set', to }, jingleElement(jingle));

/** Parses hand-written XML into a stanza, or says why it is not one. */
export function parseStanza(text: string): Element | string {
  try {
    const el = parseXml(text.trim());
    return ['iq', 'message', 'presence'].includes(el.name) ? el : `<${el.name}/> is not a stanza (iq, message or presence)`;
  } catch (err) {
    return `Not well-formed XML: ${(err as Error).message}`;
  }
}
