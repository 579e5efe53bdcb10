// "Send a stanza": hand-written XML sent as it is, for probing a peer's stack.
// It must be one well-formed stanza; an IQ get or set waits for its answer,
// which is shown. Nothing typed here can end the connection: anything that is
// not a single <iq/>, <message/> or <presence/> is refused before it goes.
import { parseStanza } from '../call/signalling.ts';
import type { Element } from '../jingle/xml.ts';

export interface ProbeConnection {
  send(stanza: Element): Promise<void>;
  request(iq: Element, timeoutMs?: number): Promise<Element>;
}

export type ProbeOutcome =
  | { kind: 'refused'; message: string }
  | { kind: 'sent'; message: string }
  | { kind: 'answered'; message: string; reply: string }
  | { kind: 'failed'; message: string };

const REPLY_DEADLINE_MS = 10_000;

export async function sendProbe(connection: ProbeConnection | undefined, text: string): Promise<ProbeOutcome> {
  if (!connection) return { kind: 'refused', message: 'Not connected: log in first.' };
  if (!text.trim()) return { kind: 'refused', message: 'Write a stanza first, for example <iq type="get" to="…"><query xmlns="jabber:iq:version"/></iq>.' };
  const stanza = parseStanza(text);
  if (typeof stanza === 'string') return { kind: 'refused', message: `${stanza}. Nothing was sent.` };
  const type = stanza.attrs.type;
  if (stanza.name === 'iq' && type !== 'get' && type !== 'set' && type !== 'result' && type !== 'error') {
    return { kind: 'refused', message: 'An <iq/> needs type="get" or "set" (or "result", "error"). Nothing was sent.' };
  }
  try {
    if (stanza.name === 'iq' && (type === 'get' || type === 'set')) {
      const reply = await connection.request(stanza, REPLY_DEADLINE_MS);
      return { kind: 'answered', message: 'Answered with a result.', reply: reply.toString() };
    }
    await connection.send(stanza);
    return { kind: 'sent', message: `Sent the <${stanza.name}/>.` };
  } catch (err) {
    const e = err as { condition?: string; application?: string; message?: string };
    if (e.condition === 'remote-server-timeout') return { kind: 'failed', message: 'No answer came in 10 s.' };
    if (e.condition) return { kind: 'failed', message: `Answered with an error: ${e.condition}${e.application ? ` (${e.application})` : ''}.` };
    return { kind: 'failed', message: `Could not send it: ${e.message ?? String(err)}.` };
  }
}
