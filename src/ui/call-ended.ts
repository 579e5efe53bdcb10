// What is left on screen when a call ends: with whom, why, how long it
// lasted, and the way to call back.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { CallMedia } from '../media/devices.ts';
import { bareJid } from '../xmpp/jid.ts';
import { formatDuration } from './call-timer.ts';
import './avatar-view.ts';
import { icon } from './icons.ts';
import { controls } from './theme.ts';

/** The detail of `call-again`: the same shape as the contact list's `call`. */
export interface CallAgainDetail {
  jid: string;
  media: CallMedia;
}

@customElement('jl-call-ended')
export class CallEnded extends LitElement {
  static override styles = [
    controls,
    css`
      :host { display: block; }
      button[aria-pressed='true'] { border-color: var(--jl-accent); color: var(--jl-accent); }
      section { box-sizing: border-box; max-width: 28rem; margin: 0 auto; padding: var(--jl-space-6) var(--jl-space-4);
        display: grid; justify-items: center; gap: var(--jl-space-3); text-align: center;
        background: var(--jl-surface); border: 1px solid var(--jl-border); border-radius: var(--jl-radius-l); box-shadow: var(--jl-shadow); }
      h2 { margin: 0; font-size: var(--jl-text-l); overflow-wrap: anywhere; }
      p { margin: 0; overflow-wrap: anywhere; }
      .jid { font-size: var(--jl-text-s); }
      .buttons { display: flex; flex-wrap: wrap; justify-content: center; gap: var(--jl-space-3); margin-top: var(--jl-space-2); width: 100%; }
      .buttons button { flex: 1 1 8rem; max-width: 12rem; }
    `,
  ];

  @property() peerName = '';
  @property() peerJid = '';
  /** The peer's avatar, as a data: URL. */
  @property({ attribute: false }) avatar?: string;
  @property() media: CallMedia = 'audio';
  /** Why it ended, in words: "Bob hung up", "Missed call". */
  @property() reason = '';
  /** How long the call was connected; absent when it never connected. */
  @property({ attribute: false }) durationMs?: number;
  /** The ended call's session id, for its inspector; absent when it was not recorded. */
  @property() sid?: string;
  @property({ type: Boolean }) inspecting = false;

  protected override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLButtonElement>('button[data-call-again]')?.focus();
  }

  override render() {
    return html`<section role="region" aria-label="Call ended">
      <jl-avatar .jid=${bareJid(this.peerJid)} .name=${this.peerName} .src=${this.avatar} .size=${80}></jl-avatar>
      <h2 data-ended-reason data-notice>${this.reason}</h2>
      <p class="jid muted">${this.peerJid}</p>
      ${this.durationMs === undefined ? nothing : html`<p data-ended-duration>Call lasted ${formatDuration(this.durationMs)}</p>`}
      <div class="buttons">
        <button class="primary" data-call-again @click=${this.callAgain}>${icon(this.media === 'video' ? 'video' : 'phone')}Call again</button>
        ${this.sid
          ? html`<button aria-pressed=${String(this.inspecting)} @click=${this.inspect}>${icon('inspect')}Inspector</button>`
          : nothing}
        <button @click=${this.close}>${icon('close')}Close</button>
      </div>
    </section>`;
  }

  private callAgain(): void {
    const detail: CallAgainDetail = { jid: this.peerJid, media: this.media };
    this.dispatchEvent(new CustomEvent<CallAgainDetail>('call-again', { detail, bubbles: true, composed: true }));
  }

  private inspect(): void {
    this.dispatchEvent(new CustomEvent('inspect', { detail: { sid: this.sid }, bubbles: true, composed: true }));
  }

  // Like a dialog's own `close`, it does not bubble: "close" is too common a word to catch from below.
  private close(): void {
    this.dispatchEvent(new Event('close'));
  }
}
