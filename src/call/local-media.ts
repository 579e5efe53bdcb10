// Our side of a call's media: the local stream, the microphone muted, the
// call held, what our video sends (camera, screen or nothing), and devices
// switched. Where the call has a content for it, each change swaps the
// track on its sender (no renegotiation) and the peer is told with
// session-info (XEP-0167 §7); an audio call gets video by content-add,
// which is the session's.
import type { Role, SessionInfo } from '../jingle/index.ts';
import type { DeviceChoice, DeviceKind } from '../media/device-choice.ts';
import { pickerClosed } from '../media/devices.ts';
import type { MediaPeer } from '../media/media-peer.ts';
import { midOf } from '../sdp/index.ts';
import type { Camera } from './content-host.ts';

/** What our video sends. */
export type VideoSource = 'camera' | 'screen' | 'none';

/** The devices a call opens while it runs. */
export interface LocalDevices {
  openCamera(deviceId?: string): Promise<MediaStream>;
  openMicrophone(deviceId?: string): Promise<MediaStream>;
  openScreen(): Promise<MediaStream>;
  stopMedia(stream: MediaStream | undefined): void;
  /** The devices the user chose, and remembering a new choice. */
  choice(): DeviceChoice;
  remember(choice: DeviceChoice): void;
}

/** A content of ours that the call has: its name, its creator, whether we may send on it. */
export interface OwnContent {
  name: string;
  creator: Role;
  sendable: boolean;
}

export interface LocalMediaHost {
  readonly ended: boolean;
  readonly peerName: string;
  readonly devices: LocalDevices;
  mediaPeer(): MediaPeer | undefined;
  content(media: 'audio' | 'video'): OwnContent | undefined;
  /** Tells the peer (session-info); `optional` payloads only to a peer that advertises them. */
  tell(info: SessionInfo): void;
  mark(name: string): void;
  /** What the user sees changed. */
  changed(): void;
}

export class LocalMedia {
  stream?: MediaStream;
  muted = false;
  held = false;
  /** No microphone (none, or blocked): the call is received only. */
  noMicrophone = false;
  /** What our video sends now. */
  source: VideoSource = 'none';
  /** The last device change, or why one failed, in words. */
  notice?: string;
  /** What the video sent before the screen: it comes back when sharing stops. */
  private beforeShare: VideoSource = 'none';
  /** A switch under way: another waits for it. */
  private busy = Promise.resolve();

  constructor(private readonly host: LocalMediaHost) {
    const media = this;
    this.camera = {
      open: (source = 'camera') => this.openForChange(source),
      drop: (track) => this.dropFromChange(track),
      get track() {
        return media.videoTrack;
      },
    };
  }

  /** The devices the call opened at its start. */
  take(stream: MediaStream, noMicrophone = false): void {
    this.stream = stream;
    this.noMicrophone = noMicrophone;
    this.source = stream.getVideoTracks().some(live) ? 'camera' : 'none';
    for (const track of stream.getTracks()) this.watch(track);
    this.apply();
  }

  /** The call ended: every device stops. */
  stop(): void {
    this.host.devices.stopMedia(this.stream);
    this.stream = undefined;
    this.source = 'none';
  }

  /** What our video goes back to when sharing stops. */
  get afterSharing(): VideoSource {
    return this.beforeShare === 'camera' ? 'camera' : 'none';
  }

  get videoTrack(): MediaStreamTrack | undefined {
    return this.stream?.getVideoTracks().find(live);
  }

  setMuted(muted: boolean): boolean {
    if (muted === this.muted || this.noMicrophone) return false;
    this.muted = muted;
    this.apply();
    return true;
  }

  setHeld(held: boolean): boolean {
    if (held === this.held) return false;
    this.held = held;
    this.apply();
    return true;
  }

  /**
   * The camera for video the session adds by content-add (an audio call),
   * or for the answer to the peer's: opens a camera or the screen, and
   * takes it into our stream.
   */
  readonly camera: Camera;

  private async openForChange(source: 'camera' | 'screen'): Promise<MediaStreamTrack> {
    const track = await this.openTrack(source);
    if (!this.stream || this.host.ended) {
      track.stop();
      throw new Error('the call ended');
    }
    this.stream.addTrack(track);
    this.source = source;
    this.beforeShare = 'none';
    this.apply();
    return track;
  }

  private dropFromChange(track: MediaStreamTrack): void {
    this.stream?.removeTrack(track);
    track.stop();
    if (!this.videoTrack) this.source = 'none';
    this.host.changed();
  }

  /**
   * What our video sends, in a call that has a video content we may send
   * on: the track on its sender is swapped, and the peer told.
   */
  async setSource(next: VideoSource): Promise<void> {
    await this.serialise(() => this.switchSource(next));
  }

  /** Switches a device mid-call (and remembers it); the speaker is the call screen's. */
  async useDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    this.host.devices.remember({ ...this.host.devices.choice(), [kind]: deviceId });
    if (kind === 'speaker') return this.host.changed();
    await this.serialise(async () => {
      if (kind === 'microphone') await this.switchMicrophone(deviceId);
      else if (this.source === 'camera') await this.replaceVideo('camera', deviceId);
    });
  }

  private async switchSource(next: VideoSource): Promise<void> {
    const content = this.host.content('video');
    if (this.host.ended || next === this.source || !content?.sendable) return;
    const before = this.source;
    this.notice = undefined;
    if (next === 'none') {
      await this.host.mediaPeer()?.setSending(midOf(content.name), null).catch(() => undefined);
      this.removeVideo();
      this.source = 'none';
    } else {
      try {
        await this.replaceVideo(next, next === 'camera' ? this.host.devices.choice().camera : undefined);
      } catch (err) {
        if (next !== 'screen' || !pickerClosed(err)) this.notice = (err as Error).message;
        return this.host.changed();
      }
    }
    if (next === 'screen') this.beforeShare = before;
    this.host.mark(next === 'none' ? 'video-off' : next === 'screen' ? 'screen-share' : 'camera-on');
    // XEP-0167 §7: our video is muted, or comes back.
    if (next === 'none' || before === 'none') this.host.tell({ kind: next === 'none' ? 'mute' : 'unmute', creator: content.creator, name: content.name });
    if (next === 'screen' || before === 'screen') this.host.tell({ kind: 'screen', sharing: next === 'screen', name: content.name });
    this.host.changed();
  }

  /** Opens `source` and sends it in place of what our video sent. */
  private async replaceVideo(source: 'camera' | 'screen', deviceId: string | undefined): Promise<void> {
    const content = this.host.content('video');
    if (!content?.sendable || !this.stream) return;
    const track = await this.openTrack(source, deviceId);
    if (this.host.ended || !this.stream) {
      track.stop();
      return;
    }
    await this.host.mediaPeer()?.setSending(midOf(content.name), track);
    this.removeVideo();
    this.stream.addTrack(track);
    this.source = source;
    this.apply();
  }

  private async switchMicrophone(deviceId: string | undefined): Promise<void> {
    const content = this.host.content('audio');
    if (!this.stream || !content?.sendable) return;
    const opened = await this.host.devices.openMicrophone(deviceId);
    const track = opened.getAudioTracks()[0];
    if (!track || this.host.ended || !this.stream) {
      this.host.devices.stopMedia(opened);
      return;
    }
    this.watch(track);
    track.enabled = !this.held && !this.muted;
    await this.host.mediaPeer()?.setSending(midOf(content.name), track);
    for (const old of this.stream.getAudioTracks()) {
      this.stream.removeTrack(old);
      old.stop();
    }
    this.stream.addTrack(track);
    this.noMicrophone = false;
    this.host.mark('microphone-switched');
    this.host.changed();
  }

  private async openTrack(source: 'camera' | 'screen', deviceId?: string): Promise<MediaStreamTrack> {
    const opened = source === 'screen' ? await this.host.devices.openScreen() : await this.host.devices.openCamera(deviceId ?? this.host.devices.choice().camera);
    const track = opened.getVideoTracks()[0];
    for (const other of opened.getTracks()) if (other !== track) other.stop();
    if (!track) throw new Error(source === 'screen' ? 'the screen gave no video' : 'the camera gave no video');
    this.watch(track, source);
    return track;
  }

  private removeVideo(): void {
    for (const track of this.stream?.getVideoTracks() ?? []) {
      this.stream!.removeTrack(track);
      track.stop();
    }
  }

  /**
   * A device that ends on its own (unplugged, or the browser's "Stop
   * sharing"): a microphone or camera falls back to the default one, a
   * screen gives way to what was sent before it.
   */
  private watch(track: MediaStreamTrack, source?: 'camera' | 'screen'): void {
    track.addEventListener?.('ended', () => {
      if (this.host.ended || !this.stream?.getTracks().includes(track)) return;
      if (source === 'screen') {
        void this.setSource(this.afterSharing);
        return;
      }
      void this.serialise(() => this.fellBack(track));
    });
  }

  private async fellBack(track: MediaStreamTrack): Promise<void> {
    const what = track.kind === 'audio' ? 'microphone' : 'camera';
    const label = track.label ? `${track.label}` : `Your ${what}`;
    try {
      if (track.kind === 'audio') await this.switchMicrophone(undefined);
      else await this.replaceVideo('camera', undefined);
      this.notice = `${label} was disconnected: the default ${what} is used now.`;
    } catch {
      if (track.kind === 'video') await this.switchSource('none');
      this.notice = `${label} was disconnected and no other ${what} was found: ${this.host.peerName} ${track.kind === 'audio' ? 'cannot hear' : 'does not see'} you.`;
    }
    this.host.changed();
  }

  private serialise(step: () => Promise<void>): Promise<void> {
    const next = this.busy.then(step, step);
    this.busy = next.catch(() => undefined);
    return next;
  }

  private apply(): void {
    for (const track of this.stream?.getTracks() ?? []) track.enabled = !this.held && !(track.kind === 'audio' && this.muted);
  }
}

const live = (track: MediaStreamTrack) => track.readyState === 'live';
