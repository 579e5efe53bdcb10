// The call in progress, laid out as a calling app: the peer's video large on
// a dark stage (their avatar and name while there is none), our own video
// small in a corner that can be moved, the time and quality at the top, the
// controls at the bottom; what the call could not do, and its details, below.
import { LitElement, css, html, nothing, type PropertyValues, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { describeServices } from '../call/ice-plan.ts';
import type { JingleSession } from '../call/jingle-session.ts';
import { describeActivity, type PeerActivity } from '../call/session-info.ts';
import { type Quality, QualityMeter } from '../media/call-quality.ts';
import { type DeviceChoice, loadChoice } from '../media/device-choice.ts';
import type { CandidatePair } from '../media/stats.ts';
import { bareJid } from '../xmpp/jid.ts';
import './avatar-view.ts';
import { formatDuration } from './call-timer.ts';
import type { DevicePickedEvent } from './device-settings.ts';
import './device-settings.ts';
import { icon, type IconName } from './icons.ts';
import { SessionController } from './session-controller.ts';
import { controls, phoneQuery } from './theme.ts';

const PHASE_TEXT: Record<string, (name: string, video: boolean) => string> = {
  starting: (_n, video) => (video ? 'Starting camera and microphone…' : 'Starting microphone…'),
  calling: (name) => `Calling ${name}…`,
  ringing: () => 'Ringing…',
  incoming: () => 'Incoming call',
  connecting: () => 'Connecting…',
  connected: () => 'Connected',
  reconnecting: () => 'Reconnecting…',
  ended: () => 'Call ended',
};

const LEVEL_TEXT = { good: 'Good connection', fair: 'Fair connection', poor: 'Poor connection', unknown: 'Measuring connection…' } as const;

/** Where the self-view sits on the stage. */
export type Corner = 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';

@customElement('jl-call-screen')
export class CallScreen extends LitElement {
  static override styles = [
    controls,
    css`
      :host { display: block; }
      section { display: grid; gap: var(--jl-space-3); max-width: 1100px; margin: 0 auto; }
      .stage { position: relative; display: flex; flex-direction: column; box-sizing: border-box; width: 100%; aspect-ratio: 16 / 9;
        min-height: 20rem; max-height: 85vh; overflow: hidden; border-radius: var(--jl-radius-l); background: var(--jl-stage); color: var(--jl-stage-text); }
      .stage:fullscreen { max-height: none; aspect-ratio: auto; border-radius: 0; }
      .view { position: relative; flex: 1; min-height: 0; display: grid; place-content: center; justify-items: center; gap: var(--jl-space-2);
        padding: 3.5rem var(--jl-space-4) var(--jl-space-4); text-align: center; }
      video.remote { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: contain; background: var(--jl-stage); }
      .peer-card { display: grid; justify-items: center; gap: var(--jl-space-2); }
      .peer-card .name { font-size: var(--jl-text-xl); font-weight: 600; overflow-wrap: anywhere; }
      .peer-card .camera-off { display: inline-flex; align-items: center; gap: var(--jl-space-1); font-size: var(--jl-text-s); }
      .peer-card .camera-off:empty { display: none; }
      .status { margin: 0; overflow-wrap: anywhere; }
      .with-video .status { position: absolute; z-index: 1; left: var(--jl-space-3); bottom: var(--jl-space-3); display: inline-flex; gap: var(--jl-space-2);
        padding: var(--jl-space-1) var(--jl-space-3); border-radius: var(--jl-radius-round); background: var(--jl-stage); font-size: var(--jl-text-s); }
      .top { position: absolute; z-index: 1; top: var(--jl-space-3); left: var(--jl-space-3); right: var(--jl-space-3);
        display: flex; flex-wrap: wrap; justify-content: space-between; align-items: flex-start; gap: var(--jl-space-2); }
      .top > span { display: flex; flex-wrap: wrap; gap: var(--jl-space-2); }
      .chip { display: inline-flex; align-items: center; gap: var(--jl-space-1); padding: var(--jl-space-1) var(--jl-space-3);
        border-radius: var(--jl-radius-round); background: var(--jl-surface); color: var(--jl-text); font-size: var(--jl-text-s); }
      .timer { font-variant-numeric: tabular-nums; }
      .quality[data-quality='good'] .icon { color: var(--jl-ok); }
      .quality[data-quality='fair'] .icon { color: var(--jl-warn); }
      .quality[data-quality='poor'] .icon { color: var(--jl-danger); }
      .quality[data-quality='unknown'] .icon { color: var(--jl-text-muted); }
      .badge { background: var(--jl-warn-soft); }
      video.self { position: absolute; z-index: 2; width: 24%; min-width: 6rem; max-width: 14rem; object-fit: cover; box-sizing: border-box;
        border: 2px solid var(--jl-stage-text); border-radius: var(--jl-radius-m); background: var(--jl-surface-2); box-shadow: var(--jl-shadow);
        cursor: grab; touch-action: none; user-select: none; }
      video.self.mirrored { transform: scaleX(-1); }
      video.self.dragging { cursor: grabbing; }
      video.self[data-corner$='left'] { left: var(--jl-space-3); }
      video.self[data-corner$='right'] { right: var(--jl-space-3); }
      /* Below the time and quality, which stay readable. */
      video.self[data-corner^='top'] { top: 3.25rem; }
      video.self[data-corner^='bottom'] { bottom: var(--jl-space-3); }
      .ask, .settings { position: absolute; z-index: 3; box-sizing: border-box; text-align: start; background: var(--jl-surface); color: var(--jl-text);
        border: 1px solid var(--jl-border); border-radius: var(--jl-radius-m); box-shadow: var(--jl-shadow); }
      .ask { top: 3.25rem; left: 50%; transform: translateX(-50%); width: min(28rem, calc(100% - 2 * var(--jl-space-3)));
        display: flex; flex-wrap: wrap; align-items: center; gap: var(--jl-space-2) var(--jl-space-3); padding: var(--jl-space-3) var(--jl-space-4); }
      .ask p { margin: 0; flex: 1 1 12rem; font-weight: 600; }
      .settings { right: var(--jl-space-3); bottom: var(--jl-space-3); width: min(22rem, calc(100% - 2 * var(--jl-space-3)));
        max-height: calc(100% - 2 * var(--jl-space-3)); overflow: auto; padding: var(--jl-space-4); }
      .controls { display: grid; grid-template-columns: 1fr auto 1fr; align-items: center; gap: var(--jl-space-2) var(--jl-space-3);
        padding: var(--jl-space-3) var(--jl-space-4) var(--jl-space-4); }
      .controls > div { display: flex; align-items: center; gap: var(--jl-space-3); }
      .controls .secondary { justify-self: start; gap: var(--jl-space-2); }
      .controls button { width: 3rem; min-height: 3rem; padding: 0; border: 0; border-radius: var(--jl-radius-round);
        background: var(--jl-surface-2); color: var(--jl-text); }
      .controls button:hover:not(:disabled) { background: var(--jl-border); }
      .controls button[aria-pressed='true'], .controls button[aria-pressed='true']:hover:not(:disabled) { background: var(--jl-accent); color: var(--jl-accent-text); }
      .controls button.hang-up, .controls button.hang-up:hover:not(:disabled) { width: 4.5rem; min-height: 3.5rem; background: var(--jl-danger); color: var(--jl-danger-text); }
      .controls button.hang-up:hover:not(:disabled) { filter: brightness(1.08); }
      .controls :focus-visible, video.self:focus-visible { outline-color: var(--jl-stage-text); }
      .mic { position: relative; display: inline-flex; }
      .meter { position: absolute; left: 50%; bottom: -0.5rem; width: 2rem; height: 4px; transform: translateX(-50%); overflow: hidden;
        border-radius: var(--jl-radius-round); background: var(--jl-surface-2); }
      .meter span { display: block; height: 100%; background: var(--jl-ok); transform-origin: left; }
      .notes { display: grid; gap: var(--jl-space-1); font-size: var(--jl-text-s); }
      .notes p { margin: 0; }
      .notes .alert { color: var(--jl-warn); font-weight: 600; }
      .path { display: flex; flex-wrap: wrap; align-items: center; gap: var(--jl-space-2); }
      details { font-size: var(--jl-text-s); color: var(--jl-text-muted); }
      details p { margin: var(--jl-space-1) 0; }

      @media ${phoneQuery} {
        section { gap: var(--jl-space-2); }
        .stage { aspect-ratio: auto; height: 78vh; height: 78dvh; min-height: 22rem; max-height: none; border-radius: var(--jl-radius-m); }
        .view { padding-inline: var(--jl-space-3); }
        video.self { width: 30%; min-width: 5.5rem; }
        .controls { grid-template-columns: 1fr; justify-items: center; padding: var(--jl-space-2) var(--jl-space-2) var(--jl-space-3); }
        .controls > div, .controls .secondary { justify-self: center; gap: var(--jl-space-2); }
        .controls button { width: 2.75rem; min-height: 2.75rem; }
        .controls button.hang-up, .controls button.hang-up:hover:not(:disabled) { width: 3.75rem; min-height: 2.75rem; }
      }
    `,
  ];

  @property({ attribute: false }) session?: JingleSession;
  @property() peerName = '';
  /** Whether the inspector shows this call. */
  @property({ type: Boolean }) inspecting = false;
  /** The peer's bare JID, for its avatar's colour; `session.peer` when absent. */
  @property() peerJid?: string;
  /** The peer's avatar, as a data: URL. */
  @property({ attribute: false }) avatar?: string;

  @query('.stage') private stage?: HTMLElement;
  @query('.view') private view?: HTMLElement;
  @query('video.remote') private remoteVideo?: HTMLVideoElement;
  @query('audio.remote') private remoteAudio?: HTMLAudioElement;
  @query('video.self') private selfView?: HTMLVideoElement;

  private readonly controller = new SessionController(this);
  private readonly microphone = new MicrophoneLevel(this);
  /** The candidate pair in use, read from getStats() while the call is up. */
  @state() private path?: CandidatePair;
  @state() private settingsOpen = false;
  /** Where the call plays (setSinkId), as chosen in the settings. */
  private speaker = loadChoice().speaker;
  private pathTimer?: ReturnType<typeof setInterval>;
  /** good / fair / poor from getStats(), once a second. */
  @state() private quality?: Quality;
  private readonly meter = new QualityMeter();
  /** Now, once a second, for the call's timer. */
  @state() private now = Date.now();
  @state() private corner: Corner = 'bottom-right';
  /** The self-view's place while the pointer drags it, in pixels from the view's top left. */
  @state() private dragAt?: { x: number; y: number };
  private grab?: { pointerId: number; dx: number; dy: number };
  @state() private fullscreen = false;
  @state() private pictureInPicture = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.pathTimer = setInterval(() => void this.sample(), 1000);
    document.addEventListener('fullscreenchange', this.onFullscreenChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.pathTimer);
    document.removeEventListener('fullscreenchange', this.onFullscreenChange);
    // The call's window would outlive its screen.
    if (this.pictureInPicture) document.exitPictureInPicture().catch(() => undefined);
  }

  /** Mutes or unmutes the microphone, as its button does (the M shortcut). */
  toggleMute(): void {
    const controls = this.session?.controls;
    if (controls?.microphone) this.session!.setMuted(!controls.muted);
  }

  /** Turns the camera on or off, as its button does (the V shortcut). */
  toggleCamera(): void {
    const controls = this.session?.controls;
    if (controls?.canCamera) this.session!.setCamera(!controls.camera);
  }

  /** Hangs up, or cancels a call not yet answered. */
  hangUp(): void {
    this.session?.hangUp();
  }

  /** Once a second while the call is up: the path, the quality, the timer. */
  private async sample(): Promise<void> {
    const session = this.session;
    if (!session || (session.phase !== 'connected' && session.phase !== 'reconnecting')) return;
    this.now = Date.now();
    const stats = await session.stats().catch(() => undefined);
    if (!stats) return;
    const pair = stats.selectedPair;
    if (pair && JSON.stringify(pair) !== JSON.stringify(this.path)) this.path = pair;
    this.quality = this.meter.sample(stats);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('session')) {
      this.controller.follow(this.session);
      this.meter.reset();
      this.quality = undefined;
    }
    // Before rendering, so that the meter drops to 0 in the same update that shows the mute.
    const session = this.session;
    if (!session || session.phase === 'ended') this.microphone.stop();
    else this.microphone.follow(session.localStream?.getAudioTracks()[0], session.controls.muted || session.held);
  }

  protected override updated(): void {
    const session = this.session;
    attach(this.remoteVideo, session?.remoteStream);
    attach(this.remoteAudio, session?.remoteStream);
    attach(this.selfView, session?.localStream);
    for (const element of [this.remoteVideo, this.remoteAudio]) playOn(element, this.speaker);
  }

  private readonly onFullscreenChange = () => {
    this.fullscreen = Boolean(this.stage) && this.shadowRoot?.fullscreenElement === this.stage;
  };

  private toggleFullscreen(): void {
    if (this.fullscreen) document.exitFullscreen().catch(() => undefined);
    else this.stage?.requestFullscreen().catch(() => undefined);
  }

  private togglePictureInPicture(): void {
    if (document.pictureInPictureElement) document.exitPictureInPicture().catch(() => undefined);
    else this.remoteVideo?.requestPictureInPicture().catch(() => undefined);
  }

  private onSelfKey(event: KeyboardEvent): void {
    const next = movedCorner(this.corner, event.key);
    if (!next) return;
    event.preventDefault();
    this.corner = next;
  }

  private onSelfPointerDown(event: PointerEvent): void {
    if (event.button !== 0 || !this.selfView) return;
    const box = this.selfView.getBoundingClientRect();
    this.grab = { pointerId: event.pointerId, dx: event.clientX - box.left, dy: event.clientY - box.top };
    this.selfView.setPointerCapture?.(event.pointerId);
  }

  private onSelfPointerMove(event: PointerEvent): void {
    const grab = this.grab;
    if (!grab || event.pointerId !== grab.pointerId || !this.view || !this.selfView) return;
    const area = this.view.getBoundingClientRect();
    const box = this.selfView.getBoundingClientRect();
    // Kept inside the view: the stage above the controls.
    const within = (at: number, room: number) => Math.max(0, Math.min(at, room));
    this.dragAt = { x: within(event.clientX - area.left - grab.dx, area.width - box.width), y: within(event.clientY - area.top - grab.dy, area.height - box.height) };
  }

  /** Let go: the self-view settles in the corner nearest to where it was dropped. */
  private onSelfPointerUp(event: PointerEvent): void {
    if (!this.grab || event.pointerId !== this.grab.pointerId) return;
    this.grab = undefined;
    const at = this.dragAt;
    this.dragAt = undefined;
    if (!at || !this.view || !this.selfView) return;
    const area = this.view.getBoundingClientRect();
    const box = this.selfView.getBoundingClientRect();
    const vertical = at.y + box.height / 2 < area.height / 2 ? 'top' : 'bottom';
    const horizontal = at.x + box.width / 2 < area.width / 2 ? 'left' : 'right';
    this.corner = `${vertical}-${horizontal}`;
  }

  /** The devices the call uses now, for the settings to show. */
  private inUse(): DeviceChoice {
    const stream = this.session?.localStream;
    const id = (track: MediaStreamTrack | undefined) => track?.getSettings?.().deviceId;
    const microphone = id(stream?.getAudioTracks()[0]);
    const camera = this.session?.controls.camera ? id(stream?.getVideoTracks()[0]) : undefined;
    return { ...(microphone ? { microphone } : {}), ...(camera ? { camera } : {}), ...(this.speaker ? { speaker: this.speaker } : {}) };
  }

  private onDevicePicked(event: DevicePickedEvent): void {
    const { kind, id } = event.detail;
    if (kind === 'speaker') this.speaker = id;
    void this.session?.useDevice(kind, id).finally(() => this.requestUpdate());
  }

  override render() {
    const session = this.session;
    if (!session) return null;
    const { sending, receiving, asking, asked, notice } = session.video;
    const video = sending || receiving;
    // The peer's camera is off (session-info, or Dino's content-modify): its name, never a frozen frame.
    const peerVideo = receiving && !session.peerActivity.cameraOff;
    const phase = PHASE_TEXT[session.phase]?.(this.peerName, session.media === 'video') ?? session.phase;
    const activity = describeActivity(session.peerActivity, this.peerName);
    const ended = session.phase === 'ended';
    return html`<section aria-label="Call with ${this.peerName}">
      <div class="stage">
        <div class="view ${peerVideo ? 'with-video' : 'without-video'}">
          ${peerVideo
            ? html`<video class="remote" autoplay playsinline aria-label="${this.peerName}'s video"
                @enterpictureinpicture=${() => (this.pictureInPicture = true)} @leavepictureinpicture=${() => (this.pictureInPicture = false)}></video>`
            : html`<div class="peer-card" data-peer-card>
                <jl-avatar .jid=${this.peerJid ?? bareJid(session.peer)} .name=${this.peerName} .src=${this.avatar} .size=${96}></jl-avatar>
                <strong class="name">${this.peerName}</strong>
                ${video || session.media === 'video'
                  ? html`<span class="camera-off">${session.peerActivity.cameraOff || (session.media === 'video' && !receiving) ? 'Camera off' : ''}</span>`
                  : nothing}
              </div><audio class="remote" autoplay></audio>`}
          <p class="status" role="status" aria-live="polite">
            ${peerVideo ? html`<span>${this.peerName}</span>` : nothing}<strong data-phase=${session.phase}>${phase}</strong>
          </p>
          <div class="top">
            <span>
              ${session.connectedAt !== undefined && !ended
                ? html`<span class="chip timer" role="timer" data-call-timer aria-label="Call duration">${formatDuration(Math.max(0, this.now - session.connectedAt))}</span>`
                : nothing}
              ${this.quality && !ended
                ? html`<span class="chip quality" role="img" data-quality=${this.quality.level} title=${this.quality.text}
                    aria-label="Connection quality: ${this.quality.text}">${icon('signal', 16)}${LEVEL_TEXT[this.quality.level]}</span>`
                : nothing}
            </span>
            <span>${activity ? html`<span class="chip badge" data-peer-activity>${icon(activityIcon(session.peerActivity), 16)}${activity}</span>` : nothing}</span>
          </div>
          ${this.renderSelfView()}
          ${asked
            ? html`<div class="ask" role="alertdialog" aria-label="Video request" aria-describedby="ask-text">
                <p id="ask-text">${this.peerName} wants to turn on video</p>
                <button class="primary" @click=${() => session.acceptVideo()}>Turn on video</button>
                <button @click=${() => session.declineVideo()}>Not now</button>
              </div>`
            : nothing}
          ${this.settingsOpen
            ? html`<div class="settings" id="call-settings" role="group" aria-label="Devices"
                @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.closeSettings()}>
                <jl-device-settings mode="call" .inUse=${this.inUse()} @device-picked=${(e: DevicePickedEvent) => this.onDevicePicked(e)}></jl-device-settings>
              </div>`
            : nothing}
        </div>
        ${this.renderControls(session, peerVideo)}
      </div>
      ${this.renderNotes(session, video, asking, notice)}
      <details>
        <summary>Call details</summary>
        <p data-ice-servers>${describeServices(session.ice.choice)}</p>
        ${session.ice.policy === 'relay' ? html`<p>Always relay: only relayed candidates, so ${this.peerName} does not learn your address.</p>` : nothing}
        ${this.path
          ? html`<p>Candidate pair: ${this.path.local} (${this.path.localType}) ↔ ${this.path.remote} (${this.path.remoteType})</p>`
          : nothing}
      </details>
    </section>`;
  }

  private renderSelfView() {
    const session = this.session!;
    // Our camera shows itself from the moment it opens, also while the peer is asked.
    if (!session.localStream?.getVideoTracks().some((t) => t.readyState === 'live')) return nothing;
    const dragged = this.dragAt ? { left: `${this.dragAt.x}px`, top: `${this.dragAt.y}px`, right: 'auto', bottom: 'auto' } : {};
    // A camera shows as in a mirror; a shared screen as it is.
    const mirrored = session.controls.camera && !session.controls.sharing;
    return html`<video class="self ${mirrored ? 'mirrored' : ''} ${this.dragAt ? 'dragging' : ''}" autoplay playsinline muted tabindex="0"
      aria-label="Your video, press arrow keys to move it" data-corner=${this.corner} style=${styleMap(dragged)}
      @keydown=${this.onSelfKey} @pointerdown=${this.onSelfPointerDown} @pointermove=${this.onSelfPointerMove}
      @pointerup=${this.onSelfPointerUp} @pointercancel=${this.onSelfPointerUp}></video>`;
  }

  private renderControls(session: JingleSession, peerVideo: boolean) {
    const controls = session.controls;
    // Before the callee answers, hanging up is cancelling (a XEP-0353 retract).
    const answered = !(session.direction === 'outgoing' && ['starting', 'calling', 'ringing'].includes(session.phase));
    const canShareScreen = controls.sharing || typeof navigator.mediaDevices?.getDisplayMedia === 'function';
    const level = this.microphone.level;
    return html`<div class="controls">
      <div class="secondary">
        ${iconButton('inspect', 'Inspector', {
          pressed: this.inspecting, title: 'Interop inspector: the stanzas, SDP and media figures of this call',
          click: () => this.dispatchEvent(new CustomEvent('inspect', { detail: { sid: session.sid }, bubbles: true, composed: true })),
        })}
        ${iconButton(session.held ? 'resume' : 'hold', session.held ? 'Resume' : 'Hold', {
          pressed: session.held, title: session.held ? 'Take the call off hold' : 'Put the call on hold', click: () => session.setHeld(!session.held),
        })}
        ${document.fullscreenEnabled
          ? iconButton('fullscreen', this.fullscreen ? 'Exit full screen' : 'Full screen', { click: () => this.toggleFullscreen() })
          : nothing}
        ${document.pictureInPictureEnabled && peerVideo
          ? iconButton('pip', 'Picture in picture', {
              pressed: this.pictureInPicture, title: `${this.peerName}'s video in a window of its own`, click: () => this.togglePictureInPicture(),
            })
          : nothing}
      </div>
      <div class="primary">
        <span class="mic">
          ${iconButton(controls.muted ? 'micOff' : 'mic', controls.muted ? 'Unmute' : 'Mute', {
            pressed: controls.muted, disabled: !controls.microphone,
            title: controls.microphone ? (controls.muted ? 'Unmute your microphone' : 'Mute your microphone') : 'No microphone: you can listen but not be heard',
            click: () => session.setMuted(!controls.muted),
          })}
          <span class="meter" role="meter" aria-label="Microphone level" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${level}>
            <span style=${styleMap({ transform: `scaleX(${level / 100})` })}></span>
          </span>
        </span>
        ${iconButton(controls.camera ? 'video' : 'videoOff', 'Camera', {
          pressed: controls.camera, disabled: !controls.canCamera,
          title: controls.why ?? (session.video.asking ? `Waiting for ${this.peerName}` : controls.camera ? 'Turn your camera off' : 'Turn your camera on'),
          click: () => session.setCamera(!controls.camera),
        })}
        ${canShareScreen
          ? iconButton(controls.sharing ? 'screenOff' : 'screen', controls.sharing ? 'Stop sharing' : 'Share screen', {
              pressed: controls.sharing, disabled: !controls.sharing && !controls.canShare,
              title: controls.why ?? (controls.sharing ? 'Show your camera again' : 'Show a screen, window or tab instead of your camera'),
              click: () => session.shareScreen(!controls.sharing),
            })
          : nothing}
        ${iconButton('settings', 'Settings', {
          expanded: this.settingsOpen, title: 'Microphone, camera and speaker', click: () => (this.settingsOpen = !this.settingsOpen),
        })}
        ${iconButton('hangUp', answered ? 'Hang up' : 'Cancel', { className: 'hang-up', click: () => session.hangUp() })}
      </div>
    </div>`;
  }

  private renderNotes(session: JingleSession, video: boolean, asking: boolean, notice: string | undefined) {
    const ended = session.phase === 'ended';
    return html`<div class="notes">
      <p class="muted">${video ? 'Video call' : 'Audio call'} with ${this.peerName}</p>
      ${session.infoUndelivered ? html`<p class="alert" role="alert" data-undelivered>${session.infoUndelivered}</p>` : nothing}
      ${asking ? html`<p data-video-asking>Asking ${this.peerName} to turn on video…</p>` : nothing}
      ${notice ? html`<p data-video-notice>${notice}</p>` : nothing}
      ${session.mediaNotice && !ended ? html`<p class="alert" role="alert" data-media-notice>${session.mediaNotice}</p>` : nothing}
      ${session.controls.notice ? html`<p role="alert" data-device-notice>${session.controls.notice}</p>` : nothing}
      ${this.path && !ended ? html`<p class="path"><span data-path=${this.path.localType}>${describePath(this.path)}</span></p>` : nothing}
      ${session.phase === 'connected'
        ? html`<p><button title="New ICE credentials, as after a network change" @click=${() => session.restartIce()}>Restart ICE</button></p>`
        : nothing}
    </div>`;
  }

  private closeSettings(): void {
    this.settingsOpen = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('button[aria-controls="call-settings"]')?.focus());
  }
}

interface ButtonOptions {
  click: () => void;
  title?: string;
  pressed?: boolean;
  expanded?: boolean;
  disabled?: boolean;
  className?: string;
}

/** A round control: its icon, its name for assistive technology, its tooltip. */
function iconButton(name: IconName, label: string, options: ButtonOptions) {
  const { click, title = label, pressed, expanded, disabled = false, className = '' } = options;
  return html`<button class=${className} title=${title} ?disabled=${disabled} @click=${click}
    aria-pressed=${pressed === undefined ? nothing : String(pressed)}
    aria-expanded=${expanded === undefined ? nothing : String(expanded)} aria-controls=${expanded === undefined ? nothing : 'call-settings'}
    >${icon(name, 22)}<span class="visually-hidden">${label}</span></button>`;
}

function activityIcon(activity: PeerActivity): IconName {
  if (activity.held) return 'hold';
  if (activity.muted) return 'micOff';
  return activity.cameraOff ? 'videoOff' : 'screen';
}

/** The corner an arrow key moves the self-view to, from this one. */
function movedCorner(corner: Corner, key: string): Corner | undefined {
  const [vertical, horizontal] = corner.split('-') as ['top' | 'bottom', 'left' | 'right'];
  if (key === 'ArrowLeft') return `${vertical}-left`;
  if (key === 'ArrowRight') return `${vertical}-right`;
  if (key === 'ArrowUp') return `top-${horizontal}`;
  if (key === 'ArrowDown') return `bottom-${horizontal}`;
  return undefined;
}

/** About fifteen readings a second: a meter moves smoothly at that, and a frame is ~16 ms. */
const READING_MS = 1000 / 15;
/** The meter's range in dBFS: speech into a microphone sits well inside it, room noise near its bottom. */
const QUIET_DB = -60;
const LOUD_DB = -10;

/**
 * How loud the microphone is, 0–100, from a Web Audio analyser on our audio
 * track. The AudioContext opens on the first track to measure and closes
 * with the call or when the screen leaves the page; without Web Audio the
 * level stays 0.
 */
class MicrophoneLevel implements ReactiveController {
  level = 0;
  private context?: AudioContext;
  private analyser?: AnalyserNode;
  private source?: MediaStreamAudioSourceNode;
  private track?: MediaStreamTrack;
  private samples?: Float32Array<ArrayBuffer>;
  private frame?: number;
  private lastReading = 0;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Measures this track; none, or a silent one (muted, on hold), reads 0. */
  follow(track: MediaStreamTrack | undefined, silent: boolean): void {
    if (!track || track.readyState !== 'live' || silent) {
      this.pause();
      this.show(0);
      return;
    }
    // A microphone switched mid-call is a new track.
    if (track !== this.track) this.listen(track);
    if (this.analyser && this.source && this.frame === undefined) this.frame = requestAnimationFrame(this.read);
  }

  /** Closes the AudioContext: the call is over. */
  stop(): void {
    this.pause();
    this.source?.disconnect();
    this.source = this.analyser = this.track = this.samples = undefined;
    this.context?.close().catch(() => undefined);
    this.context = undefined;
    this.show(0);
  }

  hostConnected(): void {
    // Back on the page: measure again from the next update.
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.stop();
  }

  private listen(track: MediaStreamTrack): void {
    this.source?.disconnect();
    this.source = undefined;
    this.track = track;
    if (typeof AudioContext !== 'function') return;
    try {
      this.context ??= new AudioContext();
      if (!this.analyser) {
        this.analyser = this.context.createAnalyser();
        this.analyser.fftSize = 1024;
        this.samples = new Float32Array(this.analyser.fftSize);
      }
      // The track alone: the stream's first audio track could change under the source.
      this.source = this.context.createMediaStreamSource(new MediaStream([track]));
      this.source.connect(this.analyser);
      // Not connected to the speakers: the analyser only listens.
      this.context.resume().catch(() => undefined);
    } catch {
      // A browser that cannot measure this track: the meter reads 0.
      this.source = undefined;
    }
  }

  private readonly read = (now: number): void => {
    this.frame = requestAnimationFrame(this.read);
    if (now - this.lastReading < READING_MS || !this.analyser || !this.samples) return;
    this.lastReading = now;
    this.analyser.getFloatTimeDomainData(this.samples);
    this.show(levelOf(this.samples));
  };

  private pause(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
  }

  private show(level: number): void {
    if (level === this.level) return;
    this.level = level;
    this.host.requestUpdate();
  }
}

/** The loudness of a block of samples (-1…1), 0–100 on the meter's dB scale. */
function levelOf(samples: Float32Array): number {
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  const rms = Math.sqrt(sum / Math.max(1, samples.length));
  const db = rms > 0 ? 20 * Math.log10(rms) : -Infinity;
  return Math.round(100 * Math.max(0, Math.min(1, (db - QUIET_DB) / (LOUD_DB - QUIET_DB))));
}

/** The path media takes, in words: direct, or through which relay and how. */
function describePath(pair: CandidatePair): string {
  if (pair.localType === 'relay') {
    const server = pair.relayServer?.replace(/^turns?:/, '').replace(/\?.*$/, '') ?? 'a TURN server';
    const how = pair.relayProtocol ? `TURN over ${pair.relayProtocol.toUpperCase()}` : 'TURN';
    return `Relayed through ${server} (${how}), relay address ${pair.local}`;
  }
  if (pair.remoteType === 'relay') return `Through ${pair.remote}, the other side’s relay`;
  return `Direct connection (${pair.localType} ↔ ${pair.remoteType})`;
}

/** Plays the call on the chosen speaker, where the browser can (setSinkId). */
function playOn(element: HTMLMediaElement | undefined, speaker: string | undefined): void {
  const sink = element as (HTMLMediaElement & { sinkId?: string; setSinkId?: (id: string) => Promise<void> }) | undefined;
  if (!sink?.setSinkId || !speaker || sink.sinkId === speaker) return;
  // A speaker unplugged since: the system's default plays on.
  sink.setSinkId(speaker).catch(() => undefined);
}

function attach(element: HTMLMediaElement | undefined, stream: MediaStream | undefined): void {
  if (!element || element.srcObject === (stream ?? null)) return;
  element.srcObject = stream ?? null;
  // Autoplay may still be refused without a gesture; the element keeps trying on the next update.
  if (stream) element.play().catch(() => undefined);
}
