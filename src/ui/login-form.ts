// The login form: JID, password and an optional WebSocket URL.
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';

export interface LoginDetail {
  jid: string;
  password: string;
  service: string;
}

@customElement('jl-login-form')
export class LoginForm extends LitElement {
  static override styles = css`
    form { display: grid; gap: 0.75rem; max-width: 24rem; }
    label { display: grid; gap: 0.25rem; font-size: 0.9rem; }
    input { font: inherit; padding: 0.45rem 0.6rem; border: 1px solid #b8bfc9; border-radius: 6px; }
    button { font: inherit; padding: 0.5rem 1rem; border: 0; border-radius: 6px; background: #1d5fd1; color: white; cursor: pointer; }
    button[disabled] { background: #8da6cf; cursor: progress; }
    .error { color: #a3161a; background: #fdecec; border-radius: 6px; padding: 0.5rem 0.75rem; margin: 0; }
    .status { color: #445; margin: 0; }
    .hint { color: #667; font-size: 0.8rem; }
  `;

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
        <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Logging in…' : 'Log in'}</button>
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
