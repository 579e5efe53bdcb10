// RFC 6121 roster and presence: who our contacts are, which of their devices
// are online, who asks to see our presence, and the presence we announce.
import { type Connection, type Element, IqError, xml } from './connection.ts';
import { bareJid, parseJid } from './jid.ts';

const NS_ROSTER = 'jabber:iq:roster';
const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';

export type Show = 'available' | 'away' | 'chat' | 'dnd' | 'xa';
/** The presence a user of this app picks for themselves. */
export type OwnShow = 'available' | 'away' | 'dnd';

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
  /**
   * The contacts by name, each with its devices best first. The same array
   * while nothing changed; when one contact's presence changes, a new array in
   * which only that contact is a new object, so a list redraws only its row.
   */
  readonly contacts: readonly Contact[];
  /** Bare JIDs that asked to see our presence and are not answered yet, in order of asking (the same array while unchanged). */
  readonly requests: readonly string[];
  /** Loads the roster, then announces our presence with these children (caps), kept for later presence. */
  start(presenceChildren?: Element[]): Promise<void>;
  /** Adds a contact and asks to see their presence; rejects with IqError when the server refuses. */
  add(jid: string, name?: string): Promise<void>;
  /** Lets a contact see our presence, and asks to see theirs where we cannot yet. */
  approve(jid: string): Promise<void>;
  deny(jid: string): Promise<void>;
  /** Announces our presence anew, with the children given to start() or setPresenceChildren(). */
  setPresence(show: OwnShow, status: string): Promise<void>;
  /** Replaces the children (caps, avatar hash) of the presence we send next; sends nothing. */
  setPresenceChildren(children: Element[]): void;
  /** Hears changes to contacts, their presence and the requests. */
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

/** An address we can write to, as a bare JID; rejects what is none as the server would (RFC 6120 §8.3.3.8). */
function bareAddress(jid: string): string {
  const address = parseJid(jid);
  if (!address) throw new IqError('jid-malformed', undefined, `not a JID: ${jid}`);
  return address.bare;
}

export function createRoster(connection: Connection): Roster {
  const contacts = new Map<string, Contact>();
  const presences = new Map<string, Map<string, ResourcePresence>>();
  const requests = new Set<string>();
  const listeners = new Set<() => void>();
  /** The contacts as last handed out; undefined once the roster's items changed. */
  let list: Contact[] | undefined;
  /** Where each contact stands in `list`. */
  let position = new Map<string, number>();
  /** Contacts whose devices changed since `list` was made. */
  const moved = new Set<string>();
  let requestList: readonly string[] | undefined;
  let arrivals = 0;
  let presenceChildren: Element[] = [];
  let own: { show: OwnShow; status: string } = { show: 'available', status: '' };
  const changed = () => {
    requestList = undefined;
    for (const listener of listeners) listener();
  };

  function applyItems(query: Element | undefined) {
    for (const item of query?.getChildren('item') ?? []) {
      const contact = readItem(item);
      if (!contact) continue;
      if (contact.subscription === 'remove') contacts.delete(contact.jid);
      else contacts.set(contact.jid, contact);
      list = undefined;
      // They see our presence now: the request was answered, from another of our devices.
      if (contact.subscription === 'from' || contact.subscription === 'both') requests.delete(contact.jid);
    }
    changed();
  }

  // RFC 6121 §2.1.6: a client ignores a roster push unless it has no 'from' or
  // that 'from' is the user's bare JID; our own server (its domain) is trusted too.
  const fromOurServer = (from: string | undefined) => {
    if (!from) return true;
    const ours = parseJid(connection.jid);
    const sender = parseJid(from);
    return Boolean(ours && sender && !sender.resource && (sender.full === ours.bare || sender.full === ours.domain));
  };
  connection.handleIqSet(NS_ROSTER, 'query', (iq) => {
    if (!fromOurServer(iq.attrs.from)) return xml('error', { type: 'cancel' }, xml('service-unavailable', { xmlns: NS_STANZAS }));
    applyItems(iq.getChild('query', NS_ROSTER));
    return true;
  });

  // RFC 6121 §3.1.3: a subscription request waits for the user’s answer; §3.3:
  // one withdrawn (an unsubscribe) before the answer needs none.
  function readRequest(stanza: Element, type: 'subscribe' | 'unsubscribe') {
    const from = parseJid(stanza.attrs.from ?? '');
    if (!from || from.bare === bareJid(connection.jid)) return;
    const had = requests.has(from.bare);
    if (type === 'subscribe') requests.add(from.bare);
    else requests.delete(from.bare);
    if (had !== requests.has(from.bare)) changed();
  }

  const answered = (bare: string) => {
    if (requests.delete(bare)) changed();
  };

  const ownPresence = () =>
    xml('presence', {}, own.show === 'available' ? null : xml('show', {}, own.show), own.status ? xml('status', {}, own.status) : null, ...presenceChildren);

  connection.on('stanza', (stanza) => {
    if (stanza.name !== 'presence') return;
    if (stanza.attrs.type === 'subscribe' || stanza.attrs.type === 'unsubscribe') return readRequest(stanza, stanza.attrs.type);
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
    moved.add(address.bare);
    changed();
  });

  const sortedResources = (jid: string): ResourcePresence[] =>
    [...(presences.get(jid)?.values() ?? [])].sort(
      (a, b) => b.priority - a.priority || SHOW_RANK[a.show] - SHOW_RANK[b.show] || b.seen - a.seen,
    );

  const withDevices = (c: Contact): Contact => ({ ...c, resources: sortedResources(c.jid) });
  // The order of localeCompare, at a fraction of its cost over thousands of names.
  const byName = new Intl.Collator().compare;

  /** All contacts anew: after the roster's items changed. */
  function rebuild(): Contact[] {
    const own = bareJid(connection.jid);
    const sorted = [...contacts.values()].filter((c) => c.jid !== own).map(withDevices).sort((a, b) => byName(a.name, b.name));
    position = new Map(sorted.map((c, i) => [c.jid, i]));
    return sorted;
  }

  return {
    get contacts() {
      if (!list) {
        list = rebuild();
      } else if (moved.size) {
        // Presence changes neither names nor order: only those contacts are new.
        const at = [...moved].map((jid) => position.get(jid)).filter((i): i is number => i !== undefined);
        if (at.length) {
          list = [...list];
          for (const i of at) list[i] = withDevices(list[i]!);
        }
      }
      moved.clear();
      return list;
    },
    get requests() {
      return (requestList ??= [...requests]);
    },
    async start(children = []) {
      // After a session the server forgot, devices come back with their presence
      // and, RFC 6121 §3.1.3, the server delivers unanswered requests again.
      presences.clear();
      requests.clear();
      requestList = undefined;
      list = undefined;
      presenceChildren = children;
      const result = await connection.request(xml('iq', { type: 'get' }, xml('query', { xmlns: NS_ROSTER })));
      applyItems(result.getChild('query', NS_ROSTER));
      await connection.send(ownPresence());
    },
    async add(jid, name) {
      const bare = bareAddress(jid);
      const named = name?.trim();
      // RFC 6121 §2.3: the roster set; §3.1.1: then the subscription request.
      await connection.request(xml('iq', { type: 'set' }, xml('query', { xmlns: NS_ROSTER }, xml('item', { jid: bare, name: named || undefined }))));
      await connection.send(xml('presence', { to: bare, type: 'subscribe' }));
    },
    async approve(jid) {
      const bare = bareAddress(jid);
      // RFC 6121 §3.1.4: approving is a subscribed.
      await connection.send(xml('presence', { to: bare, type: 'subscribed' }));
      answered(bare);
      // Calls ring only between contacts who see each other ('both'): ask back where we do not see them yet.
      const subscription = contacts.get(bare)?.subscription;
      if (subscription !== 'to' && subscription !== 'both') await connection.send(xml('presence', { to: bare, type: 'subscribe' }));
    },
    async deny(jid) {
      const bare = bareAddress(jid);
      // RFC 6121 §3.1.4: a refusal is an unsubscribed.
      await connection.send(xml('presence', { to: bare, type: 'unsubscribed' }));
      answered(bare);
    },
    async setPresence(show, status) {
      own = { show, status: status.trim() };
      await connection.send(ownPresence());
    },
    setPresenceChildren(children) {
      presenceChildren = children;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
