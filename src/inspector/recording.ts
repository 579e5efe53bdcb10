// What the inspector keeps of one call: the stanzas of its session, the SDP
// each side's peer connection was given, the milestones and getStats()
// samples. One shape for a call recorded here and for a report imported from
// elsewhere, so that every view, rule and export reads the same data.
import type { TrackFigures } from '../media/track-figures.ts';
import type { RecordedCall, RecordedStanza } from './diagnose.ts';

export type { RecordedStanza };

/** The version of the export format; an import of any other is refused. */
export const RECORDING_FORMAT = 'jingle-lab-call/1';

/** One description or candidate handed to (remote) or made by (local) our RTCPeerConnection. */
export interface RecordedSdp {
  /** Milliseconds since the call started. */
  at: number;
  side: 'local' | 'remote';
  type: 'offer' | 'answer' | 'candidate';
  /** The whole SDP, or for a candidate its `a=candidate:` line (with `a=mid:` before it when known). */
  sdp: string;
}

/** One media track's figures at one moment, from getStats(). */
export type TrackSample = TrackFigures;

export interface StatsSample {
  at: number;
  tracks: TrackSample[];
}

export interface SelectedPair {
  local: string;
  remote: string;
  localType: string;
  remoteType: string;
  protocol?: string;
}

export interface ClientVersion {
  name: string;
  version?: string;
  os?: string;
  /** Where the name came from: the peer's answer to XEP-0092, or its caps identity. */
  source: 'xep-0092' | 'caps' | 'self';
}

export interface CallRecording extends RecordedCall {
  format: typeof RECORDING_FORMAT;
  sid: string;
  /** Our full JID and the peer's (full once known). */
  self: string;
  peer: string;
  direction: 'outgoing' | 'incoming';
  media: 'audio' | 'video';
  /** Epoch milliseconds the call started; every `at` counts from it. */
  startedAt: number;
  /** Milliseconds since the start, when it ended. */
  endedAt?: number;
  /** In words, as the user was told. */
  endReason?: string;
  stanzas: RecordedStanza[];
  sdps: RecordedSdp[];
  /** The session's milestones (propose-sent, ice-connected, first-audio-in, …). */
  timeline: { name: string; at: number }[];
  samples: StatsSample[];
  selectedPair?: SelectedPair;
  clients: { ours: ClientVersion; peer?: ClientVersion };
  /** The disco#info features of each side, as far as they are known. */
  features: { ours: string[]; peer?: string[] };
}
