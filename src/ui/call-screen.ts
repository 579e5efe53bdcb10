// The call in progress: remote media, self-view, state, the mid-call
// controls (microphone, camera, screen, devices) and hang-up.
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { describeServices } from '../call/ice-plan.ts';
import type { JingleSession } from '../call/jingle-session.ts';
import { type Quality, QualityMeter } from '../media/call-quality.ts';
import type { CandidatePair } from '../media/stats.ts';
import { formatDuration } from './call-timer.ts';
import { describeActivity } from '../call/session-info.ts';
import { type DeviceChoice, loadChoice } from '../media/device-choice.ts';
import type { DevicePickedEvent } from './device-settings.ts';
import './device-settings.ts';
import { SessionController } from './session-controller.ts';

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

@customElement('jl-call-screen')
export class CallScreen extends LitElement {
  static override styles = css`
    :host { display: block; }
    section { display: grid; gap: 0.75rem; }
    .stage { position: relative; background: #111820; border-radius: 10px; min-height: 12rem; overflow: hidden; }
    video.remote { width: 100%; max-height: 70vh; display: block; background: #111820; }
    video.self { position: absolute; right: 0.75rem; bottom: 0.75rem; width: 28%; max-width: 12rem; border: 2px solid white; border-radius: 6px; background: #333; }
    .audio-only { color: #dfe6ee; display: grid; place-items: center; min-height: 12rem; font-size: 1.2rem; }
    .bar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.75rem 1rem; }
    .status { flex: 1 1 16rem; }
    .status strong { display: block; }
    .controls button { font: inherit; padding: 0.45rem 0.9rem; border-radius: 6px; border: 1px solid #b8bfc9; background: white; cursor: pointer; }
    .controls button[aria-pressed='true'] { background: #fff5db; border-color: #e0a100; }
    .peer-activity { color: #8a5a00; }
    .path { display: block; color: #445; font-size: 0.9rem; }
    details { font-size: 0.9rem; color: #445; }
    details p { margin: 0.2rem 0; }
    .controls button:disabled { color: #778; cursor: default; }
    .controls button[aria-pressed='true']:disabled { color: #5a4300; }
    .ask { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 0.75rem; background: #eef3fb; border: 1px solid #b9cbe8; border-radius: 8px; padding: 0.6rem 0.9rem; }
    .ask p { margin: 0; flex: 1 1 12rem; font-weight: 600; }
    .ask button { font: inherit; padding: 0.45rem 0.9rem; border-radius: 6px; border: 1px solid #b8bfc9; background: white; cursor: pointer; }
    .ask button.yes { background: #1d5fd1; border-color: #1d5fd1; color: white; }
    .video-note { display: block; color: #445; }
    .peer-card { color: #dfe6ee; display: grid; place-items: center; align-content: center; gap: 0.3rem; min-height: 12rem; text-align: center; }
    .peer-card strong { font-size: 1.2rem; }
    .peer-card span { font-size: 0.95rem; color: #b9c4d0; }
    .settings { border: 1px solid #d0d6de; border-radius: 8px; padding: 0.75rem; background: #fafbfc; }
    .meta { display: block; }
    .meta:empty { display: none; }
    .timer { font-variant-numeric: tabular-nums; margin-right: 0.6rem; }
    .quality[data-quality='good'] { color: #17703c; }
    .quality[data-quality='fair'] { color: #8a5a00; }
    .quality[data-quality='poor'] { color: #b3261e; }
    .quality[data-quality='unknown'] { color: #556; }
    .hangup { font: inherit; padding: 0.5rem 1.2rem; border-radius: 6px; border: 0; background: #c8321e; color: white; cursor: pointer; }
  `;

  @property({ attribute: false }) session?: JingleSession;
  @property() peerName = '';

  @query('video.remote') private remoteVideo?: HTMLVideoElement;
  @query('audio.remote') private remoteAudio?: HTMLAudioElement;
  @query('video.self') private selfView?: HTMLVideoElement;

  private readonly controller = new SessionController(this);
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

  override connectedCallback(): void {
    super.connectedCallback();
    this.pathTimer = setInterval(() => void this.sample(), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.pathTimer);
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
  }

  protected override updated(): void {
    const session = this.session;
    attach(this.remoteVideo, session?.remoteStream);
    attach(this.remoteAudio, session?.remoteStream);
    attach(this.selfView, session?.localStream);
    for (const element of [this.remoteVideo, this.remoteAudio]) playOn(element, this.speaker);
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
    const controls = session.controls;
    const video = sending || receiving;
    // The peer's camera is off (session-info, or Dino's content-modify): its name, never a frozen frame.
    const peerVideo = receiving && !session.peerActivity.cameraOff;
    const phase = PHASE_TEXT[session.phase]?.(this.peerName, session.media === 'video') ?? session.phase;
    // Our camera shows itself from the moment it opens, also while the peer is asked.
    const selfView = Boolean(session.localStream?.getVideoTracks().some((t) => t.readyState === 'live'));
    const activity = describeActivity(session.peerActivity, this.peerName);
    // Before the callee answers, hanging up is cancelling (a XEP-0353 retract).
    const answered = !(session.direction === 'outgoing' && ['starting', 'calling', 'ringing'].includes(session.phase));
    return html`<section aria-label="Call with ${this.peerName}">
      <div class="stage">
        ${peerVideo
          ? html`<video class="remote" autoplay playsinline aria-label="${this.peerName}'s video"></video>`
          : html`<div class="peer-card" data-peer-card>
              <strong>${this.peerName}</strong>
              ${video || session.media === 'video' ? html`<span>${session.peerActivity.cameraOff || (session.media === 'video' && !receiving) ? 'Camera off' : ''}</span>` : null}
            </div><audio class="remote" autoplay></audio>`}
        ${selfView ? html`<video class="self" autoplay playsinline muted aria-label="Your camera"></video>` : null}
      </div>
      ${asked
        ? html`<div class="ask" role="alertdialog" aria-label="Video request" aria-describedby="ask-text">
            <p id="ask-text">${this.peerName} wants to turn on video</p>
            <button class="yes" @click=${() => session.acceptVideo()}>Turn on video</button>
            <button @click=${() => session.declineVideo()}>Not now</button>
          </div>`
        : null}
      <div class="bar">
        <div class="status" role="status" aria-live="polite">
          <strong data-phase=${session.phase}>${phase}</strong>
          <span class="meta">
            ${session.connectedAt !== undefined && session.phase !== 'ended'
              ? html`<span class="timer" role="timer" data-call-timer aria-label="Call duration">${formatDuration(Math.max(0, this.now - session.connectedAt))}</span>`
              : null}
            ${this.quality && session.phase !== 'ended'
              ? html`<span class="quality" role="img" data-quality=${this.quality.level} title=${this.quality.text} aria-label="Connection quality: ${this.quality.text}">● ${LEVEL_TEXT[this.quality.level]}</span>`
              : null}
          </span>
          <span>${video ? 'Video call' : 'Audio call'} with ${this.peerName}</span>
          ${activity ? html`<span class="peer-activity" data-peer-activity>${activity}</span>` : null}
          ${session.infoUndelivered ? html`<span class="peer-activity" role="alert" data-undelivered>${session.infoUndelivered}</span>` : null}
          ${asking ? html`<span class="video-note" data-video-asking>Asking ${this.peerName} to turn on video…</span>` : null}
          ${notice ? html`<span class="video-note" data-video-notice>${notice}</span>` : null}
          ${session.mediaNotice && session.phase !== 'ended' ? html`<span class="video-note" role="alert" data-media-notice>${session.mediaNotice}</span>` : null}
          ${controls.notice ? html`<span class="video-note" role="alert" data-device-notice>${controls.notice}</span>` : null}
          ${this.path && session.phase !== 'ended' ? html`<span class="path" data-path=${this.path.localType}>${describePath(this.path)}</span>` : null}
        </div>
        <span class="controls">
          <button aria-pressed=${controls.muted ? 'true' : 'false'} ?disabled=${!controls.microphone}
            title=${controls.microphone ? '' : 'No microphone: you can listen but not be heard'}
            @click=${() => session.setMuted(!controls.muted)}>${controls.muted ? 'Unmute' : 'Mute'}</button>
          <button aria-pressed=${session.held ? 'true' : 'false'} @click=${() => session.setHeld(!session.held)}>${session.held ? 'Resume' : 'Hold'}</button>
          <button aria-pressed=${controls.camera ? 'true' : 'false'} ?disabled=${!controls.canCamera}
            title=${controls.why ?? (asking ? `Waiting for ${this.peerName}` : controls.camera ? 'Turn your camera off' : 'Turn your camera on')}
            @click=${() => session.setCamera(!controls.camera)}>Camera</button>
          <button aria-pressed=${controls.sharing ? 'true' : 'false'} ?disabled=${!controls.sharing && !controls.canShare}
            title=${controls.why ?? (controls.sharing ? 'Show your camera again' : 'Show a screen, window or tab instead of your camera')}
            @click=${() => session.shareScreen(!controls.sharing)}>${controls.sharing ? 'Stop sharing' : 'Share screen'}</button>
          <button aria-expanded=${this.settingsOpen ? 'true' : 'false'} aria-controls="call-settings"
            @click=${() => (this.settingsOpen = !this.settingsOpen)}>Settings</button>
          ${session.phase === 'connected'
            ? html`<button title="New ICE credentials, as after a network change" @click=${() => session.restartIce()}>Restart ICE</button>`
            : null}
        </span>
        <button class="hangup" @click=${() => session.hangUp()}>${answered ? 'Hang up' : 'Cancel'}</button>
      </div>
      ${this.settingsOpen
        ? html`<div class="settings" id="call-settings" role="group" aria-label="Devices">
            <jl-device-settings mode="call" .inUse=${this.inUse()} @device-picked=${(e: DevicePickedEvent) => this.onDevicePicked(e)}></jl-device-settings>
          </div>`
        : null}
      <details>
        <summary>Call details</summary>
        <p data-ice-servers>${describeServices(session.ice.choice)}</p>
        ${session.ice.policy === 'relay' ? html`<p>Always relay: only relayed candidates, so ${this.peerName} does not learn your address.</p>` : null}
        ${this.path
          ? html`<p>Candidate pair: ${this.path.local} (${this.path.localType}) ↔ ${this.path.remote} (${this.path.remoteType})</p>`
          : null}
      </details>
    </section>`;
  }
}

const LEVEL_TEXT = { good: 'Good connection', fair: 'Fair connection', poor: 'Poor connection', unknown: 'Measuring connection…' } as const;

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
