// XEP-0092 Software Version 1.1: what client a peer runs, for the inspector's
// summary, and our own answer to the same question.
import { type Connection, type Element, xml } from './connection.ts';

export const NS_VERSION = 'jabber:iq:version';

export interface SoftwareVersion {
  name: string;
  version?: string;
  os?: string;
}

/** Answers every jabber:iq:version get with our name and version (XEP-0092 §2; the OS is left out, §4). */
export function answerVersionQueries(connection: Connection, ours: SoftwareVersion): void {
  connection.handleIqGet(NS_VERSION, 'query', () =>
    xml('query', { xmlns: NS_VERSION }, xml('name', {}, ours.name), ...(ours.version ? [xml('version', {}, ours.version)] : [])),
  );
}

export function readVersion(query: Element | undefined): SoftwareVersion | undefined {
  const name = query?.getChildText('name')?.trim();
  if (!query || !name) return undefined;
  const version = query.getChildText('version')?.trim();
  const os = query.getChildText('os')?.trim();
  return { name: name.slice(0, 200), ...(version ? { version: version.slice(0, 100) } : {}), ...(os ? { os: os.slice(0, 100) } : {}) };
}

/** Asks a device what it runs; undefined when it does not say (an error, no answer in time). */
export async function askVersion(connection: Connection, jid: string, timeoutMs = 5000): Promise<SoftwareVersion | undefined> {
  try {
    const reply = await connection.request(xml('iq', { type: 'get', to: jid }, xml('query', { xmlns: NS_VERSION })), timeoutMs);
    return readVersion(reply.getChild('query', NS_VERSION));
  } catch {
    return undefined;
  }
}
