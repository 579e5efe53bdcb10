// Our content-add (XEP-0166 §6.6, §7.2): our camera's video offered to the
// peer as a new local offer, from the request until content-accept,
// content-reject, an IQ error or the deadline. What does not go through is
// rolled back: the peer connection returns to the description before it.
import type { Content, Jingle, Reason, Senders } from '../jingle/index.ts';
import { applyUpdate, namesByMid, parseSdp, sdpToJingle, withBundledTransports } from '../sdp/index.ts';
import { IqError, NotSentError } from '../xmpp/connection.ts';
import {
  CONTENT_ACK_DEADLINE_MS, CONTENT_ANSWER_DEADLINE_MS, type ContentHost, gatherMs, isBundled, names, otherRole, refuseContents,
} from './content-host.ts';
import { remoteSdp } from './remote-sdp.ts';
import { jingleIq } from './signalling.ts';

interface Request {
  track: MediaStreamTrack;
  /** The new contents, once our offer is made. */
  added?: Content[];
  /** Our whole description in that offer. */
  local?: Content[];
  /** A content-modify the peer sent before it accepted (Dino does, when it will not send). */
  senders: Map<string, Senders>;
  timer?: unknown;
}

/** A camera kept after our content-add lost a tie-break, for the initiator's that follows. */
interface Held {
  track: MediaStreamTrack;
  timer: unknown;
}

export class OwnContentAdd {
  private request?: Request;
  private held?: Held;

  /**
   * `settled` hears how a request ended: undefined when it went through, or was
   * given up for the peer's; `peerAdding` says whether the peer's content-add was
   * acknowledged and is still on its way to us.
   */
  constructor(
    private readonly host: ContentHost,
    private readonly settled: (message: string | undefined) => void,
    private readonly peerAdding: () => boolean,
  ) {}

  /** From the offer until the answer, and while a camera waits for the initiator's content-add. */
  get pending(): boolean {
    return Boolean(this.request ?? this.held);
  }

  /** The names of the contents our content-add offered, once it went. */
  get offered(): readonly string[] {
    return names(this.request?.added ?? []);
  }

  /** Makes the new offer with our camera's `track` and sends its new contents as content-add. */
  async start(track: MediaStreamTrack): Promise<void> {
    const ours: Request = { track, senders: new Map() };
    this.request = ours;
    this.host.mark('content-add');
    this.host.update();
    let sdp: string;
    try {
      sdp = await this.host.mediaPeer()!.offerTrack(track, { gatherMs: gatherMs(this.host) });
    } catch (err) {
      return this.giveUp(ours, `Video could not be added: ${(err as Error).message}`, false);
    }
    // The peer's crossing content-add took over meanwhile (and rolled this offer back),
    // or was acknowledged and takes over next: its content names are ours too.
    if (this.request !== ours || !this.host.active || this.peerAdding()) return;
    const translated = sdpToJingle(parseSdp(sdp), { author: this.host.role, creator: 'initiator', names: namesByMid(this.host.ice.names) });
    const known = new Set(this.host.ice.names);
    const added = translated.contents.filter((c) => !known.has(c.name));
    if (added.length === 0) return this.giveUp(ours, 'Video could not be added: the new offer adds nothing', false);
    ours.added = added;
    ours.local = translated.contents;
    // Our candidates for the new contents wait for the peer's content-accept.
    this.host.ice.expect(names(added));
    this.host.ice.useCredentials(added);
    const jingle: Jingle = { action: 'content-add', sid: this.host.sid, contents: added, groups: isBundled(this.host) ? translated.groups : [] };
    ours.timer = this.host.clock.setTimeout(() => this.giveUp(ours, this.cannot(), true), CONTENT_ACK_DEADLINE_MS);
    this.host.signalling.request(jingleIq(this.host.peer, jingle)).then(
      () => {
        if (this.request !== ours) return;
        this.host.mark('content-add-acknowledged');
        this.host.clock.clearTimeout(ours.timer);
        ours.timer = this.host.clock.setTimeout(() => this.giveUp(ours, this.declined(), true), CONTENT_ANSWER_DEADLINE_MS);
      },
      (err: unknown) => this.refused(ours, err),
    );
    this.host.mark('content-add-sent');
  }

  /** The peer's content-modify of a content we offered, before it accepted. */
  modified(name: string, senders: Senders): void {
    this.request?.senders.set(name, senders);
  }

  /** The peer's content-accept: its answer goes to the peer connection. */
  async accepted(accept: Jingle): Promise<void> {
    const ours = this.request;
    const model = this.host.remoteModel();
    const peer = this.host.mediaPeer();
    if (!ours?.added || !model || !peer) return;
    this.host.clock.clearTimeout(ours.timer);
    const contents = withBundledTransports(model, accept.contents, accept.groups).map((c) => {
      const modified = ours.senders.get(c.name);
      return modified && !c.senders ? { ...c, senders: modified } : c;
    });
    const next = applyUpdate(model, { ...accept, contents });
    try {
      const answer = remoteSdp(next, {
        peerRole: otherRole(this.host.role), type: 'answer', version: ++this.host.version.value, bundle: this.host.style.bundle,
        localSdp: peer.localDescription, ourSetup: this.host.localSetup(),
      });
      await peer.acceptAnswer(answer);
    } catch (err) {
      return this.giveUp(ours, `${this.cannot()} (${(err as Error).message})`, true);
    }
    if (this.request !== ours) return;
    this.request = undefined;
    this.host.changed(next, ours.local ?? this.host.localContents());
    this.host.ice.settle(names(ours.added));
    this.host.mark('content-accept-received');
    this.settled(undefined);
  }

  /** The peer's content-reject: StanzaJS 12 sends one to every content-add, with no content and `failed-application`. */
  rejected(reason: Reason | undefined): void {
    const ours = this.request;
    if (!ours) return;
    this.host.mark('content-reject-received');
    // Conversations says no reason when its user declines.
    const declined = !reason || reason.condition === 'decline';
    this.giveUp(ours, declined ? this.declined() : this.cannot(), false);
  }

  /** The peer removed what we offered before accepting it: a refusal too. */
  removed(): void {
    if (this.request) this.giveUp(this.request, this.declined(), false);
  }

  /**
   * The initiator's content-add crossed ours and wins (XEP-0166 §8): ours is
   * dropped, and its camera is returned for the answer to theirs. The peer
   * connection is rolled back by that answer.
   */
  yieldTrack(): MediaStreamTrack | undefined {
    const held = this.held;
    if (held) {
      this.held = undefined;
      this.host.clock.clearTimeout(held.timer);
      return held.track;
    }
    const ours = this.request;
    if (!ours) return undefined;
    this.drop(ours);
    return ours.track;
  }

  /** The media path dropped: an ICE restart must follow, so a request that went is withdrawn. */
  interrupt(): void {
    if (this.request?.added) this.giveUp(this.request, 'The connection dropped: video was not turned on', true);
  }

  clear(): void {
    this.host.clock.clearTimeout(this.request?.timer);
    this.request = undefined;
    if (this.held) this.dropHeld();
  }

  private refused(ours: Request, err: unknown): void {
    if (this.request !== ours) return;
    // We are the responder and lost a tie-break: the initiator's content-add comes.
    if (err instanceof IqError && err.application === 'tie-break') return this.lostTieBreak(ours);
    if (err instanceof NotSentError) return this.giveUp(ours, 'Could not reach the server: video was not turned on', false);
    this.giveUp(ours, this.cannot(), false);
  }

  /**
   * The initiator refused ours because its own content-add is under way
   * (XEP-0166 §8): our offer is rolled back, and our camera waits for that
   * request, which our user has in effect said yes to already. Should it not
   * come, the camera stops.
   */
  private lostTieBreak(ours: Request): void {
    this.drop(ours);
    this.held = { track: ours.track, timer: this.host.clock.setTimeout(() => this.dropHeld(), CONTENT_ACK_DEADLINE_MS) };
    // The camera's transceiver stays, for the initiator's offer to take: stopped now,
    // it would take that m-line all the same, and answer it inactive.
    this.rollBack({ keepAdded: true });
    this.host.update();
  }

  /** Our request gives way to the peer's: its deadline, its candidates and the request itself go. */
  private drop(ours: Request): void {
    this.request = undefined;
    this.host.clock.clearTimeout(ours.timer);
    this.host.ice.forget(names(ours.added ?? []));
    this.host.mark('content-add-yielded');
  }

  private rollBack(options?: { keepAdded: boolean }): void {
    this.host.mediaPeer()?.rollback(options).catch((err: Error) => this.host.fail('failed-application', `the peer connection could not return to the call before video: ${err.message}`));
  }

  private dropHeld(): void {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    this.host.clock.clearTimeout(held.timer);
    this.host.camera.drop(held.track);
    this.rollBack();
    this.settled(undefined);
  }

  /**
   * Our content-add did not go through: the peer connection returns to the
   * description before it, which still carries the call; the camera stops.
   * `retract` withdraws it with content-remove, for a peer still asking its
   * user (as Conversations retracts).
   */
  private giveUp(ours: Request, message: string | undefined, retract: boolean): void {
    if (this.request !== ours) return;
    this.request = undefined;
    this.host.clock.clearTimeout(ours.timer);
    this.host.ice.forget(names(ours.added ?? []));
    this.host.camera.drop(ours.track);
    this.host.mark('content-add-rolled-back');
    this.settled(message);
    if (retract && ours.added) refuseContents(this.host, 'content-remove', ours.added);
    this.rollBack();
  }

  private cannot(): string {
    return `${this.host.peerName}'s app cannot add video to this call`;
  }

  private declined(): string {
    return `${this.host.peerName} did not turn on video`;
  }
}
