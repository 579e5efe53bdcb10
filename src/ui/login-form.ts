// The login form: JID, password and an optional WebSocket URL.
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { controls } from './theme.ts';

export interface LoginDetail {
  jid: string;
  password: string;
  service: string;
}

@customElement('jl-login-form')
export class LoginForm extends LitElement {
  static override styles = [
    controls,
    css`
      :host { display: block; }
      form { display: grid; gap: var(--jl-space-4); }
      label { display: grid; gap: var(--jl-space-1); font-size: var(--jl-text-s); font-weight: 600; }
      input { width: 100%; font-weight: normal; }
      button[type='submit'] { min-height: 2.75rem; }
      button[disabled] { cursor: progress; }
      .error { color: var(--jl-danger); background: var(--jl-surface-2); border-left: 4px solid var(--jl-danger); border-radius: var(--jl-radius-s); padding: var(--jl-space-2) var(--jl-space-3); margin: 0; }
      .status { color: var(--jl-text-muted); margin: 0; }
      .hint { color: var(--jl-text-muted); font-weight: normal; }
    `,
  ];

  @property() error = '';
  @property() status = '';
  @property({ type: Boolean }) busy = false;
  @property() jid = '';
  @property() service = '';

  @state() private password = '';

  override render() {
    return html`
      <form @submit=${this.submit} aria-busy=${this.busy ? 'true' : 'false'}>
        <label>Address (JID)
          <input name="jid" autocomplete="username" required placeholder="alice@example.org"
            .value=${this.jid} @input=${(e: Event) => (this.jid = (e.target as HTMLInputElement).value)} />
        </label>
        <label>Password
          <input name="password" type="password" autocomplete="current-password" required
            .value=${this.password} @input=${(e: Event) => (this.password = (e.target as HTMLInputElement).value)} />
        </label>
        <label>WebSocket URL <span class="hint">(optional: found through the domain's host-meta, else this site's /xmpp-websocket)</span>
          <input name="service" placeholder="wss://example.org/xmpp-websocket"
            .value=${this.service} @input=${(e: Event) => (this.service = (e.target as HTMLInputElement).value)} />
        </label>
        <button class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Logging in…' : 'Log in'}</button>
        ${this.status ? html`<p class="status" role="status">${this.status}</p>` : null}
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
      </form>
    `;
  }

  private submit(event: Event) {
    event.preventDefault();
    if (this.busy) return;
    const detail: LoginDetail = { jid: this.jid.trim(), password: this.password, service: this.service.trim() };
    this.dispatchEvent(new CustomEvent<LoginDetail>('login', { detail, bubbles: true, composed: true }));
  }
}
