// The typed Jingle model: what a <jingle/> element means, independent of XML and SDP.

/** XEP-0166 §7.2 actions. */
export const JINGLE_ACTIONS = [
  'content-accept',
  'content-add',
  'content-modify',
  'content-reject',
  'content-remove',
  'description-info',
  'security-info',
  'session-accept',
  'session-info',
  'session-initiate',
  'session-terminate',
  'transport-accept',
  'transport-info',
  'transport-reject',
  'transport-replace',
] as const;
export type JingleAction = (typeof JINGLE_ACTIONS)[number];

export type Role = 'initiator' | 'responder';
export type Senders = 'both' | 'initiator' | 'responder' | 'none';
export const SENDERS: readonly Senders[] = ['both', 'initiator', 'responder', 'none'];
export type Media = 'audio' | 'video';

export interface Parameter {
  name: string;
  value?: string;
}

/** XEP-0293 <rtcp-fb/>. */
export interface RtcpFeedback {
  type: string;
  subtype?: string;
}

/** XEP-0167 <payload-type/> with its XEP-0293 feedback. */
export interface PayloadType {
  id: number;
  name?: string;
  clockrate?: number;
  channels?: number;
  ptime?: number;
  maxptime?: number;
  parameters: Parameter[];
  feedback: RtcpFeedback[];
  trrInt?: number;
}

/** XEP-0294 <rtp-hdrext/>. */
export interface HeaderExtension {
  id: number;
  uri: string;
  senders?: Senders;
}

/** XEP-0339 <source/>. */
export interface Source {
  ssrc: number;
  parameters: Parameter[];
}

/** XEP-0339 <ssrc-group/>. */
export interface SourceGroup {
  semantics: string;
  sources: number[];
}

export interface Bandwidth {
  type: string;
  value: number;
}

/** XEP-0167 <description/>. */
export interface RtpDescription {
  media: Media;
  ssrc?: number;
  payloadTypes: PayloadType[];
  /** XEP-0293 feedback for every payload type (`*` in SDP). */
  feedback: RtcpFeedback[];
  trrInt?: number;
  headerExtensions: HeaderExtension[];
  extmapAllowMixed: boolean;
  rtcpMux: boolean;
  bandwidth?: Bandwidth;
  sources: Source[];
  sourceGroups: SourceGroup[];
  /** The stream and track of StanzaJS's <stream/> element (read only: Jingle Lab says msid per source). */
  stream?: { id: string; track?: string };
}

/** XEP-0176 <candidate/>. */
export interface Candidate {
  component: number;
  foundation: string;
  generation?: number;
  id?: string;
  ip: string;
  network?: number;
  port: number;
  priority: number;
  protocol: string;
  type: string;
  relAddr?: string;
  relPort?: number;
}

export type Setup = 'actpass' | 'active' | 'passive';

/** XEP-0320 <fingerprint/>. */
export interface Fingerprint {
  hash: string;
  setup?: Setup;
  value: string;
}

/** XEP-0176 <transport/>. */
export interface IceUdpTransport {
  ufrag?: string;
  pwd?: string;
  fingerprints: Fingerprint[];
  candidates: Candidate[];
}

export interface Content {
  creator: Role;
  name: string;
  senders?: Senders;
  disposition?: string;
  description?: RtpDescription;
  transport?: IceUdpTransport;
}

/** XEP-0338 <group/>. */
export interface Group {
  semantics: string;
  contents: string[];
}

/** XEP-0166 §7.4 reasons (PROTOCOL.md, Ending). */
export const REASONS = [
  'alternative-session',
  'busy',
  'cancel',
  'connectivity-error',
  'decline',
  'expired',
  'failed-application',
  'failed-transport',
  'general-error',
  'gone',
  'incompatible-parameters',
  'media-error',
  'security-error',
  'success',
  'timeout',
  'unsupported-applications',
  'unsupported-transports',
] as const;
export type ReasonCondition = (typeof REASONS)[number];

export interface Reason {
  /** A known condition, or whatever a peer sent (shown as "call ended"). */
  condition: ReasonCondition | (string & {});
  text?: string;
}

/** XEP-0167 §7 session-info payloads. */
export type SessionInfo =
  | { kind: 'ringing' | 'active' | 'hold' | 'unhold' }
  | { kind: 'mute' | 'unmute'; creator?: Role; name?: string }
  /** Jingle Lab's own (docs/interop.md, Mid-call): the video of content `name` shows a screen, or no longer does. */
  | { kind: 'screen'; sharing: boolean; name?: string }
  /** A payload we do not know, answered with <unsupported-info/>. */
  | { kind: 'unsupported'; element: string };

export interface Jingle {
  action: JingleAction;
  sid: string;
  initiator?: string;
  responder?: string;
  contents: Content[];
  groups: Group[];
  reason?: Reason;
  info?: SessionInfo;
}
