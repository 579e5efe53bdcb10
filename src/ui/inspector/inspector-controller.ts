// The inspector's state beside the app: the recorder fed by the connection,
// getStats() sampled once a second for each call under way, the peer's
// XEP-0092 version asked once per call, and which call the panel shows.
import { html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { version } from '../../../package.json';
import type { JingleSession } from '../../call/jingle-session.ts';
import { Recorder } from '../../inspector/recorder.ts';
import type { ProbeOutcome } from '../../inspector/probe.ts';
import type { CallRecording } from '../../inspector/recording.ts';
import { bareJid } from '../../xmpp/jid.ts';
import type { Connection } from '../../xmpp/connection.ts';
import { answerVersionQueries, askVersion } from '../../xmpp/software-version.ts';
import { createFrameBatch } from '../frame-batch.ts';

const SAMPLE_MS = 1000;
export const OURS = { name: 'Jingle Lab', version };

export class InspectorController implements ReactiveController {
  recorder?: Recorder;
  /** Whether the panel is open, and on which call (a session id, or an imported report). */
  open = false;
  sid?: string;
  imported?: CallRecording;
  /** The panel's module, loaded the first time it opens. */
  private ready = false;
  private sessions = new Set<JingleSession>();
  /** Devices asked their version, once per login: the answer goes into every later call with them. */
  private asked = new Set<string>();
  private timer?: ReturnType<typeof setInterval>;
  /** Redraws at most once a frame, however many stanzas come. */
  private readonly redraw = createFrameBatch(() => this.host.requestUpdate());

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.stop();
  }

  attach(connection: Connection, features: () => readonly string[], featuresOf: (jid: string) => ReadonlySet<string> | undefined): void {
    this.stop();
    const recorder = new Recorder({
      now: () => performance.timeOrigin + performance.now(),
      self: () => connection.jid,
      ours: { ...OURS, source: 'self' },
      get ourFeatures() {
        return features();
      },
      featuresOf,
    });
    this.recorder = recorder;
    connection.on('log', (direction, element) => recorder.observe(direction, element));
    answerVersionQueries(connection, OURS);
    recorder.onChange((sid) => {
      if (this.open && (!this.sid || sid === this.sid)) this.redraw.request();
    });
    this.timer = setInterval(() => void this.sampleAll(connection), SAMPLE_MS);
  }

  /** A new call: its record takes its SDP and milestones from the session. */
  track(session: JingleSession): void {
    if (!this.recorder?.enabled) return;
    this.recorder.track(session);
    this.sessions.add(session);
  }

  /**
   * Opens the inspector on a call (`sid`; else the call on screen, else the
   * latest), or closes it when it shows that call already.
   */
  toggle(sid?: string, onScreen?: string): void {
    if (this.open && (!sid || (sid === this.sid && !this.imported))) this.close();
    else this.show(sid ?? onScreen);
  }

  show(sid?: string): void {
    this.open = true;
    this.imported = undefined;
    this.sid = sid ?? this.recorder?.sids.at(-1);
    this.host.requestUpdate();
    if (!this.ready) {
      void import('./inspector-panel.ts').then(() => {
        this.ready = true;
        this.host.requestUpdate();
      });
    }
  }

  showImported(recording: CallRecording): void {
    this.open = true;
    this.imported = recording;
    this.host.requestUpdate();
  }

  close(): void {
    this.open = false;
    this.host.requestUpdate();
  }

  /** The panel, beside the call (a sheet on a phone), or nothing while it is closed. */
  render(nameOf: (jid: string) => string, probe: (text: string) => Promise<ProbeOutcome>) {
    if (!this.open) return null;
    if (!this.ready) return html`<aside class="inspector inspector-loading" aria-label="Inspector" role="status">Opening the inspector…</aside>`;
    const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const calls = (this.recorder?.list() ?? []).reverse().map((c) => ({
      sid: c.sid,
      label: `${time.format(c.startedAt)} ${c.direction === 'incoming' ? 'from' : 'to'} ${nameOf(bareJid(c.peer))}${c.media ? ` (${c.media})` : ''}`,
    }));
    return html`<jl-inspector class="inspector" role="complementary" aria-label="Inspector" .recording=${this.recording} .calls=${calls}
      .selected=${this.sid ?? ''} .imported=${Boolean(this.imported)} .probe=${probe}
      @close=${() => this.close()} @choose-call=${(e: CustomEvent<{ sid: string }>) => this.show(e.detail.sid)}
      @import-recording=${(e: CustomEvent<CallRecording>) => this.showImported(e.detail)}></jl-inspector>`;
  }

  /** What the panel shows now. */
  get recording(): CallRecording | undefined {
    if (this.imported) return this.imported;
    return this.sid ? this.recorder?.recording(this.sid) : undefined;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.sessions.clear();
    this.asked.clear();
    this.recorder = undefined;
    this.imported = undefined;
    this.open = false;
  }

  private async sampleAll(connection: Connection): Promise<void> {
    for (const session of this.sessions) {
      if (session.phase === 'ended') {
        this.sessions.delete(session);
        continue;
      }
      // The peer's full JID is known once a device took the call.
      if (session.peer.includes('/') && !this.asked.has(session.peer)) {
        this.asked.add(session.peer);
        void askVersion(connection, session.peer);
      }
      if (session.phase !== 'connected' && session.phase !== 'reconnecting') continue;
      const [tracks, stats] = await Promise.all([session.trackFigures(), session.stats().catch(() => undefined)]);
      const pair = stats?.selectedPair;
      this.recorder?.sample(
        session.sid,
        tracks,
        pair ? { local: pair.local, remote: pair.remote, localType: pair.localType, remoteType: pair.remoteType, ...(pair.relayProtocol ? { protocol: pair.relayProtocol } : {}) } : undefined,
      );
    }
  }
}
