// The wire log: every stanza sent and received, for what the inspector does
// not keep (roster, chat, presence of everyone). Stanzas are sent from the
// inspector's "Send a stanza".
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
    summary { cursor: pointer; font-weight: 600; }
    ol { list-style: none; margin: 0.5rem 0 0; padding: 0; max-height: 24rem; overflow: auto; font: 0.75rem/1.35 ui-monospace, monospace; }
    li { padding: 0.25rem 0; border-top: 1px solid var(--jl-surface-2); white-space: pre-wrap; overflow-wrap: anywhere; }
    .in::before { content: '← '; color: var(--jl-ok); }
    .out::before { content: '→ '; color: var(--jl-accent); }
    label { font-weight: normal; font-size: 0.85rem; margin-left: 1rem; }
  `;

  @property({ attribute: false }) entries: readonly LogEntry[] = [];
  @property({ type: Boolean }) jingleOnly = true;

  override render() {
    const shown = this.jingleOnly ? this.entries.filter((e) => /jingle/.test(e.text)) : this.entries;
    return html`<details>
      <summary>Wire log (${shown.length})</summary>
      <label><input type="checkbox" .checked=${this.jingleOnly}
        @change=${(e: Event) => (this.jingleOnly = (e.target as HTMLInputElement).checked)} /> Jingle only</label>
      <ol aria-label="Stanzas">
        ${shown.map((e) => html`<li class=${e.direction} data-direction=${e.direction}>${new Date(e.time).toISOString().slice(11, 23)} ${e.text}</li>`)}
      </ol>
    </details>`;
  }
}
