// The prompt for an incoming call: on a phone it fills the screen, as the
// phone's own call screen does; on a desktop it is a card over the dimmed
// page. A call that rings during another is a call waiting: a banner that
// leaves the call on screen usable.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { JingleSession } from '../call/jingle-session.ts';
import { bareJid } from '../xmpp/jid.ts';
import './avatar-view.ts';
import { icon } from './icons.ts';
import { controls, phoneQuery } from './theme.ts';

/** What of a ringing session the prompt uses. */
export type RingingCall = Pick<JingleSession, 'media' | 'peer' | 'mark' | 'accept' | 'decline'>;

const upward = (type: string) => new CustomEvent(type, { bubbles: true, composed: true });

@customElement('jl-incoming-call')
export class IncomingCall extends LitElement {
  static override styles = [
    controls,
    css`
      :host { display: block; }
      /* The page behind stays usable on a desktop (pressing "Audio call" on the caller answers it); only the card takes the pointer. */
      .backdrop { position: fixed; inset: 0; z-index: 1000; display: grid; place-items: center; padding: var(--jl-space-4);
        background: color-mix(in srgb, var(--jl-stage) 60%, transparent); pointer-events: none; }
      .backdrop > * { pointer-events: auto; }
      section { box-sizing: border-box; background: var(--jl-surface); color: var(--jl-text); border: 1px solid var(--jl-border);
        border-radius: var(--jl-radius-l); box-shadow: var(--jl-shadow); }
      .ringing { width: min(26rem, 100%); padding: var(--jl-space-6) var(--jl-space-5); display: grid; gap: var(--jl-space-5); text-align: center; }
      .caller { display: grid; justify-items: center; gap: var(--jl-space-2); min-width: 0; }
      h2 { margin: 0; font-size: var(--jl-text-m); font-weight: 500; }
      .name { display: block; margin-top: var(--jl-space-1); font-size: var(--jl-text-xl); font-weight: 600; overflow-wrap: anywhere; }
      .jid { margin: 0; font-size: var(--jl-text-s); overflow-wrap: anywhere; }
      .answers { display: flex; flex-wrap: wrap; justify-content: center; gap: var(--jl-space-3); }
      .disc { display: inline-grid; place-items: center; }
      .disc svg { width: 1.25rem; height: 1.25rem; }

      @media ${phoneQuery} {
        .backdrop { padding: 0; background: var(--jl-surface); pointer-events: auto; }
        .ringing { position: fixed; inset: 0; width: auto; border: 0; border-radius: 0; box-shadow: none;
          padding: 12vh var(--jl-space-4) 10vh; align-content: space-between; }
        .ringing .answers { justify-content: space-evenly; gap: var(--jl-space-2); }
        /* A round button with its word under it. */
        .ringing .answers button { flex: 0 1 6rem; flex-direction: column; min-height: 0; padding: var(--jl-space-1); border: 0;
          background: transparent; color: var(--jl-text); border-radius: var(--jl-radius-m); }
        .ringing .answers button:hover:not(:disabled) { background: transparent; filter: none; }
        .disc { width: 4.5rem; height: 4.5rem; border-radius: var(--jl-radius-round); background: var(--jl-surface-2); border: 1px solid var(--jl-border); }
        .disc svg { width: 2rem; height: 2rem; }
        .ringing .ok .disc { background: var(--jl-ok); border-color: var(--jl-ok); color: var(--jl-accent-text); }
        .ringing .danger .disc { background: var(--jl-danger); border-color: var(--jl-danger); color: var(--jl-danger-text); }
      }

      .waiting { position: fixed; z-index: 1000; top: var(--jl-space-4); left: 50%; transform: translateX(-50%);
        width: min(30rem, calc(100% - 2 * var(--jl-space-4))); padding: var(--jl-space-4); display: grid; gap: var(--jl-space-3);
        grid-template-columns: auto 1fr; align-items: center; }
      .waiting .answers { grid-column: 1 / -1; justify-content: flex-end; }
      .waiting h2 { font-weight: 600; overflow-wrap: anywhere; }
    `,
  ];

  @property({ attribute: false }) session?: RingingCall;
  @property() callerName = '';
  /** The caller's avatar, as a data: URL. */
  @property({ attribute: false }) avatar?: string;
  /** Another call is on: this one is a call waiting. */
  @property({ type: Boolean }) waiting = false;

  /** The Accept button last given focus: focus moves once per button shown. */
  private focusedAccept?: HTMLButtonElement;

  protected override firstUpdated(): void {
    // The frame after the first render is when the person sees it ring.
    const session = this.session;
    requestAnimationFrame(() => session?.mark('ringing-shown'));
  }

  protected override updated(): void {
    // Not for a call waiting: a key meant for the call on screen must not end it.
    const accept = this.renderRoot.querySelector<HTMLButtonElement>('button[data-accept]');
    if (accept && accept !== this.focusedAccept) {
      this.focusedAccept = accept;
      accept.focus();
    }
  }

  override render() {
    const session = this.session;
    if (!session) return nothing;
    return this.waiting ? this.renderWaiting(session) : this.renderRinging(session);
  }

  private renderRinging(session: RingingCall) {
    const video = session.media === 'video';
    // The kind and the name read as one line, "Video call from Alice"; the name stands out below.
    return html`<div class="backdrop">
      <section class="ringing" role="alertdialog" aria-label="Incoming call" aria-describedby="caller">
        <div class="caller" id="caller">
          ${this.renderAvatar(session.peer, 112)}
          <h2>${video ? 'Video' : 'Audio'} call from <span class="name">${this.name(session)}</span></h2>
          <p class="jid muted">${session.peer}</p>
        </div>
        <div class="answers">
          <button class="danger" @click=${() => session.decline()}><span class="disc">${icon('hangUp', 32)}</span>Decline</button>
          ${video
            ? // Its name must not contain "Accept": a search for that button by name would find two.
              html`<button @click=${() => this.dispatchEvent(upward('accept-audio-only'))}><span class="disc">${icon('phone', 32)}</span>Audio only</button>`
            : nothing}
          <button class="ok" data-accept @click=${() => void session.accept()}>
            <span class="disc">${icon(video ? 'video' : 'phone', 32)}</span>Accept
          </button>
        </div>
      </section>
    </div>`;
  }

  private renderWaiting(session: RingingCall) {
    return html`<section class="waiting" role="alertdialog" aria-label="Call waiting" aria-describedby="caller">
      ${this.renderAvatar(session.peer, 48)}
      <div class="caller-line" id="caller">
        <h2>Call waiting: ${session.media === 'video' ? 'video' : 'audio'} call from ${this.name(session)}</h2>
        <p class="jid muted">${session.peer}</p>
      </div>
      <div class="answers">
        <button class="danger" @click=${() => session.decline('busy')}>${icon('hangUp')}Decline</button>
        <button class="ok" @click=${() => this.dispatchEvent(upward('take-call'))}>${icon('incoming')}End call and accept</button>
      </div>
    </section>`;
  }

  private name(session: RingingCall): string {
    return this.callerName || session.peer;
  }

  private renderAvatar(peer: string, size: number) {
    return html`<jl-avatar .jid=${bareJid(peer)} .name=${this.callerName} .src=${this.avatar} .size=${size}></jl-avatar>`;
  }
}
