// The app: login, contacts, and the call of the moment.
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { type CallManager, createCallManager } from '../call/call-manager.ts';
import type { JingleSession } from '../call/jingle-session.ts';
import { WIRE_STYLES, type WireStyleName } from '../call/wire-style.ts';
import { CALL_FEATURES, ringVia, supports } from '../call/capabilities.ts';
import { type Caps, createCaps, storedHashes } from '../xmpp/caps.ts';
import { enableCarbons } from '../xmpp/carbons.ts';
import { createExternalServices, type ExternalServices } from '../xmpp/external-services.ts';
import { planIce } from '../call/ice-plan.ts';
import type { CallMedia } from '../media/devices.ts';
import { foreseeTracks, openLocalMedia } from '../media/devices.ts';
import type { MediaPeerFactory } from '../media/media-peer.ts';
import { type Connection, connect, LoginError } from '../xmpp/connection.ts';
import { discoverWebSocket } from '../xmpp/discovery.ts';
import { bareJid, parseAccountJid } from '../xmpp/jid.ts';
import { type Contact, type Roster, createRoster } from '../xmpp/roster.ts';
import { type Chat, createChat } from '../xmpp/chat.ts';
import { AVATAR_METADATA_NOTIFY, AVATAR_TYPES, AvatarRejected, type AvatarType, type Avatars, createAvatars } from '../xmpp/avatars.ts';
import { type CallRecord, callRecordOf } from './call-record.ts';
import type { CallRequest, CallTarget, ContactActivity } from './contact-list.ts';
import { createFrameBatch } from './frame-batch.ts';
import { icon } from './icons.ts';
import type { LoginDetail } from './login-form.ts';
import { RingController } from './ring-controller.ts';
import { installShortcuts, type ShortcutAction } from './shortcuts.ts';
import { WireLog } from './stanza-log.ts';
import { applyTheme, controls, installTheme, phoneQuery, saveTheme, storedTheme, type ThemeChoice } from './theme.ts';
import type { CallScreen } from './call-screen.ts';
import { InspectorController } from './inspector/inspector-controller.ts';
import { sendProbe } from '../inspector/probe.ts';
import { withoutCredentials } from '../inspector/recorder.ts';
import { NS_VERSION } from '../xmpp/software-version.ts';
import './avatar-view.ts';
import './call-ended.ts';
import './call-screen.ts';
import './conversation-view.ts';
import './device-settings.ts';
import './contact-list.ts';
import './incoming-call.ts';
import './login-form.ts';
import './own-presence.ts';
import './shortcuts-help.ts';
import './stanza-log.ts';

const MAX_LOG = 500;
/** localStorage: the XEP-0115 hashes verified on earlier visits, with their features. */
const KNOWN_HASHES_KEY = 'jinglelab.caps';
const MAX_HISTORY = 100;
const RELAY_ONLY_KEY = 'jinglelab.relayOnly';
const THEME_LABELS: Record<ThemeChoice, string> = { system: 'System theme', light: 'Light', dark: 'Dark' };
type OwnShow = 'available' | 'away' | 'dnd';
type HistoryState = { state: 'idle' | 'loading' | 'complete' | 'failed'; error?: string };

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
  static override styles = [
    controls,
    css`
      :host { display: block; min-height: 100vh; font-size: var(--jl-text-m); line-height: 1.45; background: var(--jl-bg); }
      .top { display: flex; align-items: center; gap: var(--jl-space-3); padding: var(--jl-space-2) var(--jl-space-4); background: var(--jl-surface);
        border-bottom: 1px solid var(--jl-border); flex-wrap: wrap; }
      .top h1 { font-size: var(--jl-text-l); margin: 0; display: flex; align-items: center; gap: var(--jl-space-2); }
      .side jl-own-presence { background: var(--jl-surface); border: 1px solid var(--jl-border); border-radius: var(--jl-radius-m); padding: var(--jl-space-3); }
      .top-actions { display: flex; align-items: center; gap: var(--jl-space-2); margin-left: auto; }
      .brand-mark { display: inline-grid; place-items: center; width: 3.5rem; height: 3.5rem; border-radius: var(--jl-radius-l); background: var(--jl-accent); color: var(--jl-accent-text); }
      .brand-mark.small { width: 2rem; height: 2rem; border-radius: var(--jl-radius-s); }
      .theme { display: inline-flex; align-items: center; gap: var(--jl-space-1); color: var(--jl-text-muted); }
      .theme select { min-height: 2.5rem; }
      .login-page { min-height: 100vh; display: grid; place-items: center; align-content: center; gap: var(--jl-space-4); padding: var(--jl-space-4); box-sizing: border-box; }
      .login-card { width: min(26rem, 100%); box-sizing: border-box; background: var(--jl-surface); border: 1px solid var(--jl-border); border-radius: var(--jl-radius-l);
        box-shadow: var(--jl-shadow); padding: var(--jl-space-6) var(--jl-space-5); display: grid; gap: var(--jl-space-3); }
      .login-card h1 { margin: 0; font-size: var(--jl-text-xl); }
      .login-card p { margin: 0 0 var(--jl-space-2); }
      .notice { background: var(--jl-accent-soft); border-radius: var(--jl-radius-m); padding: var(--jl-space-2) var(--jl-space-4); margin: var(--jl-space-3) var(--jl-space-4) 0;
        display: flex; gap: var(--jl-space-3); align-items: center; }
      .notice p { margin: 0; flex: 1; overflow-wrap: anywhere; }
      .warning { background: var(--jl-warn-soft); }
      .shell { display: grid; grid-template-columns: minmax(19rem, 25rem) minmax(0, 1fr); gap: var(--jl-space-4); padding: var(--jl-space-4); max-width: 100rem; margin: 0 auto; box-sizing: border-box; }
      .side { display: grid; grid-template-columns: minmax(0, 1fr); gap: var(--jl-space-4); align-content: start; min-width: 0; }
      .pane { min-width: 0; }
      .welcome { display: grid; place-items: center; min-height: 20rem; border: 1px dashed var(--jl-border); border-radius: var(--jl-radius-l); color: var(--jl-text-muted); padding: var(--jl-space-4); text-align: center; }
      .welcome .icon { vertical-align: -3px; }
      .address { display: flex; gap: var(--jl-space-2); align-items: end; flex-wrap: wrap; background: var(--jl-surface); border: 1px solid var(--jl-border);
        border-radius: var(--jl-radius-m); padding: var(--jl-space-3); }
      .address label { display: grid; gap: var(--jl-space-1); flex: 1 1 12rem; font-size: var(--jl-text-s); font-weight: 600; }
      .options { display: grid; gap: var(--jl-space-2); background: var(--jl-surface); border: 1px solid var(--jl-border); border-radius: var(--jl-radius-m); padding: var(--jl-space-3); }
      .style { display: block; font-size: var(--jl-text-s); color: var(--jl-text-muted); }
      .style select { margin-left: var(--jl-space-1); max-width: 100%; }
      .style input[type='checkbox'] { min-height: auto; width: 1.1rem; height: 1.1rem; vertical-align: -3px; }
      .devices summary { cursor: pointer; min-height: 2rem; }
      .devices jl-device-settings { margin-top: var(--jl-space-2); }
      .log { background: var(--jl-surface); border: 1px solid var(--jl-border); border-radius: var(--jl-radius-m); padding: var(--jl-space-3); }
      .log h2 { font-size: var(--jl-text-m); margin: 0 0 var(--jl-space-1); }
      .log ul { margin: 0; padding-left: 1.2rem; color: var(--jl-text-muted); }
      .wire { padding: 0 var(--jl-space-4) var(--jl-space-4); max-width: 100rem; margin: 0 auto; box-sizing: border-box; }
      .top-actions button[aria-pressed='true'] { background: var(--jl-surface-2); color: var(--jl-accent); border-color: var(--jl-accent); }
      .shell.inspecting { grid-template-columns: minmax(17rem, 22rem) minmax(0, 1fr) minmax(22rem, 38rem); max-width: 130rem; }
      .inspector { align-self: start; position: sticky; top: var(--jl-space-2); max-height: calc(100vh - 2 * var(--jl-space-2)); }
      .inspector-loading { padding: var(--jl-space-3); }
      @media ${phoneQuery} {
        .top { padding: var(--jl-space-2); gap: var(--jl-space-2); }
        .top h1 { font-size: var(--jl-text-m); }
        .logout span { display: none; }
        .shell { grid-template-columns: minmax(0, 1fr); padding: var(--jl-space-2); }
        .shell.pane-open .side { display: none; }
        .shell:not(.pane-open) .pane { display: none; }
        .wire { padding: 0 var(--jl-space-2) var(--jl-space-2); }
        .top-actions button[aria-pressed='true'] { background: var(--jl-surface-2); color: var(--jl-accent); border-color: var(--jl-accent); }
      .shell.inspecting { grid-template-columns: minmax(0, 1fr); }
        /* A sheet over the lower part of the screen, the call still in sight above it. */
        .inspector { position: fixed; left: 0; right: 0; bottom: 0; top: auto; max-height: 78vh; z-index: 20; border-radius: var(--jl-radius-m) var(--jl-radius-m) 0 0; box-shadow: 0 -8px 24px rgb(0 0 0 / 25%); }
      }
    `,
  ];

  private readonly rings = new RingController(this);
  private readonly inspector = new InspectorController(this);
  @state() private connection?: Connection;
  @state() private contacts: readonly Contact[] = [];
  @state() private loginError = '';
  @state() private loginStatus = '';
  @state() private busy = false;
  @state() private prefill: Partial<LoginDetail> = {};
  @state() private calls: JingleSession[] = [];
  @state() private notice = '';
  @state() private connectionWarning = '';
  /** Every stanza on the wire, for the wire log and the console: apart from the app's state, so that a stanza redraws no more than the log. */
  private readonly log = new WireLog(MAX_LOG);
  @state() private wireStyle: WireStyleName = 'standard';
  /** PROTOCOL.md, Privacy: off by default, calls from outside the roster do not ring. */
  @state() private anyoneMayCall = false;
  /** Calls use TURN relays only, so peers never learn our addresses; kept across visits. */
  @state() private relayOnly = localStorage.getItem(RELAY_ONLY_KEY) === '1';
  /** Missed and refused calls, newest first. */
  @state() private callLog: { text: string; at: number }[] = [];
  @state() private theme: ThemeChoice = storedTheme();
  @state() private helpOpen = false;
  /** The contact whose conversation is open. */
  @state() private selected?: string;
  /** The call that ended on screen, until the user closes it or moves on. */
  @state() private ended?: JingleSession;
  @state() private histories = new Map<string, HistoryState>();
  /** Contacts with a missed call not looked at yet. */
  @state() private missed = new Set<string>();
  @state() private own: { show: OwnShow; status: string } = { show: 'available', status: '' };
  @state() private avatarError = '';
  /** Said to screen readers: the call's progress. */
  @state() private announcement = '';
  /** Whose conversation changed, to render again. */
  @state() private chatVersion = 0;
  /** Bumped when a device's capabilities or a contact's avatar changed: the contact rows are drawn again. */
  @state() private rowsVersion = 0;

  /** What changed since the last frame, taken into the state together then. */
  private stale = { contacts: false, rows: false };
  private readonly frame = createFrameBatch(() => this.takeChanges());
  private activityMemo?: { missed: ReadonlySet<string>; calls: readonly JingleSession[]; map: ReadonlyMap<string, ContactActivity> };

  /** Ended calls, newest last, for their timelines. */
  private history: JingleSession[] = [];
  private roster?: Roster;
  private chat?: Chat;
  private avatars?: Avatars;
  private avatarHash?: string | null;
  private caps?: Caps;
  private removeShortcuts?: () => void;
  private readonly phases = new Map<JingleSession, string>();
  private services?: ExternalServices;
  private manager?: CallManager;

  override connectedCallback(): void {
    super.connectedCallback();
    installTheme();
    this.removeShortcuts = installShortcuts(document, (action) => this.shortcut(action));
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
        log: () => this.log.all,
        /** Recording on or off: the benchmark measures calls both ways. */
        record: (on: boolean) => {
          if (this.inspector.recorder) this.inspector.recorder.enabled = on;
        },
        /** The inspector's recording of a call (the latest when none is named). */
        recording: (sid?: string) => {
          const recorder = this.inspector.recorder;
          const id = sid ?? recorder?.sids.at(-1);
          return id ? recorder?.recording(id) : undefined;
        },
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
      return html`<div class="login-page">
        <section class="login-card" aria-labelledby="brand">
          <div class="brand-mark" aria-hidden="true">${icon('phone', 28)}</div>
          <h1 id="brand">Jingle Lab</h1>
          <p class="muted">Voice and video calls between XMPP accounts, signalled with Jingle.</p>
          <jl-login-form .jid=${this.prefill.jid ?? ''} .service=${this.prefill.service ?? ''} .busy=${this.busy}
            .error=${this.loginError} .status=${this.loginStatus} @login=${(e: CustomEvent<LoginDetail>) => void this.login(e.detail)}></jl-login-form>
        </section>
        ${this.renderThemeChoice()}
      </div>`;
    }
    const active = this.activeCall();
    const ringing = this.calls.filter((c) => c.phase === 'incoming' && c !== active);
    const main = this.renderMain(active);
    return html`<header class="top">
        <h1><span class="brand-mark small" aria-hidden="true">${icon('phone', 18)}</span>Jingle Lab</h1>
        <span class="me visually-hidden">${this.connection.jid}</span>
        <div class="top-actions">
          ${this.renderThemeChoice()}
          <button class="icon-only ghost" aria-label="Inspector" title="Interop inspector: what was said on the wire" aria-pressed=${String(this.inspector.open)}
            data-inspector-toggle @click=${() => this.inspector.toggle(undefined, this.activeCall()?.sid)}>${icon('inspect')}</button>
          <button class="icon-only ghost" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" @click=${() => (this.helpOpen = true)}>${icon('keyboard')}</button>
          <button class="logout" aria-label="Log out" @click=${() => void this.logout()}>${icon('logout', 18)}<span>Log out</span></button>
        </div>
      </header>
      <div class="live visually-hidden" aria-live="polite" role="status">${this.announcement}</div>
      ${this.connectionWarning ? html`<div class="notice warning" role="status"><p>${this.connectionWarning}</p></div>` : null}
      ${this.notice
        ? html`<div class="notice" role="status"><p data-notice>${this.notice}</p><button @click=${() => (this.notice = '')}>Dismiss</button></div>`
        : null}
      ${ringing.map((s) => html`<jl-incoming-call .session=${s} .callerName=${this.nameOf(s.peer)} .avatar=${this.avatars?.avatarOf(s.peer)} .waiting=${Boolean(active)}
        @take-call=${() => this.takeWaitingCall(s)} @accept-audio-only=${() => void s.accept({ audioOnly: true })}></jl-incoming-call>`)}
      <div class="shell ${main ? 'pane-open' : ''} ${this.inspector.open ? 'inspecting' : ''}" @inspect=${(e: CustomEvent<{ sid: string }>) => this.inspector.toggle(e.detail.sid)}>
        <aside class="side" aria-label="Contacts and settings">
          <jl-own-presence .jid=${bareJid(this.connection.jid)} .name=${bareJid(this.connection.jid)} .avatar=${this.avatars?.avatarOf(bareJid(this.connection.jid))}
            .show=${this.own.show} .status=${this.own.status} .avatarError=${this.avatarError}
            @presence-change=${(e: CustomEvent<{ show: OwnShow; status: string }>) => this.setOwnPresence(e.detail.show, e.detail.status)}
            @avatar-file=${(e: CustomEvent<{ file: File }>) => void this.setOwnAvatar(e.detail.file)}></jl-own-presence>
          <jl-contact-list .contacts=${this.contacts} .revision=${this.rowsVersion} .target=${this.callTarget} .avatarOf=${this.avatarOf}
            .activity=${this.activity()} .selected=${this.selected} .requests=${this.roster?.requests ?? []}
            @call=${(e: CustomEvent<CallRequest>) => void this.placeCall(e.detail)}
            @select-contact=${(e: CustomEvent<{ jid: string }>) => this.openConversation(e.detail.jid)}
            @approve-request=${(e: CustomEvent<{ jid: string }>) => void this.roster?.approve(e.detail.jid)}
            @deny-request=${(e: CustomEvent<{ jid: string }>) => void this.roster?.deny(e.detail.jid)}
            @add-contact=${(e: CustomEvent<{ jid: string; name?: string }>) => void this.addContact(e.detail.jid, e.detail.name)}></jl-contact-list>
          ${active ? null : this.renderAddressForm()}
          <section class="options" aria-label="Call options">
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
          </section>
          ${this.callLog.length
            ? html`<section aria-label="Call log" class="log"><h2>Call log</h2><ul>
                ${this.callLog.map((e) => html`<li>${new Date(e.at).toLocaleTimeString()} — ${e.text}</li>`)}</ul></section>`
            : null}
        </aside>
        <main class="pane">${main ?? html`<div class="welcome"><p>Choose a contact to write to them, or call them with ${icon('phone', 16)} or ${icon('video', 16)}.</p></div>`}</main>
        ${this.inspector.render((jid) => this.nameOf(jid), (text) => sendProbe(this.connection, text))}
      </div>
      <footer class="wire">
        <jl-stanza-log .log=${this.log}></jl-stanza-log>
      </footer>
      <jl-shortcuts-help .open=${this.helpOpen} @close=${() => (this.helpOpen = false)}></jl-shortcuts-help>`;
  }

  /** What the main pane shows: the call, the call that just ended, or a conversation. */
  private renderMain(active: JingleSession | undefined) {
    if (active) {
      return html`<jl-call-screen .session=${active} .inspecting=${this.inspector.open && this.inspector.sid === active.sid} .peerName=${this.nameOf(active.peer)} .peerJid=${bareJid(active.peer)}
        .avatar=${this.avatars?.avatarOf(active.peer)}></jl-call-screen>`;
    }
    const ended = this.ended;
    if (ended) {
      const record = callRecordOf(ended);
      return html`<jl-call-ended .peerName=${this.nameOf(ended.peer)} .peerJid=${bareJid(ended.peer)} .avatar=${this.avatars?.avatarOf(ended.peer)}
        .media=${ended.media} .reason=${ended.endMessage ?? 'Call ended'} .durationMs=${record?.durationMs}
        .sid=${this.inspector.recorder?.has(ended.sid) ? ended.sid : undefined} .inspecting=${this.inspector.open && this.inspector.sid === ended.sid}
        @call-again=${(e: CustomEvent<CallRequest>) => void this.callAgain(e.detail)} @close=${() => this.closeEnded()}></jl-call-ended>`;
    }
    const jid = this.selected;
    if (!jid || !this.chat) return undefined;
    const contact = this.contacts.find((c) => c.jid === jid);
    const why = (media: CallMedia) => {
      const target = contact ? this.callTarget(contact, media) : { why: 'Not in your contacts' };
      return 'why' in target ? target.why : '';
    };
    const history = this.histories.get(jid) ?? { state: 'idle' as const };
    return html`<jl-conversation .peerJid=${jid} .peerName=${this.nameOf(jid)} .avatar=${this.avatars?.avatarOf(jid)}
      .entries=${this.chat.conversation(jid)} .calls=${this.callsWith(jid)} .inspectable=${new Set(this.inspector.recorder?.sids)} .history=${history.state} .historyError=${history.error}
      .canCall=${{ audio: why('audio'), video: why('video') }} .showBack=${true}
      @send-message=${(e: CustomEvent<{ body: string }>) => void this.chat?.send(jid, e.detail.body)}
      @retry-message=${(e: CustomEvent<{ body: string }>) => void this.chat?.send(jid, e.detail.body)}
      @load-history=${() => void this.loadHistory(jid)}
      @call=${(e: CustomEvent<CallRequest>) => void this.placeCall(e.detail)}
      @back=${() => (this.selected = undefined)}></jl-conversation>`;
  }

  private renderThemeChoice() {
    return html`<label class="theme">${icon(this.theme === 'system' ? 'system' : this.theme, 18)}<span class="visually-hidden">Theme</span>
      <select aria-label="Theme" @change=${(e: Event) => this.setTheme((e.target as HTMLSelectElement).value as ThemeChoice)}>
        ${(['system', 'light', 'dark'] as const).map((t) => html`<option value=${t} ?selected=${t === this.theme}>${THEME_LABELS[t]}</option>`)}
      </select></label>`;
  }

  private renderAddressForm() {
    const call = (e: Event, media: CallMedia) => {
      const form = (e.target as HTMLElement).closest('form')!;
      void this.callAddress((form.elements.namedItem('address') as HTMLInputElement).value, media);
    };
    return html`<form class="address" aria-label="Call an address" @submit=${(e: Event) => e.preventDefault()}>
      <label>Call an address <input name="address" placeholder="name@example.org" autocomplete="off" /></label>
      <button type="button" class="icon-only" aria-label="Audio call" title="Audio call to this address" @click=${(e: Event) => call(e, 'audio')}>${icon('phone')}</button>
      <button type="button" class="icon-only" aria-label="Video call" title="Video call to this address" @click=${(e: Event) => call(e, 'video')}>${icon('video')}</button>
    </form>`;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeShortcuts?.();
  }

  /** M, V and E act on the call on screen; ? opens the list of shortcuts. */
  private shortcut(action: ShortcutAction): void {
    if (action === 'help') {
      this.helpOpen = true;
      return;
    }
    if (!this.activeCall()) return;
    const screen = this.renderRoot.querySelector<CallScreen>('jl-call-screen');
    if (action === 'mute') screen?.toggleMute();
    else if (action === 'camera') screen?.toggleCamera();
    else screen?.hangUp();
  }

  private setTheme(choice: ThemeChoice): void {
    this.theme = choice;
    saveTheme(choice);
    applyTheme(choice);
  }

  /**
   * Contacts in a call float to the top, then those with a missed call. The
   * same map while neither changed, so the list need not order itself again.
   */
  private activity(): ReadonlyMap<string, ContactActivity> {
    const memo = this.activityMemo;
    if (memo && memo.missed === this.missed && memo.calls === this.calls) return memo.map;
    const map = new Map<string, ContactActivity>();
    for (const jid of this.missed) map.set(jid, 'missed');
    for (const call of this.calls) if (call.phase !== 'ended') map.set(bareJid(call.peer), 'active');
    this.activityMemo = { missed: this.missed, calls: this.calls, map };
    return map;
  }

  /** Marks what changed, to be taken into the state at the next frame: one render for any number of stanzas. */
  private later(what: keyof AppRoot['stale']): void {
    this.stale[what] = true;
    this.frame.request();
  }

  private takeChanges(): void {
    const { contacts, rows } = this.stale;
    this.stale = { contacts: false, rows: false };
    if (contacts && this.roster) this.contacts = this.roster.contacts;
    if (rows) this.rowsVersion++;
  }

  private readonly avatarOf = (jid: string): string | undefined => this.avatars?.avatarOf(jid);

  private openConversation(jid: string): void {
    this.ended = undefined;
    this.selected = jid;
    if (this.missed.has(jid)) {
      this.missed = new Set([...this.missed].filter((j) => j !== jid));
    }
    if (!this.histories.has(jid)) void this.loadHistory(jid);
  }

  private async loadHistory(jid: string): Promise<void> {
    if (!this.chat || this.histories.get(jid)?.state === 'loading') return;
    this.histories = new Map(this.histories).set(jid, { state: 'loading' });
    let next: HistoryState;
    try {
      const page = await this.chat.loadHistory(jid);
      next = { state: page.complete ? 'complete' : 'idle' };
    } catch (err) {
      next = { state: 'failed', error: `The server's archive could not be read: ${(err as Error).message}` };
    }
    this.histories = new Map(this.histories).set(jid, next);
  }

  /** Every ended call with this contact, for its conversation. */
  private callsWith(jid: string): CallRecord[] {
    return this.history.filter((c) => bareJid(c.peer) === jid).map((c) => callRecordOf(c)).filter((r): r is CallRecord => Boolean(r));
  }

  private callAgain(request: CallRequest): void {
    this.ended = undefined;
    void this.placeCall(request);
  }

  private closeEnded(): void {
    const peer = this.ended ? bareJid(this.ended.peer) : undefined;
    this.ended = undefined;
    if (peer && this.contacts.some((c) => c.jid === peer)) this.openConversation(peer);
  }

  /** Our presence's children: capabilities (XEP-0115) and the avatar's hash (XEP-0153). */
  private async presenceChildren() {
    return [await this.caps!.presenceElement(), this.avatars!.presenceElement(this.avatarHash)];
  }

  private setOwnPresence(show: OwnShow, status: string): void {
    this.own = { show, status };
    void this.roster?.setPresence(show, status);
  }

  private async setOwnAvatar(file: File): Promise<void> {
    this.avatarError = '';
    if (!(AVATAR_TYPES as readonly string[]).includes(file.type)) {
      this.avatarError = 'Choose a PNG, JPEG, WebP or GIF image.';
      return;
    }
    try {
      this.avatarHash = await this.avatars!.publish(new Uint8Array(await file.arrayBuffer()), file.type as AvatarType);
      this.roster?.setPresenceChildren(await this.presenceChildren());
      void this.roster?.setPresence(this.own.show, this.own.status);
    } catch (err) {
      this.avatarError = err instanceof AvatarRejected ? err.message : `Your avatar could not be saved: ${(err as Error).message}`;
    }
  }

  private async addContact(jid: string, name?: string): Promise<void> {
    try {
      await this.roster?.add(jid, name);
      this.notice = `Asked ${jid} to share their presence. They are listed once they approve.`;
    } catch (err) {
      this.notice = `${jid} could not be added: ${(err as Error).message}`;
    }
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
      // Carbons asked first, the roster right behind it: the server answers
      // carbons before it fans our presence out to the whole roster, which
      // with thousands of contacts takes it a while.
      const carbons = enableCarbons(connection);
      await Promise.all([carbons, (async () => this.roster!.start(await this.presenceChildren()))()]);
      // Reading a big roster and drawing the first screen are two tasks, so neither holds the page long.
      await new Promise((resolve) => setTimeout(resolve, 0));
      // The list is there with the first screen, not a frame later.
      this.frame.flushNow();
      this.connection = connection;
      void this.services!.refresh();
      // simple-peer is a quarter of the app's JavaScript: it loads once the contact list shows.
      void this.loadMediaPeers().catch(() => undefined);
    } catch (err) {
      this.loginError = err instanceof LoginError ? err.message : `Login failed: ${(err as Error).message}`;
    } finally {
      this.busy = false;
      this.loginStatus = '';
    }
  }

  /** The media adapter (simple-peer), loaded in a chunk of its own; a failed load is tried again by the next call. */
  private mediaPeers?: { loading: Promise<void>; factory?: MediaPeerFactory };

  private loadMediaPeers(): Promise<void> {
    if (!this.mediaPeers) {
      const entry: NonNullable<AppRoot['mediaPeers']> = {
        loading: import('../media/media-peer.ts').then(
          (m) => void (entry.factory = m.createMediaPeer),
          (err: unknown) => {
            this.mediaPeers = undefined;
            throw new Error(`The call module could not be loaded (${(err as Error).message}). Reload the page.`);
          },
        ),
      };
      this.mediaPeers = entry;
    }
    return this.mediaPeers.loading;
  }

  private attach(connection: Connection): void {
    const ownFeatures = [...CALL_FEATURES, AVATAR_METADATA_NOTIFY, NS_VERSION];
    connection.on('log', (direction, element) => {
      this.log.add(direction, performance.timeOrigin + performance.now(), withoutCredentials(element).toString());
    });
    // The server forgot us (the stream could not resume): announce ourselves again.
    connection.on('rebound', () => {
      void (async () => {
        await this.roster?.start(await this.presenceChildren());
        await enableCarbons(connection);
        await this.services?.refresh();
      })().catch((err: unknown) => console.warn('Could not announce presence again', err));
    });
    connection.on('status', (status) => {
      this.connectionWarning = status === 'reconnecting' ? 'Reconnecting to the server…' : status === 'offline' ? 'Disconnected from the server.' : '';
    });
    this.inspector.attach(connection, () => ownFeatures, (jid) => this.caps?.featuresOf(jid));
    this.roster = createRoster(connection);
    this.roster.onChange(() => this.later('contacts'));
    this.caps = createCaps(connection, { identities: [{ category: 'client', type: 'web', name: 'Jingle Lab' }], features: ownFeatures }, {
      // A contact's device seen on an earlier visit is callable as soon as its presence comes.
      known: storedHashes(localStorage, KNOWN_HASHES_KEY),
    });
    this.chat = createChat(connection, { isTrusted: (bare) => this.roster?.contacts.some((c) => c.jid === bare) ?? false });
    this.chat.onChange(() => this.chatVersion++);
    this.avatars = createAvatars(connection);
    this.avatars.onChange(() => this.later('rows'));
    // New features of a device change which call buttons work.
    this.caps.onChange(() => this.later('rows'));
    this.services = createExternalServices(connection);
    this.manager = createCallManager({
      signalling: connection,
      peerFactory: (options) => {
        const factory = this.mediaPeers?.factory;
        if (!factory) throw new Error('The call module could not be loaded. Check the connection and reload the page.');
        return factory(options);
      },
      openMedia: openLocalMedia,
      foreseeMedia: foreseeTracks,
      featuresOf: (jid) => this.caps?.featuresOf(jid),
      nameOf: (jid) => this.nameOf(jid),
      wireStyle: () => WIRE_STYLES[this.wireStyle].style,
      // PROTOCOL.md, Privacy: only contacts with a mutual subscription ring.
      isTrusted: (bare) => this.anyoneMayCall || (this.roster?.contacts.some((c) => c.jid === bare && c.subscription === 'both') ?? false),
      onBlocked: (from) => this.addToLog(`Call from an unknown contact: ${bareJid(from)}`),
      // XEP-0215, asked again before each call: TURN credentials expire.
      // A call's peer connection is made only once this resolves (caller and
      // callee alike), so the media module, loading since login, is in by then.
      ice: async () => {
        const [choice] = await Promise.all([this.services!.forCall(), this.loadMediaPeers()]);
        return planIce(choice, this.relayOnly);
      },
    });
    this.manager.onCall((session) => {
      // Ringing: learn the relays now, so that Accept does not wait for them.
      if (session.direction === 'incoming') void this.services?.forCall();
      // A new call, either way, takes the place of the one that ended.
      this.ended = undefined;
      this.calls = [...this.calls, session];
      this.inspector.track(session);
      session.subscribe((s) => this.onCallChange(s));
      this.rings.follow(this.calls, (jid) => this.nameOf(jid));
    });
  }

  private onCallChange(session: JingleSession): void {
    // Answered: a moment the user acts on a call, to ask about notifications.
    if (session.direction === 'incoming' && session.phase === 'connecting' && session.timeline.some((e) => e.name === 'accept')) this.rings.askForNotifications();
    this.announce(session);
    if (session.phase === 'ended') {
      // Shown on the call screen until now (placed, or answered): its end takes that place.
      const onScreen = session.direction === 'outgoing' || session.timeline.some((e) => e.name === 'accept');
      this.calls = this.calls.filter((c) => c !== session);
      const peer = bareJid(session.peer);
      if (session.endMessage?.startsWith('Missed call')) {
        this.addToLog(session.endMessage);
        if (this.selected !== peer) this.missed = new Set(this.missed).add(peer);
      }
      if (!this.history.includes(session)) this.history = [...this.history.slice(-(MAX_HISTORY - 1)), session];
      if (onScreen && !this.activeCall()) {
        this.ended = session;
        this.notice = '';
      } else {
        this.notice = session.endMessage ?? 'Call ended';
      }
    } else {
      this.calls = [...this.calls];
    }
    this.rings.follow(this.calls, (jid) => this.nameOf(jid));
  }

  /** Tells screen readers how the call goes, once per change of phase. */
  private announce(session: JingleSession): void {
    if (this.phases.get(session) === session.phase) return;
    this.phases.set(session, session.phase);
    const name = this.nameOf(session.peer);
    const said: Record<string, string> = {
      calling: `Calling ${name}`, ringing: `${name}'s phone is ringing`, incoming: `${session.media === 'video' ? 'Video' : 'Audio'} call from ${name}`,
      connecting: 'Connecting', connected: `Connected with ${name}`, reconnecting: 'Reconnecting', ended: session.endMessage ?? 'Call ended',
    };
    this.announcement = said[session.phase] ?? this.announcement;
    if (session.phase === 'ended') this.phases.delete(session);
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
    this.ended = undefined;
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
    this.ended = undefined;
    this.manager?.call(jid.bare, media, 'jmi');
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
    this.log.clear();
    this.stale = { contacts: false, rows: false };
    this.selected = undefined;
    this.ended = undefined;
    this.missed = new Set();
    this.histories = new Map();
    this.inspector.stop();
  }
}
