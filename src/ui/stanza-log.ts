// The wire log: every stanza sent and received, for seeing what a peer said.
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';

export interface LogEntry {
  seq: number;
  direction: 'in' | 'out';
  time: number;
  text: string;
}

@customElement('jl-stanza-log')
export class StanzaLog extends LitElement {
  static override styles = css`
    details { border: 1px solid var(--jl-border); border-radius: var(--jl-radius-m); padding: 0.5rem 0.75rem; background: var(--jl-surface); color: var(--jl-text); }
    textarea { background: var(--jl-surface); color: var(--jl-text); border: 1px solid var(--jl-border); }
    summary { cursor: pointer; font-weight: 600; }
    ol { list-style: none; margin: 0.5rem 0 0; padding: 0; max-height: 24rem; overflow: auto; font: 0.75rem/1.35 ui-monospace, monospace; }
    li { padding: 0.25rem 0; border-top: 1px solid var(--jl-surface-2); white-space: pre-wrap; overflow-wrap: anywhere; }
    .in::before { content: '← '; color: var(--jl-ok); }
    .out::before { content: '→ '; color: var(--jl-accent); }
    label { font-weight: normal; font-size: 0.85rem; margin-left: 1rem; }
    form { display: grid; gap: 0.3rem; margin-top: 0.5rem; }
    textarea { font: 0.75rem/1.35 ui-monospace, monospace; min-height: 4rem; }
    form button { justify-self: start; font: inherit; font-size: 0.85rem; }
    .error { color: var(--jl-danger); font-size: 0.85rem; margin: 0; }
  `;

  @property({ attribute: false }) entries: readonly LogEntry[] = [];
  @property({ type: Boolean }) jingleOnly = true;
  /** Why the last raw stanza could not be sent. */
  @property() sendError = '';

  /** Sends hand-written XML as it is: for probing a peer's stack from the lab. */
  private send(event: Event) {
    event.preventDefault();
    const field = (event.target as HTMLFormElement).elements.namedItem('stanza') as HTMLTextAreaElement;
    this.dispatchEvent(new CustomEvent('send-stanza', { detail: field.value, bubbles: true, composed: true }));
  }

  override render() {
    const shown = this.jingleOnly ? this.entries.filter((e) => /jingle/.test(e.text)) : this.entries;
    return html`<details>
      <summary>Wire log (${shown.length})</summary>
      <label><input type="checkbox" .checked=${this.jingleOnly}
        @change=${(e: Event) => (this.jingleOnly = (e.target as HTMLInputElement).checked)} /> Jingle only</label>
      <ol aria-label="Stanzas">
        ${shown.map((e) => html`<li class=${e.direction} data-direction=${e.direction}>${new Date(e.time).toISOString().slice(11, 23)} ${e.text}</li>`)}
      </ol>
      <form aria-label="Send a stanza" @submit=${this.send}>
        <textarea name="stanza" aria-label="Stanza to send" placeholder="<iq type='set' to='…'>…</iq>"></textarea>
        <button type="submit">Send stanza</button>
        ${this.sendError ? html`<p class="error" role="alert">${this.sendError}</p>` : null}
      </form>
    </details>`;
  }
}
