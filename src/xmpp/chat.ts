// One-to-one chat beside the calls: what was said with each contact, in time
// order, from live messages, our other devices and the server's archive.
// XEP-0184 1.4.0 Message Delivery Receipts; XEP-0359 0.7.0 Unique and Stable
// Stanza IDs; XEP-0280 1.0.1 Message Carbons; XEP-0203 Delayed Delivery;
// XEP-0297 Stanza Forwarding. The archive (XEP-0313) is asked in chat-archive.ts.
import { createArchive, readForwarded, stampOf } from './chat-archive.ts';
import { type Connection, type Element, xml } from './connection.ts';
import { bareJid, parseJid } from './jid.ts';

const NS = {
  receipts: 'urn:xmpp:receipts',
  sid: 'urn:xmpp:sid:0',
  carbons: 'urn:xmpp:carbons:2',
} as const;

export type DeliveryState = 'sending' | 'sent' | 'delivered' | 'failed';

export interface ChatEntry {
  /** Unique within its conversation: a key for the UI. */
  id: string;
  direction: 'in' | 'out';
  /** Plain text: markup in it is shown as text. */
  body: string;
  /** When it was sent or received, in ms since the epoch. */
  at: number;
  /** Ours only. */
  state?: DeliveryState;
  /** Known from the server's archive rather than seen live. */
  fromArchive?: boolean;
}

/** What chat needs of the connection (a Connection is one). */
export type ChatConnection = Pick<Connection, 'jid' | 'send' | 'request'> & {
  on(event: 'stanza', listener: (stanza: Element) => void): () => void;
  on(event: 'rebound', listener: () => void): () => void;
};

export interface ChatOptions {
  clock?: { now(): number };
  /** Ids of our messages, receipts and archive queries; random by default. */
  newId?: () => string;
  /** Whether this bare JID may learn that its message reached us; all may by default. */
  isTrusted?: (bare: string) => boolean;
}

export interface HistoryPage {
  /** Entries new to the conversation: what was already shown is not shown twice. */
  added: number;
  /** There is nothing older in the archive. */
  complete: boolean;
}

export interface Chat {
  /** The entries with this contact (any JID of it), oldest first. */
  conversation(jid: string): readonly ChatEntry[];
  /** Resolves with the entry once the server has it or it could not be sent: its state says which. */
  send(jid: string, body: string): Promise<ChatEntry>;
  /** Merges the latest page of the archive with this contact; rejects with IqError. */
  loadHistory(jid: string): Promise<HistoryPage>;
  /** Told the bare JID whose conversation changed. */
  onChange(listener: (bare: string) => void): () => void;
}

/** Longer bodies are cut, with an ellipsis, to this many characters. */
export const MAX_BODY_LENGTH = 10_000;
const MAX_ID_LENGTH = 256;

/** Where each state may go: a delivered message stays delivered, whatever comes late. */
const NEXT: Record<DeliveryState, readonly DeliveryState[]> = {
  sending: ['sent', 'delivered', 'failed'],
  // An error bounced back from the contact's server (RFC 6120 §8.3).
  sent: ['delivered', 'failed'],
  // A receipt, the archive or a copy from our server shows that it went after all.
  failed: ['sent', 'delivered'],
  delivered: [],
};

/** The ids a message is known by, strongest first (XEP-0359). */
const ID_KINDS = ['stanzaId', 'originId', 'messageId'] as const;
type Ids = { [K in (typeof ID_KINDS)[number]]?: string | undefined };

type Outcome = 'added' | 'updated' | 'known';

/** `seq` is the order of arrival: XEP-0313 §3.1, messages may share a timestamp. */
interface Stored {
  entry: ChatEntry;
  ids: Ids;
  seq: number;
}

/** A message as read from the wire, before it is an entry. */
interface Reading {
  contact: string;
  direction: 'in' | 'out';
  body?: string;
  /** The id of our message that this one acknowledges (XEP-0184). */
  receiptOf?: string | undefined;
  ids: Ids;
  at: number;
}

/**
 * Two sightings are one message when the strongest id both carry is equal:
 * two different stanza-ids are two messages, even with the same message id
 * (which clients reuse).
 */
function sameMessage(a: Ids, b: Ids): boolean {
  for (const kind of ID_KINDS) if (a[kind] && b[kind]) return a[kind] === b[kind];
  return false;
}

const usableId = (id: string | undefined): string | undefined => (id && id.length <= MAX_ID_LENGTH ? id : undefined);

function cut(body: string): string {
  if (body.length <= MAX_BODY_LENGTH) return body;
  // Not half of a surrogate pair (an emoji) before the ellipsis.
  const head = body.slice(0, MAX_BODY_LENGTH - 1).replace(/[\uD800-\uDBFF]$/, '');
  return `${head}…`;
}

/** Reads a one-to-one message between us (the bare JID `own`) and a contact. */
function readMessage(message: Element, own: string, at: number): Reading | undefined {
  const type = message.attrs.type ?? 'normal';
  // Not groupchat, headline (notifications) or error.
  if (type !== 'chat' && type !== 'normal') return undefined;
  // RFC 6120 §8.1.2.1: no 'from' is our own account.
  const from = message.attrs.from ? parseJid(message.attrs.from)?.bare : own;
  const to = message.attrs.to ? parseJid(message.attrs.to)?.bare : own;
  if (!from || !to) return undefined;
  const direction = from === own ? 'out' : 'in';
  const contact = direction === 'out' ? to : from;
  // Notes to self are no conversation here.
  if (contact === own) return undefined;
  const body = message.getChildText('body');
  // XEP-0313 §3.5: our archive's id is the stanza-id by our bare JID; another 'by' is not ours to trust.
  const stanzaId = message.getChildren('stanza-id', NS.sid).find((s) => parseJid(s.attrs.by ?? '')?.full === own)?.attrs.id;
  return {
    contact,
    direction,
    ...(body?.trim() ? { body: cut(body) } : {}),
    receiptOf: usableId(message.getChild('received', NS.receipts)?.attrs.id),
    ids: { stanzaId: usableId(stanzaId), originId: usableId(message.getChild('origin-id', NS.sid)?.attrs.id), messageId: usableId(message.attrs.id) },
    at,
  };
}

// XEP-0184 §5.1: to a bare JID, a receipt may be asked for but not counted on.
const chatMessage = (to: string, id: string, body: string): Element =>
  xml('message', { type: 'chat', to, id }, xml('body', {}, body), xml('request', { xmlns: NS.receipts }), xml('origin-id', { xmlns: NS.sid, id }));

export function createChat(connection: ChatConnection, options: ChatOptions = {}): Chat {
  const clock = options.clock ?? { now: () => Date.now() };
  const newId = options.newId ?? (() => crypto.randomUUID());
  const isTrusted = options.isTrusted ?? (() => true);
  const conversations = new Map<string, Stored[]>();
  const listeners = new Set<(bare: string) => void>();
  /** Contacts whose history was loaded: loaded again after a session that could not resume. */
  const loaded = new Set<string>();
  let arrivals = 0;

  const own = () => parseJid(connection.jid)?.bare ?? connection.jid;
  // RFC 6120 §8.1.2.1: what our server sends on behalf of our account has our bare JID or no 'from'.
  const fromOwnAccount = (stanza: Element) => !stanza.attrs.from || parseJid(stanza.attrs.from)?.full === own();
  const archive = createArchive(connection, newId, fromOwnAccount);
  // XEP-0203 §5: a stamp can be forged; none places a message after the present.
  const timeOf = (stamp: number | undefined) => Math.min(stamp ?? Number.POSITIVE_INFINITY, clock.now());

  function changed(bare: string): void {
    for (const listener of listeners) {
      try {
        listener(bare);
      } catch (err) {
        console.error('a chat listener failed', err);
      }
    }
  }

  function advance(stored: Stored, next: DeliveryState): boolean {
    const state = stored.entry.state;
    if (!state || !NEXT[state].includes(next)) return false;
    stored.entry.state = next;
    return true;
  }

  function append(contact: string, entry: ChatEntry, ids: Ids): Stored {
    const list = conversations.get(contact) ?? [];
    conversations.set(contact, list);
    const stored: Stored = { entry, ids, seq: ++arrivals };
    list.push(stored);
    list.sort((a, b) => a.entry.at - b.entry.at || a.seq - b.seq);
    return stored;
  }

  /** Adds what was said, unless it is a message already shown: then what is new of it is learnt. */
  function merge(reading: Reading, body: string, extra: Pick<ChatEntry, 'state' | 'fromArchive'>): Outcome {
    const list = conversations.get(reading.contact) ?? [];
    const known = list.find((s) => s.entry.direction === reading.direction && sameMessage(s.ids, reading.ids));
    if (known) {
      for (const kind of ID_KINDS) known.ids[kind] ??= reading.ids[kind];
      return extra.state && advance(known, extra.state) ? 'updated' : 'known';
    }
    const wanted = reading.ids.originId ?? reading.ids.messageId ?? reading.ids.stanzaId;
    const id = wanted && !list.some((s) => s.entry.id === wanted) ? wanted : newId();
    append(reading.contact, { id, direction: reading.direction, body, at: reading.at, ...extra }, reading.ids);
    return 'added';
  }

  const outgoing = (contact: string, messageId: string | undefined): Stored | undefined =>
    messageId ? conversations.get(contact)?.find((s) => s.entry.direction === 'out' && s.ids.messageId === messageId) : undefined;

  /** XEP-0184 §7: a receipt names the id of the message it acknowledges. */
  function acknowledged(reading: Reading): boolean {
    const stored = reading.direction === 'in' ? outgoing(reading.contact, reading.receiptOf) : undefined;
    return stored ? advance(stored, 'delivered') : false;
  }

  /** A receipt for one of ours, and what was said unless it is already shown. */
  function take(reading: Reading, extra: Pick<ChatEntry, 'fromArchive'> = {}): Outcome {
    const receipt = acknowledged(reading);
    // What we said was sent: a copy of it came from our server (a carbon or the archive).
    const said = reading.body === undefined ? 'known' : merge(reading, reading.body, reading.direction === 'out' ? { state: 'sent', ...extra } : extra);
    return said === 'known' && receipt ? 'updated' : said;
  }

  function onDirect(stanza: Element): void {
    const from = parseJid(stanza.attrs.from ?? '');
    // What our account sends comes as carbons; the rest from it is no conversation.
    if (!from || from.bare === own()) return;
    if (stanza.attrs.type === 'error') {
      const stored = outgoing(from.bare, stanza.attrs.id);
      if (stored && advance(stored, 'failed')) changed(from.bare);
      return;
    }
    const reading = readMessage(stanza, own(), timeOf(stampOf(stanza)));
    if (reading?.direction !== 'in') return;
    if (take(reading) !== 'known') changed(reading.contact);
    const id = stanza.attrs.id;
    // XEP-0184 §8: a receipt tells the sender we are online, which strangers are not to learn.
    if (!reading.body || !id || !stanza.getChild('request', NS.receipts) || !isTrusted(reading.contact)) return;
    // §7: the id of the message acknowledged; the same type as it, and no request (§5.4).
    const receipt = xml('message', { to: from.full, id: newId(), type: stanza.attrs.type }, xml('received', { xmlns: NS.receipts, id }));
    connection.send(receipt).catch(() => undefined);
  }

  function onCarbon(stanza: Element, carbon: Element, direction: 'in' | 'out'): void {
    // XEP-0280 §11: a copy that does not come from our own account is a spoof (CVE-2017-5589).
    if (!fromOwnAccount(stanza)) return;
    const forwarded = readForwarded(carbon);
    const reading = forwarded && readMessage(forwarded.message, own(), timeOf(forwarded.stamp));
    // §7 and §8: a <received/> copy is the contact's to another device, a <sent/> one ours from
    // another. No receipt: the device the message went to answers it.
    if (reading?.direction === direction && take(reading) !== 'known') changed(reading.contact);
  }

  connection.on('stanza', (stanza) => {
    if (stanza.name !== 'message' || archive.collect(stanza)) return;
    const sent = stanza.getChild('sent', NS.carbons);
    const received = stanza.getChild('received', NS.carbons);
    if (sent) onCarbon(stanza, sent, 'out');
    else if (received) onCarbon(stanza, received, 'in');
    else onDirect(stanza);
  });

  async function loadHistory(jid: string): Promise<HistoryPage> {
    const contact = bareJid(jid);
    const page = await archive.latestPage(contact);
    let added = 0;
    let updated = false;
    for (const { archiveId, message, stamp } of page.results) {
      const reading = readMessage(message, own(), timeOf(stamp));
      // The server filtered by contact: a result about someone else is not shown in this conversation.
      if (!reading || reading.contact !== contact) continue;
      if (archiveId) reading.ids.stanzaId = usableId(archiveId);
      // XEP-0184 §5.5: what the archive holds is never acknowledged.
      const outcome = take(reading, { fromArchive: true });
      if (outcome === 'added') added++;
      if (outcome === 'updated') updated = true;
    }
    loaded.add(contact);
    if (added || updated) changed(contact);
    return { added, complete: page.complete };
  }

  // A new session after one that could not resume: what came meanwhile is in the archive.
  connection.on('rebound', () => {
    for (const contact of loaded) loadHistory(contact).catch(() => undefined);
  });

  return {
    conversation: (jid) => (conversations.get(bareJid(jid)) ?? []).map((s) => ({ ...s.entry })),
    async send(jid, body) {
      const contact = parseJid(jid)?.bare;
      if (!contact || !body.trim()) throw new RangeError('a chat message needs a contact address and a body');
      const id = newId();
      const stored = append(contact, { id, direction: 'out', body, at: clock.now(), state: 'sending' }, { originId: id, messageId: id });
      changed(contact);
      const written = await connection.send(chatMessage(contact, id, body)).then(() => true, () => false);
      if (advance(stored, written ? 'sent' : 'failed')) changed(contact);
      return { ...stored.entry };
    },
    loadHistory,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
