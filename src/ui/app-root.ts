// The app: login, contacts, and the call of the moment.
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { type CallManager, createCallManager } from '../call/call-manager.ts';
import type { JingleSession } from '../call/jingle-session.ts';
import { WIRE_STYLES, type WireStyleName } from '../call/wire-style.ts';
import { parseStanza } from '../call/signalling.ts';
import { CALL_FEATURES, ringVia, supports } from '../call/capabilities.ts';
import { type Caps, createCaps } from '../xmpp/caps.ts';
import { enableCarbons } from '../xmpp/carbons.ts';
import { createExternalServices, type ExternalServices } from '../xmpp/external-services.ts';
import { planIce } from '../call/ice-plan.ts';
import type { CallMedia } from '../media/devices.ts';
import { openLocalMedia } from '../media/devices.ts';
import { createMediaPeer } from '../media/media-peer.ts';
import { type Connection, connect, LoginError } from '../xmpp/connection.ts';
import { discoverWebSocket } from '../xmpp/discovery.ts';
import { bareJid, parseAccountJid } from '../xmpp/jid.ts';
import { type Contact, type Roster, createRoster } from '../xmpp/roster.ts';
import type { CallRequest, CallTarget } from './contact-list.ts';
import type { LoginDetail } from './login-form.ts';
import { RingController } from './ring-controller.ts';
import type { LogEntry } from './stanza-log.ts';
import './call-screen.ts';
import './device-settings.ts';
import './contact-list.ts';
import './incoming-call.ts';
import './login-form.ts';
import './stanza-log.ts';

const MAX_LOG = 500;
const MAX_HISTORY = 100;
const RELAY_ONLY_KEY = 'jinglelab.relayOnly';

/** Reads and removes the login fragment: #jid=…&password=…&service=… */
function takeLoginFragment(): LoginDetail | undefined {
  if (!location.hash.includes('jid=')) return undefined;
  const params = new URLSearchParams(location.hash.slice(1));
  history.replaceState(null, '', location.pathname + location.search);
  const jid = params.get('jid') ?? '';
  const password = params.get('password') ?? '';
  return jid && password ? { jid, password, service: params.get('service') ?? '' } : undefined;
}

@customElement('jl-app')
export class AppRoot extends LitElement {
  static override styles = css`
    :host { display: block; font: 16px/1.45 system-ui, sans-serif; color: #1b2430; max-width: 52rem; margin: 0 auto; padding: 1rem; }
    header { display: flex; align-items: baseline; gap: 1rem; margin-bottom: 1rem; }
    h1 { font-size: 1.3rem; margin: 0; flex: 1; }
    .me { color: #445; font-size: 0.9rem; overflow-wrap: anywhere; }
    .notice { background: #eef3fb; border-radius: 8px; padding: 0.6rem 0.9rem; margin: 0 0 1rem; display: flex; gap: 1rem; align-items: center; }
    .notice p { margin: 0; flex: 1; }
    .notice button, header button { font: inherit; font-size: 0.85rem; border: 1px solid #b8bfc9; background: white; border-radius: 6px; padding: 0.2rem 0.6rem; cursor: pointer; }
    .warning { background: #fff5db; }
    main { display: grid; gap: 1rem; }
    .address { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; font-size: 0.9rem; }
    .address input { font: inherit; padding: 0.3rem 0.5rem; border: 1px solid #b8bfc9; border-radius: 6px; }
    .address button { font: inherit; padding: 0.3rem 0.7rem; border-radius: 6px; border: 1px solid #1d5fd1; background: white; color: #1d5fd1; cursor: pointer; }
    .log h2 { font-size: 1rem; margin: 0 0 0.3rem; }
    .log ul { margin: 0; padding-left: 1.2rem; color: #445; }
    .style { display: block; font-size: 0.85rem; color: #445; margin: -0.5rem 0 1rem; }
    .style select { font: inherit; margin-left: 0.4rem; }
    .devices summary { cursor: pointer; }
    .devices jl-device-settings { margin-top: 0.5rem; max-width: 24rem; }
  `;

  private readonly rings = new RingController(this);
  @state() private connection?: Connection;
  @state() private contacts: readonly Contact[] = [];
  @state() private loginError = '';
  @state() private loginStatus = '';
  @state() private busy = false;
  @state() private prefill: Partial<LoginDetail> = {};
  @state() private calls: JingleSession[] = [];
  @state() private notice = '';
  @state() private connectionWarning = '';
  @state() private log: LogEntry[] = [];
  @state() private wireStyle: WireStyleName = 'standard';
  @state() private sendError = '';
  /** PROTOCOL.md, Privacy: off by default, calls from outside the roster do not ring. */
  @state() private anyoneMayCall = false;
  /** Calls use TURN relays only, so peers never learn our addresses; kept across visits. */
  @state() private relayOnly = localStorage.getItem(RELAY_ONLY_KEY) === '1';
  /** Missed and refused calls, newest first. */
  @state() private callLog: { text: string; at: number }[] = [];

  /** Ended calls, newest last, for their timelines. */
  private history: JingleSession[] = [];
  private roster?: Roster;
  private caps?: Caps;
  private services?: ExternalServices;
  private manager?: CallManager;
  private seq = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    const fromLink = takeLoginFragment();
    if (fromLink) {
      this.prefill = { jid: fromLink.jid, service: fromLink.service };
      void this.login(fromLink);
    }
    // Leave cleanly, so the peer of a call and our contacts see us go at once
    // rather than when the server's stream-management session times out.
    addEventListener('pagehide', () => {
      for (const call of this.calls) call.hangUp();
      void this.connection?.stop();
    });
    // For the console and the end-to-end tests: what a call measures and what was said.
    Object.assign(globalThis, {
      jingleLab: {
        stats: () => this.activeCall()?.stats(),
        /** Whether a device said it speaks XEP-0353; undefined while its capabilities are not known. */
        supportsJmi: (jid: string) => {
          const features = this.caps?.featuresOf(jid);
          return features ? ringVia(features) === 'jmi' : undefined;
        },
        calls: () => this.calls,
        /** The ring tone and the hidden-tab alert of an incoming call. */
        ringing: () => this.rings.state,
        log: () => this.log,
        timelines: () =>
          [...this.history, ...this.calls].map((c) => ({
            sid: c.sid, direction: c.direction, media: c.media, peer: c.peer, phase: c.phase,
            endReason: c.endReason?.condition, timeline: [...c.timeline],
          })),
      },
    });
  }

  override render() {
    if (!this.connection) {
      return html`<header><h1>Jingle Lab</h1></header>
        <jl-login-form .jid=${this.prefill.jid ?? ''} .service=${this.prefill.service ?? ''} .busy=${this.busy}
          .error=${this.loginError} .status=${this.loginStatus} @login=${(e: CustomEvent<LoginDetail>) => void this.login(e.detail)}></jl-login-form>`;
    }
    const active = this.activeCall();
    const ringing = this.calls.filter((c) => c.phase === 'incoming' && c !== active);
    return html`<header>
        <h1>Jingle Lab</h1>
        <span class="me">${this.connection.jid}</span>
        <button @click=${() => void this.logout()}>Log out</button>
      </header>
      <label class="style"><input type="checkbox" .checked=${this.anyoneMayCall}
        @change=${(e: Event) => (this.anyoneMayCall = (e.target as HTMLInputElement).checked)} /> Let people outside my contacts ring me</label>
      <label class="style"><input type="checkbox" .checked=${this.relayOnly}
        @change=${(e: Event) => this.setRelayOnly((e.target as HTMLInputElement).checked)} /> Always relay calls (hides your IP address)</label>
      <label class="style">On the wire, behave
        <select @change=${(e: Event) => (this.wireStyle = (e.target as HTMLSelectElement).value as WireStyleName)}>
          ${Object.entries(WIRE_STYLES).map(([name, { label }]) => html`<option value=${name} ?selected=${name === this.wireStyle}>${label}</option>`)}
        </select>
      </label>
      ${active
        ? null
        : html`<details class="style devices"><summary>Microphone, camera and speaker</summary>
            <jl-device-settings mode="remember"></jl-device-settings></details>`}
      ${this.connectionWarning ? html`<div class="notice warning" role="status"><p>${this.connectionWarning}</p></div>` : null}
      ${this.notice
        ? html`<div class="notice" role="status"><p data-notice>${this.notice}</p><button @click=${() => (this.notice = '')}>Dismiss</button></div>`
        : null}
      <main>
        ${ringing.map((s) => html`<jl-incoming-call .session=${s} .callerName=${this.nameOf(s.peer)} .waiting=${Boolean(active)}
          @take-call=${() => this.takeWaitingCall(s)}></jl-incoming-call>`)}
        ${active
          ? html`<jl-call-screen .session=${active} .peerName=${this.nameOf(active.peer)}></jl-call-screen>`
          : html`<jl-contact-list .contacts=${this.contacts} .target=${this.callTarget}
              @call=${(e: CustomEvent<CallRequest>) => void this.placeCall(e.detail)}></jl-contact-list>`}
        ${active ? null : this.renderAddressForm()}
        ${this.callLog.length
          ? html`<section aria-label="Call log" class="log"><h2>Call log</h2><ul>
              ${this.callLog.map((e) => html`<li>${new Date(e.at).toLocaleTimeString()} — ${e.text}</li>`)}</ul></section>`
          : null}
        <jl-stanza-log .entries=${this.log} .sendError=${this.sendError} @send-stanza=${(e: CustomEvent<string>) => void this.sendStanza(e.detail)}></jl-stanza-log>
      </main>`;
  }

  private renderAddressForm() {
    const call = (e: Event, media: CallMedia) => {
      const form = (e.target as HTMLElement).closest('form')!;
      void this.callAddress((form.elements.namedItem('address') as HTMLInputElement).value, media);
    };
    return html`<form class="address" aria-label="Call an address" @submit=${(e: Event) => e.preventDefault()}>
      <label>Call an address <input name="address" placeholder="name@example.org" autocomplete="off" /></label>
      <button type="button" @click=${(e: Event) => call(e, 'audio')}>Audio call</button>
      <button type="button" @click=${(e: Event) => call(e, 'video')}>Video call</button>
    </form>`;
  }

  /** Call waiting: end the current call and take the one that rings. */
  private takeWaitingCall(waiting: JingleSession): void {
    this.activeCall()?.hangUp();
    void waiting.accept();
  }

  /** The call on screen: any call past ringing. */
  private activeCall(): JingleSession | undefined {
    return this.calls.find((c) => c.phase !== 'incoming' && c.phase !== 'ended');
  }

  private nameOf(jid: string): string {
    const bare = bareJid(jid);
    return this.contacts.find((c) => c.jid === bare)?.name ?? bare;
  }

  private async login(detail: LoginDetail): Promise<void> {
    this.loginError = '';
    const address = parseAccountJid(detail.jid);
    if (!address) {
      this.loginError = 'That address is not a valid JID. Write it as name@example.org.';
      return;
    }
    if (!detail.password) {
      this.loginError = 'Enter the password of this account.';
      return;
    }
    if (detail.service && !/^wss?:\/\/[^\s/]+/.test(detail.service)) {
      this.loginError = 'The WebSocket URL must start with ws:// or wss://, for example wss://example.org/xmpp-websocket.';
      return;
    }
    this.busy = true;
    try {
      this.loginStatus = detail.service ? `Connecting to ${detail.service}…` : `Looking up the server of ${address.domain}…`;
      const service = detail.service || (await discoverWebSocket(address.domain, location));
      this.loginStatus = `Connecting to ${service}…`;
      const resource = `jinglelab-${crypto.randomUUID().slice(0, 8)}`;
      const connection = await connect({ service, jid: address.bare, password: detail.password, resource });
      this.attach(connection);
      this.loginStatus = 'Loading contacts…';
      await this.roster!.start([await this.caps!.presenceElement()]);
      await enableCarbons(connection);
      this.connection = connection;
      void this.services!.refresh();
    } catch (err) {
      this.loginError = err instanceof LoginError ? err.message : `Login failed: ${(err as Error).message}`;
    } finally {
      this.busy = false;
      this.loginStatus = '';
    }
  }

  private attach(connection: Connection): void {
    connection.on('log', (direction, element) => {
      const entry: LogEntry = { seq: ++this.seq, direction, time: performance.timeOrigin + performance.now(), text: element.toString() };
      this.log = [...this.log.slice(-(MAX_LOG - 1)), entry];
    });
    // The server forgot us (the stream could not resume): announce ourselves again.
    connection.on('rebound', () => {
      void (async () => {
        await this.roster?.start([await this.caps!.presenceElement()]);
        await enableCarbons(connection);
        await this.services?.refresh();
      })().catch((err: unknown) => console.warn('Could not announce presence again', err));
    });
    connection.on('status', (status) => {
      this.connectionWarning = status === 'reconnecting' ? 'Reconnecting to the server…' : status === 'offline' ? 'Disconnected from the server.' : '';
    });
    this.roster = createRoster(connection);
    this.roster.onChange(() => (this.contacts = this.roster!.contacts));
    this.caps = createCaps(connection, { identities: [{ category: 'client', type: 'web', name: 'Jingle Lab' }], features: [...CALL_FEATURES] });
    // New features of a device change which call buttons work.
    this.caps.onChange(() => (this.contacts = [...this.roster!.contacts]));
    this.services = createExternalServices(connection);
    this.manager = createCallManager({
      signalling: connection,
      peerFactory: createMediaPeer,
      openMedia: openLocalMedia,
      featuresOf: (jid) => this.caps?.featuresOf(jid),
      nameOf: (jid) => this.nameOf(jid),
      wireStyle: () => WIRE_STYLES[this.wireStyle].style,
      // PROTOCOL.md, Privacy: only contacts with a mutual subscription ring.
      isTrusted: (bare) => this.anyoneMayCall || (this.roster?.contacts.some((c) => c.jid === bare && c.subscription === 'both') ?? false),
      onBlocked: (from) => this.addToLog(`Call from an unknown contact: ${bareJid(from)}`),
      // XEP-0215, asked again before each call: TURN credentials expire.
      ice: async () => planIce(await this.services!.forCall(), this.relayOnly),
    });
    this.manager.onCall((session) => {
      // Ringing: learn the relays now, so that Accept does not wait for them.
      if (session.direction === 'incoming') void this.services?.forCall();
      this.calls = [...this.calls, session];
      session.subscribe((s) => this.onCallChange(s));
      this.rings.follow(this.calls, (jid) => this.nameOf(jid));
    });
  }

  private onCallChange(session: JingleSession): void {
    // Answered: a moment the user acts on a call, to ask about notifications.
    if (session.direction === 'incoming' && session.phase === 'connecting' && session.timeline.some((e) => e.name === 'accept')) this.rings.askForNotifications();
    if (session.phase === 'ended') {
      this.calls = this.calls.filter((c) => c !== session);
      if (session.endMessage?.startsWith('Missed call')) this.addToLog(session.endMessage);
      if (!this.history.includes(session)) this.history = [...this.history.slice(-(MAX_HISTORY - 1)), session];
      this.notice = session.endMessage ?? 'Call ended';
    } else {
      this.calls = [...this.calls];
    }
    this.rings.follow(this.calls, (jid) => this.nameOf(jid));
  }

  /** The device a call button calls (the best one that takes this kind of call), or why it cannot. */
  private readonly callTarget = (contact: Contact, media: CallMedia): CallTarget => {
    if (contact.resources.length === 0) return { why: `${contact.name} is offline` };
    if (this.activeCall()) return { why: 'You are already in a call' };
    const verdicts = contact.resources.map((r) => ({ jid: r.jid, support: supports(this.caps?.featuresOf(r.jid), media) }));
    const able = verdicts.find((v) => v.support === 'yes');
    if (able) return { jid: able.jid, via: ringVia(this.caps?.featuresOf(able.jid)) };
    const unknown = verdicts.filter((v) => v.support === 'unknown');
    if (unknown.length && unknown.every((v) => this.caps?.isSilent(v.jid))) {
      // Asked twice, never answered: try anyway, by XEP-0353 to every device.
      return { jid: contact.jid, via: 'jmi', note: `${contact.name}'s client did not say what it supports; the call rings every device of ${contact.jid}` };
    }
    if (unknown.length) return { why: `Checking what ${contact.name}'s client supports…` };
    return { why: `${contact.name}'s client does not support ${media} calls` };
  };

  private setRelayOnly(on: boolean): void {
    this.relayOnly = on;
    localStorage.setItem(RELAY_ONLY_KEY, on ? '1' : '0');
  }

  /**
   * Why a relay-only call cannot start, before anything is sent: from the
   * relays known (or, right after login, being asked for). The session asks
   * again for fresh credentials as it starts.
   */
  private async relayRefusal(): Promise<string | undefined> {
    if (!this.relayOnly || !this.services) return undefined;
    const plan = planIce(this.services.current ?? (await this.services.forCall()), true);
    return 'refused' in plan ? plan.refused : undefined;
  }

  private async placeCall(request: CallRequest): Promise<void> {
    const contact = this.contacts.find((c) => c.jid === request.jid);
    const target = contact ? this.callTarget(contact, request.media) : { why: 'Unknown contact' };
    if (!this.manager || 'why' in target) {
      this.notice = 'why' in target ? target.why : 'Not connected.';
      return;
    }
    const refused = await this.relayRefusal();
    if (refused) {
      this.notice = refused;
      return;
    }
    this.notice = '';
    this.rings.askForNotifications();
    this.manager.call(target.jid, request.media, target.via);
  }

  /** Calls an address that need not be a contact: a XEP-0353 propose to its bare JID. */
  private async callAddress(address: string, media: CallMedia): Promise<void> {
    const jid = parseAccountJid(address);
    if (!jid) {
      this.notice = 'That address is not a valid JID. Write it as name@example.org.';
      return;
    }
    if (this.activeCall()) {
      this.notice = 'Hang up the current call first.';
      return;
    }
    const refused = await this.relayRefusal();
    if (refused) {
      this.notice = refused;
      return;
    }
    this.notice = '';
    this.manager?.call(jid.bare, media, 'jmi');
  }

  private async sendStanza(text: string): Promise<void> {
    const stanza = parseStanza(text);
    this.sendError = typeof stanza === 'string' ? stanza : '';
    if (typeof stanza !== 'string') await this.connection?.send(stanza).catch((err: Error) => (this.sendError = err.message));
  }

  private addToLog(text: string): void {
    this.callLog = [{ text, at: Date.now() }, ...this.callLog].slice(0, 50);
  }

  private async logout(): Promise<void> {
    for (const call of this.calls) call.hangUp();
    await this.connection?.stop();
    this.connection = undefined;
    this.calls = [];
    this.contacts = [];
    this.log = [];
  }
}
