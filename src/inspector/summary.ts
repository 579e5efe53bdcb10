// What one recorded call comes to, for the inspector and for a bug report:
// both clients, what each side can do and what the call used of it, the
// codecs, DTLS roles and candidates it settled on, and when each step on the
// way to media happened. Pure: read from the recording, never from the network.
import { type Element, type Jingle, type JingleMessage, type Media, NS, type RtpDescription, type Setup, parseXml, readJingle, readJingleMessage } from '../jingle/index.ts';
import { type Diagnosis, type RecordedStanza, diagnose } from './diagnose.ts';
import type { CallRecording, ClientVersion, SelectedPair } from './recording.ts';

const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const NS_VERSION = 'jabber:iq:version';
const NS_RECEIPTS = 'urn:xmpp:receipts';
const NS_EXTDISCO = 'urn:xmpp:extdisco:2';

export type FeatureStatus = 'used' | 'offered' | 'missing';

export interface FeatureRow {
  feature: string;
  ours: boolean;
  /** Undefined while nothing tells (and always for what is about our server). */
  peer: boolean | undefined;
  status: FeatureStatus;
}

/** The first payload type of a content's answer: what the answering side chose. */
export interface ChosenCodec {
  id: number;
  name?: string;
  clockrate?: number;
  channels?: number;
  chosenBy: Side;
}

export interface DtlsRole {
  hash: string;
  /** Missing when the side's fingerprint said none (XEP-0320 requires it). */
  setup?: Setup;
}

export const CANDIDATE_TYPES = ['host', 'srflx', 'prflx', 'relay'] as const;
export type CandidateType = (typeof CANDIDATE_TYPES)[number];
export type CandidateCounts = Record<CandidateType, number>;

export const PHASES = [
  'propose', 'receipt', 'ringing', 'proceed', 'session-initiate', 'session-accept',
  'ICE connected', 'DTLS connected', 'first media in', 'first media out', 'first frame decoded',
] as const;
export type PhaseName = (typeof PHASES)[number];

export interface Phase {
  phase: PhaseName;
  /** Milliseconds since the call started. */
  at: number;
}

export interface CallSummary {
  ourClient: ClientVersion;
  peerClient?: ClientVersion;
  features: FeatureRow[];
  codecs: Partial<Record<Media, ChosenCodec>>;
  dtls: { ours?: DtlsRole; peer?: DtlsRole };
  candidates: { local: CandidateCounts; remote: CandidateCounts; selected?: SelectedPair };
  phases: Phase[];
  diagnoses: Diagnosis[];
  outcome?: CallRecording['outcome'];
  endReason?: string;
  /** From the start of the call to its end, when it ended. */
  durationMs?: number;
}

export type Side = 'ours' | 'peer';

/** One recorded stanza, parsed once; stanzas whose XML does not parse are left out. */
interface Read {
  stanza: RecordedStanza;
  side: Side;
  el: Element;
  jingle?: Jingle;
  message?: JingleMessage;
}

/** What one side's own stanzas show. */
interface SideFacts {
  /** The descriptions of its session-initiate, session-accept, content-add and content-accept. */
  descriptions: RtpDescription[];
  bundles: boolean;
  /** The Jingle actions it sent. */
  sent: Set<string>;
  /** Whether it sent any XEP-0353 message. */
  jmi: boolean;
  /** The kinds of its session-info payloads (ringing, mute, …). */
  infos: Set<string>;
  restartedIce: boolean;
  /** Only ours: a XEP-0215 query or answer, which is about our server whichever way it went. */
  services: boolean;
}

interface Facts {
  ours: SideFacts;
  peer: SideFacts;
  reads: Read[];
  timeline: Set<string>;
}

const DESCRIBING = new Set(['session-initiate', 'session-accept', 'content-add', 'content-accept']);
const CARRYING_CANDIDATES = new Set([...DESCRIBING, 'transport-info']);
const bare = (jid: string | undefined) => (jid ?? '').split('/')[0]!.toLowerCase();

function read(recording: CallRecording): Read[] {
  return (Array.isArray(recording.stanzas) ? recording.stanzas : []).flatMap((stanza) => {
    // Malformed XML says nothing to summarise.
    const el = attempt(() => parseXml(stanza.xml));
    if (!el) return [];
    const jingle = el.getChild('jingle', NS.jingle);
    const r: Read = { stanza, side: stanza.direction === 'out' ? 'ours' : 'peer', el };
    if (jingle) r.jingle = attempt(() => readJingle(jingle));
    if (el.name === 'message') r.message = attempt(() => readJingleMessage(el));
    return [r];
  });
}

function attempt<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch {
    return undefined;
  }
}

const carriesServices = (r: Read) => r.el.getChildElements().some((c) => c.is('services', NS_EXTDISCO));
const hasFeedback = (d: RtpDescription) => d.feedback.length > 0 || d.payloadTypes.some((pt) => pt.feedback.length > 0);

function factsOf(reads: readonly Read[], side: Side): SideFacts {
  const own = reads.filter((r) => r.side === side);
  const jingles = own.flatMap((r) => (r.jingle ? [r.jingle] : []));
  // PROTOCOL.md, Trickle and ordering: a transport-info with a new ufrag restarts ICE.
  const ufrags = new Map<string, string>();
  let restartedIce = false;
  for (const j of jingles) {
    for (const c of j.contents) {
      const ufrag = c.transport?.ufrag;
      if (!ufrag) continue;
      const known = ufrags.get(c.name);
      if (DESCRIBING.has(j.action) && known === undefined) ufrags.set(c.name, ufrag);
      else if (j.action === 'transport-info' && known !== undefined && known !== ufrag) restartedIce = true;
    }
  }
  return {
    descriptions: jingles.filter((j) => DESCRIBING.has(j.action)).flatMap((j) => j.contents.flatMap((c) => (c.description ? [c.description] : []))),
    bundles: jingles.some((j) => (j.action === 'session-initiate' || j.action === 'session-accept') && j.groups.some((g) => g.semantics === 'BUNDLE')),
    sent: new Set(jingles.map((j) => j.action)),
    jmi: own.some((r) => r.message),
    infos: new Set(jingles.flatMap((j) => (j.info ? [j.info.kind] : []))),
    restartedIce,
    services: side === 'ours' && reads.some(carriesServices),
  };
}

interface FeatureRule {
  feature: string;
  /** The disco#info features that advertise it; none for what only stanzas show. */
  vars: readonly string[];
  shows: (side: SideFacts) => boolean;
  used: (f: Facts) => boolean;
  /** Every description a side sends would carry it: one that does not says the side lacks it. */
  described?: boolean;
  /** About our server, not the peer. */
  server?: boolean;
}

const inDescriptions = (has: (d: RtpDescription) => boolean) => (s: SideFacts) => s.descriptions.some(has);
const both = (shows: (s: SideFacts) => boolean) => (f: Facts) => shows(f.ours) && shows(f.peer);
const sent = (action: string) => (s: SideFacts) => s.sent.has(action);
const anySent = (action: string) => (f: Facts) => f.ours.sent.has(action) || f.peer.sent.has(action);
const anyMessage = (f: Facts, ...kinds: string[]) => f.reads.some((r) => kinds.includes(r.message?.kind ?? ''));
const rtcpMux = inDescriptions((d) => d.rtcpMux);
const sources = inDescriptions((d) => d.sources.length > 0);
const feedback = inDescriptions(hasFeedback);
const hdrext = inDescriptions((d) => d.headerExtensions.length > 0);
const bundles = (s: SideFacts) => s.bundles;
const proposedAndAnswered = (f: Facts) => anyMessage(f, 'propose') && anyMessage(f, 'proceed', 'accept');
const isServicesResult = (r: Read) => r.el.attrs.type === 'result' && carriesServices(r);

export const FEATURE_RULES: readonly FeatureRule[] = [
  { feature: 'XEP-0353 ringing (Jingle Message Initiation)', vars: [NS.jingleMessage], shows: (s) => s.jmi, used: proposedAndAnswered },
  { feature: '<ringing/>', vars: [NS.rtpInfo], shows: (s) => s.infos.has('ringing'), used: (f) => f.reads.some((r) => r.jingle?.info?.kind === 'ringing') },
  { feature: 'BUNDLE', vars: [NS.grouping, 'urn:ietf:rfc:5888'], shows: bundles, used: both(bundles), described: true },
  { feature: 'rtcp-mux', vars: [], shows: rtcpMux, used: both(rtcpMux), described: true },
  { feature: 'XEP-0339 sources', vars: [NS.ssma], shows: sources, used: both(sources), described: true },
  { feature: 'rtcp-fb', vars: [NS.rtcpFb], shows: feedback, used: both(feedback), described: true },
  { feature: 'rtp-hdrext', vars: [NS.rtpHdrext], shows: hdrext, used: both(hdrext), described: true },
  { feature: 'ICE restart', vars: [], shows: (s) => s.restartedIce, used: (f) => f.ours.restartedIce || f.peer.restartedIce || f.timeline.has('ice-restart') },
  { feature: 'content-add', vars: [], shows: sent('content-add'), used: anySent('content-add') },
  { feature: 'session-info', vars: [NS.rtpInfo], shows: sent('session-info'), used: anySent('session-info') },
  { feature: 'XEP-0215 external services', vars: [NS_EXTDISCO], shows: (s) => s.services, used: (f) => f.reads.some(isServicesResult), server: true },
];

function featureRow(rule: FeatureRule, f: Facts, ours: ReadonlySet<string>, peer: ReadonlySet<string> | undefined): FeatureRow {
  // No disco var says the var-less ones; Jingle Lab always can (rtcp-mux: RFC 8834 §4.5,
  // call/ice-restart.ts, call/content-add.ts).
  const oursToo = rule.vars.length === 0 || rule.vars.some((v) => ours.has(v)) || rule.shows(f.ours);
  let peerToo: boolean | undefined;
  if (rule.server) peerToo = undefined;
  else if (rule.shows(f.peer)) peerToo = true;
  else if (peer && rule.vars.length > 0) peerToo = rule.vars.some((v) => peer.has(v));
  else if (rule.described && f.peer.descriptions.length > 0) peerToo = false;
  const status: FeatureStatus = rule.used(f) ? 'used' : peerToo === false || !oursToo ? 'missing' : 'offered';
  return { feature: rule.feature, ours: oursToo, peer: peerToo, status };
}

/** The peer's answers to XEP-0092 and disco#info, when they were recorded. */
function peerQueries(reads: readonly Read[], peerJid: string) {
  const answers = reads.filter((r) => r.side === 'peer' && r.el.name === 'iq' && r.el.attrs.type === 'result' && bare(r.el.attrs.from) === bare(peerJid));
  const version = answers.map((r) => r.el.getChild('query', NS_VERSION)).find((q) => q?.getChildText('name')?.trim());
  const disco = answers.map((r) => r.el.getChild('query', NS_DISCO_INFO)).find((q) => q !== undefined);
  return { version, disco };
}

function peerClientOf(recording: CallRecording, reads: readonly Read[]): ClientVersion | undefined {
  if (recording.clients?.peer) return recording.clients.peer;
  const { version, disco } = peerQueries(reads, recording.peer);
  const text = (name: string) => version?.getChildText(name)?.trim() || undefined;
  const name = text('name');
  if (name) return { name, version: text('version'), os: text('os'), source: 'xep-0092' };
  const identity = disco?.getChildren('identity').find((i) => i.attrs.category === 'client' && i.attrs.name?.trim());
  return identity ? { name: identity.attrs.name!.trim(), source: 'caps' } : undefined;
}

function peerFeaturesOf(recording: CallRecording, reads: readonly Read[]): ReadonlySet<string> | undefined {
  if (recording.features?.peer) return new Set(recording.features.peer);
  const disco = peerQueries(reads, recording.peer).disco;
  return disco ? new Set(disco.getChildren('feature').flatMap((f) => (f.attrs.var ? [f.attrs.var] : []))) : undefined;
}

const jingleOf = (reads: readonly Read[], action: string) => reads.find((r) => r.jingle?.action === action);

function codecsOf(reads: readonly Read[]): CallSummary['codecs'] {
  const codecs: CallSummary['codecs'] = {};
  // The session-accept answers the session; a content-accept answers what a content-add brought.
  for (const answer of [jingleOf(reads, 'session-accept'), ...reads.filter((r) => r.jingle?.action === 'content-accept')]) {
    for (const content of answer?.jingle?.contents ?? []) {
      const d = content.description;
      const pt = d?.payloadTypes[0];
      if (!answer || !d || !pt || codecs[d.media]) continue;
      codecs[d.media] = { id: pt.id, name: pt.name, clockrate: pt.clockrate, channels: pt.channels, chosenBy: answer.side };
    }
  }
  return codecs;
}

function dtlsOf(reads: readonly Read[], side: Side): DtlsRole | undefined {
  const described = reads.filter((r) => r.side === side && (r.jingle?.action === 'session-initiate' || r.jingle?.action === 'session-accept'));
  const fp = described.flatMap((r) => r.jingle!.contents.flatMap((c) => c.transport?.fingerprints ?? []))[0];
  return fp ? { hash: fp.hash, ...(fp.setup ? { setup: fp.setup } : {}) } : undefined;
}

function candidatesOf(reads: readonly Read[], side: Side): CandidateCounts {
  const counts: CandidateCounts = { host: 0, srflx: 0, prflx: 0, relay: 0 };
  for (const r of reads) {
    if (r.side !== side || !r.jingle || !CARRYING_CANDIDATES.has(r.jingle.action)) continue;
    for (const c of r.jingle.contents.flatMap((content) => content.transport?.candidates ?? [])) {
      // RFC 8445 §5.1.1 names only these four; anything else is not counted.
      if ((CANDIDATE_TYPES as readonly string[]).includes(c.type)) counts[c.type as CandidateType] += 1;
    }
  }
  return counts;
}

function phasesOf(reads: readonly Read[], timeline: CallRecording['timeline']): Phase[] {
  const first = (pick: (r: Read) => boolean) => reads.find(pick)?.stanza.at;
  const mark = (...names: string[]) => {
    const times = timeline.filter((m) => names.includes(m.name)).map((m) => m.at);
    return times.length ? Math.min(...times) : undefined;
  };
  const propose = reads.find((r) => r.message?.kind === 'propose');
  const proposeId = propose?.el.attrs.id;
  const at: Record<PhaseName, number | undefined> = {
    propose: propose?.stanza.at,
    // XEP-0184 §4: the receipt names the id of the message it acknowledges.
    receipt: proposeId ? first((r) => r.el.getChild('received', NS_RECEIPTS)?.attrs.id === proposeId) : undefined,
    ringing: first((r) => r.message?.kind === 'ringing' || r.jingle?.info?.kind === 'ringing'),
    proceed: first((r) => r.message?.kind === 'proceed' || r.message?.kind === 'accept'),
    'session-initiate': jingleOf(reads, 'session-initiate')?.stanza.at,
    'session-accept': jingleOf(reads, 'session-accept')?.stanza.at,
    'ICE connected': mark('ice-connected'),
    'DTLS connected': mark('dtls-connected'),
    'first media in': mark('first-audio-in', 'first-video-in'),
    'first media out': mark('first-media-out'),
    'first frame decoded': mark('first-frame-decoded'),
  };
  // In the order they happened: media may flow one way before the other, whichever that is.
  return PHASES.flatMap((phase) => {
    const t = at[phase];
    return typeof t === 'number' && Number.isFinite(t) ? [{ phase, at: t }] : [];
  }).sort((a, b) => a.at - b.at);
}

/** Everything the inspector and the report tell of one call; never throws on what a peer sent. */
export function summarise(recording: CallRecording): CallSummary {
  const reads = read(recording);
  const timeline = (Array.isArray(recording.timeline) ? recording.timeline : []).filter((m) => typeof m?.name === 'string' && typeof m.at === 'number');
  const facts: Facts = { ours: factsOf(reads, 'ours'), peer: factsOf(reads, 'peer'), reads, timeline: new Set(timeline.map((m) => m.name)) };
  const ours = new Set(recording.features?.ours ?? []);
  const peer = peerFeaturesOf(recording, reads);
  const peerClient = peerClientOf(recording, reads);
  return {
    // The recording is Jingle Lab's own format: "ours" can only be Jingle Lab.
    ourClient: recording.clients?.ours ?? { name: 'Jingle Lab', source: 'self' },
    ...(peerClient ? { peerClient } : {}),
    features: FEATURE_RULES.map((rule) => featureRow(rule, facts, ours, peer)),
    codecs: codecsOf(reads),
    dtls: { ours: dtlsOf(reads, 'ours'), peer: dtlsOf(reads, 'peer') },
    candidates: { local: candidatesOf(reads, 'ours'), remote: candidatesOf(reads, 'peer'), selected: recording.selectedPair },
    phases: phasesOf(reads, timeline),
    diagnoses: attempt(() => diagnose(recording)) ?? [],
    outcome: recording.outcome,
    endReason: recording.endReason,
    durationMs: recording.endedAt,
  };
}
