// ICE restarts within a live session (XEP-0176 §7, as Conversations does): a
// transport-info with new credentials and no candidates asks for a restart;
// the other side answers with a transport-info of its own new credentials.
import { type Jingle, type JingleError, type Role, type Setup, tieBreak } from '../jingle/index.ts';
import type { MediaPeer } from '../media/media-peer.ts';
import { type DescriptionModel, applyUpdate, isIceRestart, namesByMid, parseSdp, sdpToJingle } from '../sdp/index.ts';
import { IqError } from '../xmpp/connection.ts';
import type { Clock } from './clock.ts';
import type { IceRelay } from './ice-relay.ts';
import { remoteSdp } from './remote-sdp.ts';
import { jingleIq, type Signalling } from './signalling.ts';

/** How long ICE may stay disconnected before the initiator restarts it. */
export const ICE_RESTART_AFTER_MS = 2000;
/** The responder restarts only when the initiator has not (a peer that never does, like Dino). */
export const RESPONDER_RESTART_AFTER_MS = 5000;

/** What a restart needs of its session. */
export interface RestartHost {
  readonly role: Role;
  readonly sid: string;
  readonly peer: string;
  readonly active: boolean;
  readonly ice: IceRelay;
  readonly signalling: Signalling;
  readonly clock: Clock;
  readonly bundle: boolean;
  /** The session version of the peer's descriptions in SDP, shared with content changes (RFC 3264 §5). */
  readonly version: { value: number };
  /** A content change is under way: no restart may start until it is settled. */
  changing(): boolean;
  mediaPeer(): MediaPeer | undefined;
  /** The peer's description as last applied. */
  remoteModel(): DescriptionModel | undefined;
  /** The DTLS role we took in our session-initiate or session-accept. */
  localSetup(): Setup | undefined;
  /** The peer's description with its new credentials. */
  restarted(model: DescriptionModel): void;
  mark(name: string): void;
  fail(condition: string, text: string): void;
}

export class IceRestarts {
  /** Our own restart, from its request until the peer's answer. */
  private ours?: { sent: boolean; acked: boolean };
  /** The peer asked (we are the initiator, so the offerer): its credentials are the answer to our new offer. */
  private owedAnswer = false;
  /** Credentials a restart replaced, or that lost a tie-break: their candidates are stale (RFC 8839 §4.3.1.1.1). */
  private readonly retired = new Set<string>();
  private timer?: unknown;

  constructor(private readonly host: RestartHost) {}

  /** Whether a restart (ours or the peer's) waits for its answer. */
  get underway(): boolean {
    return Boolean(this.ours) || this.owedAnswer;
  }

  /** Starts a restart of our own, by the user's wish or after a disconnect. */
  start(): void {
    const peer = this.host.mediaPeer();
    if (!this.host.active || this.ours || this.owedAnswer || !peer) return;
    // A content-add's offer is pending; a disconnect restarts once it is settled.
    if (this.host.changing()) {
      this.disconnected();
      return;
    }
    this.ours = { sent: false, acked: false };
    this.host.mark('ice-restart');
    this.host.ice.pause();
    void peer.restartIce().catch((err: Error) => this.host.fail('connectivity-error', `ICE restart failed: ${err.message}`));
  }

  /** ICE went down: the initiator restarts soon, the responder later if nothing came. */
  disconnected(): void {
    this.stopTimer();
    const after = this.host.role === 'initiator' ? ICE_RESTART_AFTER_MS : RESPONDER_RESTART_AFTER_MS;
    this.timer = this.host.clock.setTimeout(() => this.start(), after);
  }

  stopTimer(): void {
    this.host.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * XEP-0166 §8: a restart of the peer's that crossed ours, which the
   * initiator's wins. Ours is unacknowledged still: the peer acknowledges a
   * request before it answers (RFC 6120 §10.1 keeps the order).
   */
  check(info: Jingle): JingleError | undefined {
    if (this.host.role !== 'initiator' || !this.ours || this.ours.acked) return undefined;
    const restarts = this.restartsIn(info);
    if (restarts.length === 0) return undefined;
    for (const c of restarts) if (c.transport?.ufrag) this.retired.add(c.transport.ufrag);
    return tieBreak('an ICE restart of ours is under way');
  }

  /** A transport-info the session took: returns it without stale candidates, after any restart it carries. */
  receive(received: Jingle): Jingle {
    const info = { ...received, contents: received.contents.filter((c) => !this.retired.has(c.transport?.ufrag ?? '')) };
    const model = this.host.remoteModel();
    const peer = this.host.mediaPeer();
    if (!model || !peer || this.restartsIn(info).length === 0) return info;
    for (const c of model.contents) if (c.transport?.ufrag) this.retired.add(c.transport.ufrag);
    const next = applyUpdate(model, info);
    this.host.restarted(next);
    this.host.ice.pause();
    this.host.version.value++;
    if (this.ours?.acked) {
      // The answer to our restart.
      this.ours = undefined;
      this.applyAnswer(next);
      return info;
    }
    // The peer's own restart; if ours crossed it, we are the responder and the initiator's wins.
    this.ours = undefined;
    if (this.host.role === 'responder') {
      // Its offer, with new credentials; our answer goes out through sent().
      peer.signal({ type: 'offer', sdp: remoteSdp(next, { peerRole: 'initiator', type: 'offer', version: this.host.version.value, bundle: this.host.bundle }) });
    } else {
      // We stay the offerer: a new offer of ours, and the peer's credentials answer it.
      this.owedAnswer = true;
      this.host.mark('ice-restart');
      void peer.restartIce().catch((err: Error) => this.host.fail('connectivity-error', `ICE restart failed: ${err.message}`));
    }
    return info;
  }

  /** Our new offer or answer within the session: only its ICE credentials go out. */
  sent(sdp: string): void {
    const { contents } = sdpToJingle(parseSdp(sdp), { author: this.host.role, creator: 'initiator', names: namesByMid(this.host.ice.names) });
    this.host.ice.useCredentials(contents);
    const info: Jingle = {
      action: 'transport-info',
      sid: this.host.sid,
      groups: [],
      contents: contents.map((c) => ({ creator: 'initiator', name: c.name, transport: { ufrag: c.transport?.ufrag, pwd: c.transport?.pwd, fingerprints: [], candidates: [] } })),
    };
    const request = this.host.signalling.request(jingleIq(this.host.peer, info));
    const ours = this.ours && !this.ours.sent ? this.ours : undefined;
    if (ours) {
      ours.sent = true;
      request.then(() => (ours.acked = true), (err: unknown) => this.refused(ours, err));
      return;
    }
    request.catch(() => undefined);
    const model = this.host.remoteModel();
    if (this.owedAnswer && model) {
      this.owedAnswer = false;
      this.applyAnswer(model);
    }
  }

  clear(): void {
    this.stopTimer();
    this.ours = undefined;
    this.owedAnswer = false;
  }

  private refused(ours: { sent: boolean; acked: boolean }, err: unknown): void {
    if (this.ours !== ours) return;
    this.ours = undefined;
    // We lost a tie-break: the initiator's crossing restart is (or will be) answered instead.
    if (err instanceof IqError && err.application === 'tie-break') return;
    const condition = err instanceof IqError ? err.condition : 'no reply';
    this.host.fail('connectivity-error', `the peer refused the ICE restart (${condition})`);
  }

  private applyAnswer(model: DescriptionModel): void {
    const peer = this.host.mediaPeer();
    if (!peer) return;
    const peerRole = this.host.role === 'initiator' ? 'responder' : 'initiator';
    peer.signal({ type: 'answer', sdp: remoteSdp(model, { peerRole, type: 'answer', version: this.host.version.value, bundle: this.host.bundle, localSdp: peer.localDescription, ourSetup: this.host.localSetup() }) });
    this.host.mark('ice-restarted');
  }

  private restartsIn(info: Jingle) {
    const model = this.host.remoteModel();
    if (!model) return [];
    return info.contents.filter((c) => !this.retired.has(c.transport?.ufrag ?? '') && isIceRestart(model, c));
  }
}
