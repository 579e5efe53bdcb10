// Keeps, per call, every stanza of its session as it went over the wire:
// Jingle IQs and their replies, XEP-0353 messages and their receipts, and the
// disco#info, caps, XEP-0092 and XEP-0215 stanzas that decide what a call can
// be. A call's record opens with the first stanza of a new session id, so a
// session that never became a call (a propose we ignored, an initiate we
// refused) is recorded too. Credentials never are: XEP-0215 passwords and
// usernames are removed, and SASL is not a stanza the recorder takes.
import { NS } from '../jingle/namespaces.ts';
import { readJingleMessage } from '../jingle/xep0353-jingle-message.ts';
import { type Element, parseXml } from '../jingle/xml.ts';
import type { SdpEntry } from '../media/media-peer.ts';
import type { TrackFigures } from '../media/track-figures.ts';
import { bareJid } from '../xmpp/jid.ts';
import { NS_VERSION } from '../xmpp/software-version.ts';
import { type CallRecording, type ClientVersion, RECORDING_FORMAT, type RecordedStanza, type SelectedPair } from './recording.ts';

const NS_RECEIPTS = 'urn:xmpp:receipts';
const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const NS_CAPS = 'http://jabber.org/protocol/caps';
const EXTDISCO = ['urn:xmpp:extdisco:2', 'urn:xmpp:extdisco:1'];

/** Calls kept: the oldest goes when one more starts. */
export const KEPT_CALLS = 20;
/** Stanzas kept per call; a flood beyond this keeps its newest. */
export const KEPT_STANZAS = 20_000;
/** A stanza larger than this is kept cut short. */
const MAX_STANZA_CHARS = 64 * 1024;
/** How long after its last stanza a record with no call still takes context stanzas. */
const UNLINKED_OPEN_MS = 60_000;
/** Context stanzas kept per JID and topic for calls yet to start: a request and its answer. */
const CONTEXT_PER_TOPIC = 2;
const CONTEXT_JIDS = 2000;

/** What the recorder reads of a call's session (JingleSession has it all). */
export interface RecordedSession {
  readonly sid: string;
  readonly peer: string;
  readonly media: 'audio' | 'video';
  readonly direction: 'outgoing' | 'incoming';
  readonly startedAt: number;
  readonly phase: string;
  readonly endMessage?: string | undefined;
  readonly endReason?: { condition: string } | undefined;
  readonly timeline: readonly { name: string; at: number }[];
  /** Tells of each description and candidate of its peer connection, with when. */
  onDescribed(listener: (entry: SdpEntry & { at: number }) => void): () => void;
  readonly ice: { iceServers: readonly RTCIceServer[] };
}

export interface RecorderOptions {
  now: () => number;
  /** Our full JID. */
  self: () => string;
  ours: ClientVersion;
  ourFeatures: readonly string[];
  /** A device's disco#info features, when known (from the caps cache). */
  featuresOf: (jid: string) => ReadonlySet<string> | undefined;
}

type Kind = 'call' | 'context';

interface Classified {
  kind: Kind;
  /** The session id, for a call's stanza. */
  sid?: string;
  /** Whose context it is: a peer's bare JID, or '' for our server's services. */
  about?: string;
  /** What it is about (caps, or the query's namespace): the latest of each is kept for calls to come. */
  topic?: string;
}

interface Entry {
  sid: string;
  firstAt: number;
  lastAt: number;
  peer: string;
  stanzas: { at: number; direction: 'in' | 'out'; xml: string }[];
  session?: RecordedSession;
  samples: { at: number; tracks: TrackFigures[] }[];
  sdps: (SdpEntry & { at: number })[];
  selectedPair?: SelectedPair;
  /** Stops listening to the session: an ended call's session lives on in the call history, its record need not. */
  unlisten?: () => void;
}

function outcomeOf(ended: boolean, connected: boolean, condition: string | undefined): CallRecording['outcome'] {
  if (!ended) return 'ongoing';
  if (connected) return 'connected';
  if (condition === 'decline' || condition === 'busy') return 'declined';
  if (condition === 'timeout' || condition === 'cancel') return 'no-answer';
  return 'failed';
}

const queryNs = (el: Element): string | undefined => el.getChildElements()[0]?.getNS();

/** Removes what a stanza must never leave behind: XEP-0215 credentials (for the wire log too). */
export function withoutCredentials(el: Element): Element {
  const services = el.getChildElements().find((c) => EXTDISCO.includes(c.getNS() ?? '') && (c.name === 'services' || c.name === 'credentials'));
  if (!services) return el;
  const copy = parseXml(el.toString());
  for (const holder of copy.getChildElements()) {
    for (const service of holder.getChildElements()) {
      delete service.attrs.password;
      delete service.attrs.username;
    }
  }
  return copy;
}

export class Recorder {
  private readonly entries = new Map<string, Entry>();
  /** IQ and message ids of a call's stanzas, for their replies and receipts. */
  private readonly owners = new Map<string, string>();
  /** By JID ('' for our server), then by topic. */
  private readonly context = new Map<string, Map<string, Entry['stanzas']>>();
  /** Ids of our disco#info, version and services requests, for their replies. */
  private readonly contextIds = new Map<string, string>();
  private readonly listeners = new Set<(sid: string) => void>();

  /** Off, nothing is kept: for the benchmark's calls without recording, as a baseline. */
  enabled = true;

  constructor(private readonly options: RecorderOptions) {}

  /** Every stanza of the connection passes through here (Connection's 'log'). */
  observe(direction: 'in' | 'out', el: Element): void {
    if (!this.enabled || el.name !== 'iq' && el.name !== 'message' && el.name !== 'presence') return;
    const what = this.classify(el);
    if (!what) return;
    const at = this.options.now();
    const clean = withoutCredentials(el);
    let xml = clean.toString();
    if (xml.length > MAX_STANZA_CHARS) xml = `${xml.slice(0, MAX_STANZA_CHARS)}<!-- cut: ${xml.length} characters in all -->`;
    const stanza = { at, direction, xml };
    if (what.kind === 'call' && what.sid) {
      const entry = this.entryFor(what.sid, direction === 'in' ? (el.attrs.from ?? '') : (el.attrs.to ?? ''), at);
      this.push(entry, stanza);
      if (el.attrs.id) this.owners.set(el.attrs.id, what.sid);
      return;
    }
    const about = what.about ?? '';
    const topics = this.context.get(about) ?? new Map<string, Entry['stanzas']>();
    const kept = topics.get(what.topic ?? '') ?? [];
    kept.push(stanza);
    if (kept.length > CONTEXT_PER_TOPIC) kept.shift();
    topics.set(what.topic ?? '', kept);
    // Most recently heard of last, so the first is the one to forget.
    this.context.delete(about);
    this.context.set(about, topics);
    if (this.context.size > CONTEXT_JIDS) this.context.delete(this.context.keys().next().value!);
    for (const entry of this.entries.values()) {
      if (this.isOpen(entry, at) && (about === '' || bareJid(entry.peer) === about)) this.push(entry, stanza);
    }
  }

  /** Links a call's session to its record, for its SDP, milestones and outcome. */
  track(session: RecordedSession): void {
    if (!this.enabled) return;
    const entry = this.entryFor(session.sid, session.peer, session.startedAt);
    entry.session = session;
    entry.firstAt = Math.min(entry.firstAt, session.startedAt);
    entry.unlisten = session.onDescribed((sdp) => {
      // Bounded like the stanzas: renegotiations without end must not fill the page.
      if (entry.sdps.length >= KEPT_STANZAS) entry.sdps.shift();
      entry.sdps.push(sdp);
      this.changed(session.sid);
    });
    this.changed(session.sid);
  }

  /** One getStats() sample of a call, for its graphs. */
  sample(sid: string, tracks: TrackFigures[], selectedPair?: SelectedPair): void {
    const entry = this.entries.get(sid);
    if (!entry) return;
    entry.samples.push({ at: this.options.now(), tracks });
    if (entry.samples.length > 4 * 3600) entry.samples.shift();
    if (selectedPair) entry.selectedPair = selectedPair;
    this.changed(sid);
  }

  onChange(listener: (sid: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The session ids recorded, oldest first. */
  get sids(): string[] {
    return [...this.entries.keys()];
  }

  /** The calls recorded, oldest first, as the inspector's picker names them. */
  list(): { sid: string; peer: string; startedAt: number; media?: string; direction?: string }[] {
    return [...this.entries.values()].map((e) => ({
      sid: e.sid,
      peer: e.session?.peer ?? e.peer,
      startedAt: e.session?.startedAt ?? e.firstAt,
      ...(e.session ? { media: e.session.media, direction: e.session.direction } : {}),
    }));
  }

  has(sid: string): boolean {
    return this.entries.has(sid);
  }

  /** The call as the inspector shows and exports it. */
  recording(sid: string): CallRecording | undefined {
    const entry = this.entries.get(sid);
    if (!entry) return undefined;
    const session = entry.session;
    const start = session?.startedAt ?? entry.firstAt;
    const since = (at: number) => Math.round((at - start) * 10) / 10;
    const peer = session?.peer ?? entry.peer;
    const stanzas: RecordedStanza[] = entry.stanzas.map((s) => ({ ...s, at: since(s.at) }));
    const sdps = entry.sdps.map((d) => ({ at: since(d.at), side: d.side, type: d.type, sdp: d.sdp }));
    const timeline = (session?.timeline ?? []).map((t) => ({ name: t.name, at: since(t.at) }));
    const names = new Set(timeline.map((t) => t.name));
    const ended = session?.phase === 'ended';
    const condition = session?.endReason?.condition;
    const outcome = session ? outcomeOf(ended, names.has('connected'), condition) : undefined;
    const typesOf = (side: 'local' | 'remote') => sdps.filter((d) => d.side === side).flatMap((d) => [...d.sdp.matchAll(/ typ (\w+)/g)].map((m) => m[1]!));
    const peerFeatures = this.options.featuresOf(peer);
    const iceFailed = names.has('ice-failed') || (outcome === 'failed' && condition === 'connectivity-error' && !names.has('ice-connected'));
    const endedAt = timeline.find((t) => t.name === 'ended')?.at;
    return {
      format: RECORDING_FORMAT,
      sid,
      self: this.options.self(),
      peer,
      direction: session?.direction ?? (entry.stanzas[0]?.direction === 'out' ? 'outgoing' : 'incoming'),
      media: session?.media ?? 'audio',
      startedAt: Math.round(start),
      ...(endedAt !== undefined ? { endedAt } : {}),
      ...(session?.endMessage ? { endReason: session.endMessage } : {}),
      stanzas,
      sdps,
      timeline,
      samples: entry.samples.map((s) => ({ at: since(s.at), tracks: s.tracks })),
      ...(entry.selectedPair ? { selectedPair: entry.selectedPair } : {}),
      clients: { ours: this.options.ours },
      features: { ours: [...this.options.ourFeatures], ...(peerFeatures ? { peer: [...peerFeatures] } : {}) },
      candidates: { local: typesOf('local'), remote: typesOf('remote') },
      turnConfigured: (session?.ice.iceServers ?? []).some((s) => [s.urls].flat().some((u) => /^turns?:/.test(u))),
      ...(outcome ? { outcome } : {}),
      ...(iceFailed ? { iceState: 'failed' as const } : {}),
    };
  }

  private classify(el: Element): Classified | undefined {
    const jingle = el.getChild('jingle', NS.jingle);
    if (el.name === 'iq' && jingle?.attrs.sid) return { kind: 'call', sid: jingle.attrs.sid };
    if (el.name === 'message') {
      let jmi;
      try {
        jmi = readJingleMessage(el);
      } catch {
        return undefined;
      }
      if (jmi) return { kind: 'call', sid: jmi.id };
      const receipt = el.getChild('received', NS_RECEIPTS)?.attrs.id;
      const owner = receipt ? this.owners.get(receipt) : undefined;
      return owner ? { kind: 'call', sid: owner } : undefined;
    }
    const id = el.attrs.id;
    const type = el.attrs.type;
    const peerOf = (jid: string | undefined) => bareJid(jid ?? '');
    if (el.name === 'iq' && (type === 'result' || type === 'error') && id) {
      const owner = this.owners.get(id);
      if (owner) return { kind: 'call', sid: owner };
    }
    if (el.name === 'presence') return el.getChild('c', NS_CAPS) ? { kind: 'context', about: peerOf(el.attrs.from), topic: 'caps' } : undefined;
    if (el.name !== 'iq') return undefined;
    // A reply is known by the id of our request: an error reply need not echo the query.
    const ns = (id ? this.contextIds.get(id) : undefined) ?? queryNs(el);
    // Answered: the request's id is no longer needed (a roster of thousands asks as many).
    if (id && (type === 'result' || type === 'error')) this.contextIds.delete(id);
    if (ns === NS_DISCO_INFO || ns === NS_VERSION) {
      if (id && type === 'get') this.contextIds.set(id, ns);
      const other = el.attrs.from && el.attrs.to ? (type === 'get' ? el.attrs.to : el.attrs.from) : (el.attrs.from ?? el.attrs.to);
      return { kind: 'context', about: peerOf(other), topic: ns };
    }
    if (ns && EXTDISCO.includes(ns)) {
      if (id && type === 'get') this.contextIds.set(id, ns);
      return { kind: 'context', about: '', topic: ns };
    }
    return undefined;
  }

  private entryFor(sid: string, peer: string, at: number): Entry {
    const known = this.entries.get(sid);
    if (known) return known;
    const entry: Entry = { sid, firstAt: at, lastAt: at, peer, stanzas: [], samples: [], sdps: [] };
    // What decided the call before it began: the peer's capabilities, our server's services.
    const heard = (about: string) => [...(this.context.get(about)?.values() ?? [])].flat();
    const before = [...heard(bareJid(peer)), ...heard('')].sort((a, b) => a.at - b.at);
    entry.stanzas.push(...before);
    this.entries.set(sid, entry);
    while (this.entries.size > KEPT_CALLS) {
      const oldest = this.entries.keys().next().value!;
      this.entries.get(oldest)?.unlisten?.();
      this.entries.delete(oldest);
      for (const [id, owner] of this.owners) if (owner === oldest) this.owners.delete(id);
    }
    return entry;
  }

  private push(entry: Entry, stanza: Entry['stanzas'][number]): void {
    entry.stanzas.push(stanza);
    entry.lastAt = stanza.at;
    if (entry.stanzas.length > KEPT_STANZAS) entry.stanzas.splice(0, entry.stanzas.length - KEPT_STANZAS);
    this.changed(entry.sid);
  }

  private isOpen(entry: Entry, now: number): boolean {
    const session = entry.session;
    if (!session) return now - entry.lastAt < UNLINKED_OPEN_MS;
    if (session.phase !== 'ended') return true;
    const ended = session.timeline.find((t) => t.name === 'ended')?.at ?? entry.lastAt;
    return now - ended < 2000;
  }

  private changed(sid: string): void {
    for (const listener of this.listeners) listener(sid);
  }
}
