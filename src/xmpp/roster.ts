// RFC 6121 roster and presence: who our contacts are and which of their devices are online.
import { type Connection, type Element, xml } from './connection.ts';
import { bareJid, parseJid } from './jid.ts';

const NS_ROSTER = 'jabber:iq:roster';

export type Show = 'available' | 'away' | 'chat' | 'dnd' | 'xa';

export interface ResourcePresence {
  /** The full JID of this device. */
  jid: string;
  show: Show;
  status?: string;
  priority: number;
  /** Order of arrival: a device that spoke last is likelier to be there. */
  seen: number;
}

export interface Contact {
  jid: string;
  name: string;
  subscription: string;
  resources: ResourcePresence[];
}

export interface Roster {
  readonly contacts: readonly Contact[];
  /** Loads the roster, then announces our presence with these children (caps). */
  start(presenceChildren?: Element[]): Promise<void>;
  onChange(listener: () => void): () => void;
}

const SHOW_RANK: Record<Show, number> = { chat: 0, available: 1, away: 2, xa: 3, dnd: 4 };

function readItem(item: Element): Contact | undefined {
  const jid = parseJid(item.attrs.jid ?? '');
  if (!jid || jid.resource) return undefined;
  return {
    jid: jid.bare,
    name: (item.attrs.name ?? '').trim() || jid.local || jid.bare,
    subscription: item.attrs.subscription ?? 'none',
    resources: [],
  };
}

export function createRoster(connection: Connection): Roster {
  const contacts = new Map<string, Contact>();
  const presences = new Map<string, Map<string, ResourcePresence>>();
  const listeners = new Set<() => void>();
  let arrivals = 0;
  const changed = () => {
    for (const listener of listeners) listener();
  };

  function applyItems(query: Element | undefined) {
    for (const item of query?.getChildren('item') ?? []) {
      const contact = readItem(item);
      if (!contact) continue;
      if (contact.subscription === 'remove') contacts.delete(contact.jid);
      else contacts.set(contact.jid, contact);
    }
    changed();
  }

  // RFC 6121 §2.1.6: roster pushes come from our own account only.
  connection.handleIqSet(NS_ROSTER, 'query', (iq) => {
    const from = iq.attrs.from;
    if (from && bareJid(from) !== bareJid(connection.jid)) return xml('error', { type: 'cancel' }, xml('service-unavailable', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }));
    applyItems(iq.getChild('query', NS_ROSTER));
    return true;
  });

  connection.on('stanza', (stanza) => {
    if (stanza.name !== 'presence') return;
    const from = stanza.attrs.from;
    const address = from ? parseJid(from) : undefined;
    if (!address?.resource) return;
    const type = stanza.attrs.type;
    if (type && type !== 'unavailable') return;
    const devices = presences.get(address.bare) ?? new Map<string, ResourcePresence>();
    presences.set(address.bare, devices);
    if (type === 'unavailable') {
      devices.delete(address.resource);
    } else {
      const show = stanza.getChildText('show')?.trim() as Show | undefined;
      const priority = Number.parseInt(stanza.getChildText('priority') ?? '0', 10);
      const status = stanza.getChildText('status')?.trim();
      devices.set(address.resource, {
        jid: address.full,
        show: show && show in SHOW_RANK ? show : 'available',
        ...(status ? { status: status.slice(0, 500) } : {}),
        priority: Number.isFinite(priority) ? priority : 0,
        seen: ++arrivals,
      });
    }
    changed();
  });

  const sortedResources = (jid: string): ResourcePresence[] =>
    [...(presences.get(jid)?.values() ?? [])].sort(
      (a, b) => b.priority - a.priority || SHOW_RANK[a.show] - SHOW_RANK[b.show] || b.seen - a.seen,
    );

  return {
    get contacts() {
      return [...contacts.values()]
        .filter((c) => c.jid !== bareJid(connection.jid))
        .map((c) => ({ ...c, resources: sortedResources(c.jid) }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    async start(presenceChildren = []) {
      // After a session the server forgot, devices come back with their presence.
      presences.clear();
      const result = await connection.request(xml('iq', { type: 'get' }, xml('query', { xmlns: NS_ROSTER })));
      applyItems(result.getChild('query', NS_ROSTER));
      await connection.send(xml('presence', {}, presenceChildren));
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
