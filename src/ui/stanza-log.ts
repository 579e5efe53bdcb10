// The wire log: every stanza sent and received, for what the inspector does
// not keep (roster, chat, presence of everyone). Stanzas are sent from the
// inspector's "Send a stanza". The log is kept apart from the app's state:
// a stanza redraws the log alone, at most once a frame, and its lines only
// while it is open.
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { createFrameBatch } from './frame-batch.ts';

export interface LogEntry {
  seq: number;
  direction: 'in' | 'out';
  time: number;
  text: string;
}

/** The last `max` stanzas on the wire, oldest first. */
export class WireLog {
  private entries: LogEntry[] = [];
  private seq = 0;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly max: number) {}

  add(direction: 'in' | 'out', time: number, text: string): void {
    this.entries.push({ seq: ++this.seq, direction, time, text });
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
    this.changed();
  }

  clear(): void {
    this.entries = [];
    this.changed();
  }

  get all(): readonly LogEntry[] {
    return this.entries;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
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

  @property({ attribute: false }) log?: WireLog;
  @property({ type: Boolean }) jingleOnly = true;
  @state() private open = false;
  private unlisten?: () => void;
  /** Many stanzas in one frame (a roster's presence) redraw the log once. */
  private readonly frame = createFrameBatch(() => this.requestUpdate());

  override connectedCallback(): void {
    super.connectedCallback();
    this.listen();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unlisten?.();
    this.unlisten = undefined;
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('log')) this.listen();
  }

  override render() {
    const entries = this.log?.all ?? [];
    const shown = this.jingleOnly ? entries.filter((e) => /jingle/.test(e.text)) : entries;
    return html`<details @toggle=${(e: Event) => (this.open = (e.target as HTMLDetailsElement).open)}>
      <summary>Wire log (${shown.length})</summary>
      <label><input type="checkbox" .checked=${this.jingleOnly}
        @change=${(e: Event) => (this.jingleOnly = (e.target as HTMLInputElement).checked)} /> Jingle only</label>
      ${this.open
        ? html`<ol aria-label="Stanzas">
            ${shown.map((e) => html`<li class=${e.direction} data-direction=${e.direction}>${new Date(e.time).toISOString().slice(11, 23)} ${e.text}</li>`)}
          </ol>`
        : nothing}
    </details>`;
  }

  private listen(): void {
    this.unlisten?.();
    this.unlisten = this.log?.onChange(() => this.frame.request());
  }
}
