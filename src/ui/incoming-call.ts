// The prompt for an incoming call.
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { JingleSession } from '../call/jingle-session.ts';

@customElement('jl-incoming-call')
export class IncomingCall extends LitElement {
  static override styles = css`
    :host { display: block; }
    section { border: 2px solid #1d5fd1; border-radius: 10px; padding: 1rem; display: grid; gap: 0.75rem; }
    h2 { margin: 0; font-size: 1.15rem; }
    .from { color: #445; overflow-wrap: anywhere; }
    .buttons { display: flex; gap: 0.75rem; }
    button { font: inherit; padding: 0.5rem 1.2rem; border-radius: 6px; border: 0; color: white; cursor: pointer; }
    .accept { background: #1f9d55; }
    .decline { background: #c8321e; }
  `;

  @property({ attribute: false }) session?: JingleSession;
  @property() callerName = '';
  /** Another call is on: this one is a call waiting. */
  @property({ type: Boolean }) waiting = false;

  protected override firstUpdated(): void {
    // The frame after the first render is when the person sees it ring.
    const session = this.session;
    requestAnimationFrame(() => session?.mark('ringing-shown'));
  }

  override render() {
    const session = this.session;
    if (!session) return null;
    const kind = session.media === 'video' ? 'Video call' : 'Audio call';
    if (this.waiting) {
      return html`<section role="alertdialog" aria-label="Call waiting">
        <h2>Call waiting: ${kind.toLowerCase()} from ${this.callerName}</h2>
        <div class="from">${session.peer}</div>
        <div class="buttons">
          <button class="accept" @click=${() => this.dispatchEvent(new CustomEvent('take-call', { bubbles: true, composed: true }))}>End call and accept</button>
          <button class="decline" @click=${() => session.decline('busy')}>Decline</button>
        </div>
      </section>`;
    }
    return html`<section role="alertdialog" aria-label="Incoming call">
      <h2>${kind} from ${this.callerName}</h2>
      <div class="from">${session.peer}</div>
      <div class="buttons">
        <button class="accept" @click=${() => void session.accept()}>Accept</button>
        <button class="decline" @click=${() => session.decline()}>Decline</button>
      </div>
    </section>`;
  }
}
