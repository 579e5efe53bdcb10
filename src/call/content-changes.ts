// Mid-call content changes (XEP-0166 §6.6 and §7.2, XEP-0167): video added
// to an audio call by either side with content-add, answered content-accept
// or content-reject; the peer's content-modify (senders) and content-remove.
// Each request is acknowledged before any of this runs; a request that
// crosses ours is settled by the tie-break (§8): the initiator's wins.
// Our own content-add lives in content-add.ts.
import { type Jingle, type JingleError, type Reason, badRequest, outOfOrder, tieBreak } from '../jingle/index.ts';
import { applyUpdate, hasCredentials, midOf, namesByMid, parseSdp, sdpToJingle, withBundledTransports } from '../sdp/index.ts';
import { OwnContentAdd } from './content-add.ts';
import {
  type ContentHost, type VideoState, gatherMs, includes, isBundled, liveVideo, names, otherRole, refuseContents,
} from './content-host.ts';
import { pickerClosed } from '../media/devices.ts';
import type { OwnContent } from './local-media.ts';
import { remoteSdp } from './remote-sdp.ts';
import { jingleIq } from './signalling.ts';

export { CONTENT_ACK_DEADLINE_MS, CONTENT_ANSWER_DEADLINE_MS, type Camera, type ContentHost, type VideoState } from './content-host.ts';

/** The peer's content-add, until our user answers it. */
interface Incoming {
  request: Jingle;
  /** Our answer is being made: the user's choice is taken. */
  answering?: boolean;
}

export class ContentChanges {
  private readonly ours: OwnContentAdd;
  private incoming?: Incoming;
  private notice?: string;
  /** The peer's content-add was acknowledged and is not yet received(). */
  private arriving = false;

  constructor(private readonly host: ContentHost) {
    this.ours = new OwnContentAdd(
      host,
      (message) => {
        this.notice = message;
        host.update();
      },
      () => this.arriving,
    );
  }

  get state(): VideoState {
    const live = liveVideo(this.host.remoteModel());
    return {
      sending: Boolean(this.host.camera.track) && !this.ours.pending && live.some((c) => includes(c.senders, this.host.role)),
      receiving: live.some((c) => includes(c.senders, otherRole(this.host.role))),
      asking: this.ours.pending,
      asked: Boolean(this.incoming && !this.incoming.answering),
      notice: this.notice,
    };
  }

  /** Our content of this medium, when the call has one: whether both descriptions let us send on it. */
  own(media: 'audio' | 'video'): OwnContent | undefined {
    const model = this.host.remoteModel();
    const remote = model?.contents.find((c) => c.description?.media === media && !model.removed?.includes(c.name));
    if (!remote) return undefined;
    const local = this.host.localContents().find((c) => c.name === remote.name);
    return { name: remote.name, creator: remote.creator ?? 'initiator', sendable: includes(remote.senders, this.host.role) && includes(local?.senders, this.host.role) };
  }

  /** A content-add waits for its answer, ours or the peer's: an ICE restart now would cross it. */
  get busy(): boolean {
    return this.ours.pending || Boolean(this.incoming);
  }

  /** Whether video can be added now: an audio call, connected, with nothing else under way. */
  get canAdd(): boolean {
    return this.host.active && !this.busy && !this.host.restarting() && liveVideo(this.host.remoteModel()).length === 0 && Boolean(this.host.mediaPeer());
  }

  /** Opens our camera (or screen) and asks the peer to take its video (content-add). */
  async add(source: 'camera' | 'screen' = 'camera'): Promise<void> {
    if (!this.canAdd) return;
    this.notice = undefined;
    let track: MediaStreamTrack;
    try {
      track = await this.host.camera.open(source);
    } catch (err) {
      if (source === 'screen' && pickerClosed(err)) return this.host.update();
      this.notice = source === 'screen' ? (err as Error).message : `Your camera could not be opened: ${(err as Error).message}`;
      return this.host.update();
    }
    // The peer asked for video while our camera opened: that is a yes.
    if (this.incoming && !this.incoming.answering) return this.answer(this.incoming, track);
    if (!this.canAdd) return this.host.camera.drop(track);
    await this.ours.start(track);
  }

  /** Our user takes the peer's video, and sends its own camera when the peer asked for it. */
  async accept(): Promise<void> {
    const pending = this.incoming;
    if (!pending || pending.answering) return;
    pending.answering = true;
    this.host.update();
    let track: MediaStreamTrack | undefined;
    let note: string | undefined;
    if (pending.request.contents.some((c) => includes(c.senders, this.host.role))) {
      try {
        track = await this.host.camera.open();
      } catch (err) {
        // XEP-0167 allows a content we only receive: the peer's video still comes in.
        note = `Your camera could not be opened (${(err as Error).message}): you see ${this.host.peerName}, ${this.host.peerName} does not see you`;
      }
    }
    if (this.incoming !== pending) {
      if (track) this.host.camera.drop(track);
      return;
    }
    await this.answer(pending, track, note);
  }

  /** Our user declines the peer's video: content-reject, and the call goes on as it was. */
  decline(): void {
    const pending = this.incoming;
    if (!pending || pending.answering) return;
    this.incoming = undefined;
    this.host.ice.forget(names(pending.request.contents));
    // Dino answers a content-reject with feature-not-implemented: nothing to do about it.
    refuseContents(this.host, 'content-reject', pending.request.contents, { condition: 'decline' });
    this.host.update();
  }

  /** XEP-0166: whether a content-* request fits, checked before it is acknowledged. */
  check(jingle: Jingle): JingleError | undefined {
    const model = this.host.remoteModel();
    if (!model) return outOfOrder(`${jingle.action} before the session is set up`);
    const ours = new Set(this.ours.offered);
    const theirs = names(this.incoming?.request.contents ?? []);
    const known = new Set([...names(model.contents).filter((n) => !model.removed?.includes(n)), ...ours, ...theirs]);
    const unknown = jingle.contents.find((c) => !known.has(c.name));
    switch (jingle.action) {
      case 'content-add': {
        if (jingle.contents.length === 0) return badRequest('content-add without content');
        // XEP-0166 §8: the initiator's request wins; the responder's gets a tie-break.
        if (this.host.role === 'initiator' && this.ours.pending) return tieBreak('a content-add of ours is under way');
        if (this.incoming) return outOfOrder('a content-add waits for an answer already');
        const contents = withBundledTransports(model, jingle.contents, jingle.groups);
        try {
          applyUpdate(model, { ...jingle, contents });
        } catch (err) {
          return err as JingleError;
        }
        if (contents.some((c) => !hasCredentials(c))) return badRequest('content-add without ICE credentials or fingerprint');
        // Known from the acknowledgement on: a transport-info right behind it is taken and held.
        this.host.ice.expect(names(contents));
        this.arriving = true;
        return undefined;
      }
      case 'content-accept':
      case 'content-reject':
        if (ours.size === 0) return outOfOrder(`${jingle.action} without a content-add of ours`);
        if (jingle.contents.some((c) => !ours.has(c.name))) return badRequest(`${jingle.action} of a content we did not add`);
        if (jingle.action === 'content-accept' && (jingle.contents.length === 0 || jingle.contents.some((c) => !c.description))) return badRequest('content-accept without a description');
        return undefined;
      case 'content-modify':
      case 'content-remove':
        if (jingle.contents.length === 0) return badRequest(`${jingle.action} without content`);
        if (unknown) return badRequest(`${jingle.action} of an unknown content "${unknown.name}"`);
        if (jingle.action === 'content-modify' && jingle.contents.some((c) => !c.senders)) return badRequest('content-modify without senders');
        return undefined;
      default:
        return badRequest(`${jingle.action} is not supported in this session`);
    }
  }

  /** Acts on a content-* request that check() let through and that was acknowledged. */
  receive(jingle: Jingle): void {
    switch (jingle.action) {
      case 'content-add':
        return this.requested(jingle);
      case 'content-accept':
        void this.ours.accepted(jingle);
        return;
      case 'content-reject':
        return this.ours.rejected(jingle.reason);
      case 'content-modify':
        return this.modified(jingle);
      case 'content-remove':
        return this.removed(jingle);
      default:
        return;
    }
  }

  /**
   * The media path dropped: the ICE restart that must follow cannot wait
   * for a content-add, so a request waiting on either side is withdrawn.
   */
  interrupt(): void {
    if (this.incoming && !this.incoming.answering) this.decline();
    this.ours.interrupt();
  }

  clear(): void {
    this.ours.clear();
    this.incoming = undefined;
    this.arriving = false;
  }

  private requested(jingle: Jingle): void {
    this.arriving = false;
    const model = this.host.remoteModel()!;
    const request = { ...jingle, contents: withBundledTransports(model, jingle.contents, jingle.groups) };
    if (!request.contents.every((c) => c.description?.media === 'video') || liveVideo(model).length > 0) {
      // Conversations does the same: only video is added, and only to an audio call.
      this.host.ice.forget(names(request.contents));
      refuseContents(this.host, 'content-reject', request.contents, { condition: 'decline', text: 'only video can be added to an audio call' });
      return;
    }
    const track = this.ours.yieldTrack();
    this.incoming = { request };
    this.host.ice.expect(names(request.contents));
    this.notice = undefined;
    this.host.mark('content-add-received');
    if (!track) return this.host.update();
    // We are the responder and asked for video too: the initiator's request is taken at once.
    void this.answer(this.incoming, track);
  }

  private async answer(pending: Incoming, track: MediaStreamTrack | undefined, note?: string): Promise<void> {
    pending.answering = true;
    const peer = this.host.mediaPeer();
    const added = names(pending.request.contents);
    const refuse = (reason: Reason, why: string): void => {
      this.incoming = undefined;
      if (track) this.host.camera.drop(track);
      this.host.ice.forget(added);
      refuseContents(this.host, 'content-reject', pending.request.contents, reason);
      this.notice = `${this.host.peerName}'s video could not be added: ${why}`;
      this.host.update();
    };
    let sdp: string;
    // The peer's description now (an ICE restart may have come meanwhile), with the contents added.
    const model = applyUpdate(this.host.remoteModel()!, pending.request);
    try {
      if (!peer) throw new Error('no peer connection');
      const offer = remoteSdp(model, { peerRole: otherRole(this.host.role), type: 'offer', version: ++this.host.version.value, bundle: this.host.style.bundle, localSdp: peer.localDescription });
      sdp = await peer.answerOffer(offer, { track, gatherMs: gatherMs(this.host) });
    } catch (err) {
      if (this.incoming === pending) refuse({ condition: 'failed-application', text: (err as Error).message }, (err as Error).message);
      return;
    }
    if (this.incoming !== pending || !this.host.active) return;
    const translated = sdpToJingle(parseSdp(sdp), { author: this.host.role, creator: 'initiator', names: namesByMid(this.host.ice.names) });
    const requested = new Map(pending.request.contents.map((c) => [c.name, c]));
    // Each accepted content repeats the request's creator and senders: Conversations
    // matches its content-add by name, media and senders, and ends a call that differs.
    const contents = translated.contents
      .filter((c) => requested.has(c.name))
      .map((c) => ({ ...c, creator: requested.get(c.name)!.creator, senders: requested.get(c.name)!.senders ?? 'both' }));
    if (contents.length === 0) {
      // Our peer connection refused the new m-line (port 0): no codec in common, say.
      this.host.changed({ ...model, removed: [...(model.removed ?? []), ...added] }, translated.contents);
      return refuse({ condition: 'incompatible-parameters' }, 'no video format in common');
    }
    this.incoming = undefined;
    this.host.changed(model, translated.contents);
    this.host.ice.useCredentials(contents);
    const jingle: Jingle = { action: 'content-accept', sid: this.host.sid, contents, groups: isBundled(this.host) ? translated.groups : [] };
    this.host.signalling.request(jingleIq(this.host.peer, jingle)).catch(() => undefined);
    this.host.mark('content-accept-sent');
    // Our description has gone, the peer's is set: candidates flow both ways.
    this.host.ice.settle(added);
    this.notice = note;
    this.host.update();
  }

  /** Senders changed (Dino turns its camera off and on so): media follows, without renegotiation. */
  private modified(jingle: Jingle): void {
    const model = this.host.remoteModel()!;
    for (const c of jingle.contents) {
      this.ours.modified(c.name, c.senders!);
      const asked = this.incoming?.request.contents.find((r) => r.name === c.name);
      if (asked) asked.senders = c.senders!;
    }
    const established = jingle.contents.filter((c) => model.contents.some((m) => m.name === c.name));
    if (established.length === 0) return this.host.update();
    const senders = new Map(established.map((c) => [c.name, c.senders!]));
    const local = this.host.localContents().map((c) => (senders.has(c.name) ? { ...c, senders: senders.get(c.name)! } : c));
    this.host.changed(applyUpdate(model, { ...jingle, contents: established }), local);
    const peer = this.host.mediaPeer();
    for (const c of established) {
      if (model.contents.find((m) => m.name === c.name)?.description?.media !== 'video') continue;
      const track = includes(c.senders, this.host.role) ? (this.host.camera.track ?? null) : null;
      void peer?.setSending(midOf(c.name), track).catch(() => undefined);
    }
    this.host.mark('content-modify-received');
    this.host.update();
  }

  private removed(jingle: Jingle): void {
    const gone = names(jingle.contents);
    const pending = this.incoming;
    if (pending && names(pending.request.contents).every((n) => gone.includes(n))) {
      // The peer withdrew its content-add before our user answered.
      this.incoming = undefined;
      this.host.ice.forget(gone);
      return this.host.update();
    }
    if (this.ours.offered.length && this.ours.offered.every((n) => gone.includes(n))) return this.ours.removed();
    const { sending, receiving } = this.state;
    this.host.changed(applyUpdate(this.host.remoteModel()!, jingle), this.host.localContents());
    // Its candidates could only fail on a stopped m-line; a transport-info for it is a bad-request now.
    this.host.ice.forget(gone);
    this.host.mediaPeer()?.stopMids(gone.map(midOf));
    const video = liveVideo(this.host.remoteModel()).length > 0;
    const track = this.host.camera.track;
    if (track && !video) this.host.camera.drop(track);
    if ((sending || receiving) && !video) this.notice = `${this.host.peerName} turned off video; the call goes on with audio`;
    this.host.mark('content-remove-received');
    this.host.update();
  }
}
