// What mid-call content changes (content-changes.ts, content-add.ts) need of
// their session, what they show the user, and the small pieces they share.
import type { Content, Jingle, Reason, Role, Senders, Setup } from '../jingle/index.ts';
import type { MediaPeer } from '../media/media-peer.ts';
import type { DescriptionModel } from '../sdp/index.ts';
import type { Clock } from './clock.ts';
import type { IceRelay } from './ice-relay.ts';
import { jingleIq, type Signalling } from './signalling.ts';
import { INLINE_GATHER_LIMIT_MS, type WireStyle } from './wire-style.ts';

/** How long the peer's app may take to acknowledge our content-add. */
export const CONTENT_ACK_DEADLINE_MS = 15_000;
/** After it did, how long its user may take to answer (content-accept or content-reject). */
export const CONTENT_ANSWER_DEADLINE_MS = 30_000;

/** The session's camera, opened for video added mid-call. */
export interface Camera {
  /** Opens the camera (or the screen) and adds its track to our local stream; rejects with a sentence. */
  open(source?: 'camera' | 'screen'): Promise<MediaStreamTrack>;
  /** Stops the track and takes it out of our local stream. */
  drop(track: MediaStreamTrack): void;
  /** Our camera's track while it is open. */
  readonly track: MediaStreamTrack | undefined;
}

/** What a content change needs of its session. */
export interface ContentHost {
  readonly role: Role;
  readonly sid: string;
  readonly peer: string;
  readonly peerName: string;
  readonly active: boolean;
  readonly signalling: Signalling;
  readonly clock: Clock;
  readonly style: WireStyle;
  readonly ice: IceRelay;
  readonly camera: Camera;
  /** Shared with ICE restarts (RFC 3264 §5). */
  readonly version: { value: number };
  mediaPeer(): MediaPeer | undefined;
  /** The peer's description as last applied. */
  remoteModel(): DescriptionModel | undefined;
  /** Our own contents as last described. */
  localContents(): readonly Content[];
  /** Both descriptions after a change the peer connection took. */
  changed(remote: DescriptionModel, local: readonly Content[]): void;
  /** The DTLS role we took first. */
  localSetup(): Setup | undefined;
  /** An ICE restart waits for its answer. */
  restarting(): boolean;
  mark(name: string): void;
  fail(condition: string, text: string): void;
  /** What the user sees of video changed. */
  update(): void;
}

/** Video in the call, as the user sees it. */
export interface VideoState {
  /** Our camera sends to the peer. */
  sending: boolean;
  /** The peer's video comes in: its content lives and its senders include the peer. */
  receiving: boolean;
  /** Our request to turn on video waits for the peer. */
  asking: boolean;
  /** The peer asks to turn on video. */
  asked: boolean;
  /** How the last change ended, in words. */
  notice?: string | undefined;
}

export const names = (contents: readonly { name: string }[]) => contents.map((c) => c.name);
export const includes = (senders: Senders | undefined, role: Role) => (senders ?? 'both') === 'both' || senders === role;
export const otherRole = (role: Role): Role => (role === 'initiator' ? 'responder' : 'initiator');

/** The video contents of a description that were neither rejected nor removed. */
export const liveVideo = (model: DescriptionModel | undefined): Content[] =>
  (model?.contents ?? []).filter((c) => c.description?.media === 'video' && !model?.removed?.includes(c.name));

/** A content-add or content-accept groups its contents only in a session that is bundled. */
export const isBundled = (host: ContentHost): boolean => host.style.bundle && Boolean(host.remoteModel()?.groups.some((g) => g.semantics === 'BUNDLE'));

/** How long a new description waits for its candidates: only in the inline style (Dino's). */
export const gatherMs = (host: ContentHost): number => (host.style.candidates === 'inline' ? INLINE_GATHER_LIMIT_MS : 0);

/** A content as content-reject and content-remove name it: Conversations requires a description's media and a transport. */
export const stub = (c: Content): Content => ({
  creator: c.creator,
  name: c.name,
  senders: c.senders ?? 'both',
  description: { media: c.description?.media ?? 'video', payloadTypes: [], feedback: [], headerExtensions: [], extmapAllowMixed: false, rtcpMux: false, sources: [], sourceGroups: [] },
  transport: { fingerprints: [], candidates: [] },
});

/** Sends content-reject or content-remove of these contents; an error reply changes nothing (Dino answers feature-not-implemented). */
export function refuseContents(host: ContentHost, action: 'content-reject' | 'content-remove', contents: readonly Content[], reason?: Reason): void {
  const jingle: Jingle = { action, sid: host.sid, contents: contents.map(stub), groups: [], ...(reason ? { reason } : {}) };
  host.signalling.request(jingleIq(host.peer, jingle)).catch(() => undefined);
  host.mark(`${action}-sent`);
}
