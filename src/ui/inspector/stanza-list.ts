// The inspector's stanza log of one call: a row per stanza (time since the
// call began, direction, peer, action), filters by kind, and the chosen
// stanza below in full. Rows are drawn only where the list is scrolled to, so
// a call of 10,000 stanzas scrolls as one of ten.
import { LitElement, type PropertyValues, css, html } from 'lit';
import { controls } from '../theme.ts';
import { customElement, property, state } from 'lit/decorators.js';
import type { CallRecording } from '../../inspector/recording.ts';
import { describeStanza, KIND_LABELS, STANZA_KINDS, type StanzaKind, type StanzaRow } from '../../inspector/stanza-kind.ts';
import { rowWindow } from '../windowing.ts';
import './stanza-detail.ts';

/** Every row is this tall, so that which rows show follows from the scroll position alone. */
const ROW_PX = 30;
const VISIBLE_PX = 300;
/** Rows drawn beyond the visible ones, so a fast scroll shows no gap. */
const OVERSCAN = 8;

@customElement('jl-stanza-list')
export class StanzaList extends LitElement {
  static override styles = [
    controls,
    css`
    :host { display: block; }
    fieldset { border: 0; padding: 0; margin: 0 0 var(--jl-space-2, 0.5rem); display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; font-size: 0.85rem; }
    legend { font-weight: 600; padding: 0; margin-bottom: 0.25rem; }
    .find { display: flex; gap: 0.4rem; align-items: center; font-size: 0.85rem; margin-bottom: 0.4rem; }
    .find input { flex: 1; min-width: 0; min-height: 2.25rem; }
    .scroller { position: relative; height: ${VISIBLE_PX}px; overflow: auto; border: 1px solid var(--jl-border); border-radius: var(--jl-radius-s, 6px); background: var(--jl-surface); }
    .spacer { position: relative; }
    .item { position: absolute; left: 0; right: 0; height: ${ROW_PX}px; }
    button.row { width: 100%; height: 100%; min-height: 0; border-radius: 0; box-sizing: border-box; display: grid; grid-template-columns: 4.5rem 1.2rem minmax(0, 1fr) minmax(0, 1fr); gap: 0.4rem; align-items: center;
      padding: 0 0.5rem; border: 0; border-bottom: 1px solid var(--jl-surface-2); background: none; color: var(--jl-text); font: 0.78rem/1 ui-monospace, monospace; text-align: left; cursor: pointer; }
    button.row:hover, button.row:focus-visible { background: var(--jl-surface-2); }
    button.row[aria-pressed='true'] { background: color-mix(in srgb, var(--jl-accent) 18%, transparent); }
    .at { color: var(--jl-text-muted); text-align: right; }
    .in { color: var(--jl-ok); }
    .out { color: var(--jl-accent); }
    .action { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .peer { color: var(--jl-text-muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .empty { padding: 1rem; color: var(--jl-text-muted); }
    @media (max-width: 40rem) { button.row { grid-template-columns: 4rem 1rem minmax(0, 1fr); } .peer { display: none; } }
  `,
  ];

  @property({ attribute: false }) recording?: CallRecording;
  @state() private hiddenKinds = new Set<StanzaKind>();
  /** "Find": rows whose action, peer or XML holds this text. */
  @state() private query = '';
  @state() private selected?: number;
  @state() private scrolled = 0;

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another call: its stanzas, not the one open before.
    if (changed.has('recording') && changed.get('recording')?.sid !== this.recording?.sid) this.selected = undefined;
  }

  private rows(): StanzaRow[] {
    const stanzas = this.recording?.stanzas ?? [];
    const rows = stanzas.map((s, i) => describeStanza(s, i));
    const query = this.query.trim().toLowerCase();
    return rows.filter(
      (r) => !this.hiddenKinds.has(r.kind) && (!query || r.action.includes(query) || r.peer.toLowerCase().includes(query) || stanzas[r.index]!.xml.toLowerCase().includes(query)),
    );
  }

  private find(query: string): void {
    this.query = query;
    this.scrolled = 0;
    this.renderRoot.querySelector('.scroller')?.scrollTo({ top: 0 });
  }

  private toggleKind(kind: StanzaKind, shown: boolean): void {
    const hidden = new Set(this.hiddenKinds);
    if (shown) hidden.delete(kind);
    else hidden.add(kind);
    this.hiddenKinds = hidden;
  }

  override render() {
    const rows = this.rows();
    const { first, last } = rowWindow({ count: rows.length, rowPx: ROW_PX, scrollTop: this.scrolled, viewportPx: VISIBLE_PX, overscan: OVERSCAN });
    const chosen = this.selected !== undefined ? this.recording?.stanzas[this.selected] : undefined;
    return html`<fieldset><legend>Show</legend>
        ${STANZA_KINDS.map((kind) => html`<label><input type="checkbox" .checked=${!this.hiddenKinds.has(kind)}
          @change=${(e: Event) => this.toggleKind(kind, (e.target as HTMLInputElement).checked)} /> ${KIND_LABELS[kind]}</label>`)}
      </fieldset>
      <label class="find">Find <input type="search" .value=${this.query} placeholder="session-accept, ufrag, a JID…"
        @input=${(e: Event) => this.find((e.target as HTMLInputElement).value)} /></label>
      <div class="scroller" role="list" aria-label="Stanzas of this call" aria-rowcount=${rows.length} data-count=${rows.length}
        @scroll=${(e: Event) => (this.scrolled = (e.target as HTMLElement).scrollTop)}>
        ${rows.length === 0 ? html`<p class="empty">${this.query || this.hiddenKinds.size ? 'No stanza matches.' : 'No stanza recorded.'}</p>` : null}
        <div class="spacer" style="height: ${rows.length * ROW_PX}px">
          ${rows.slice(first, last).map((row, i) => this.renderRow(row, first + i))}
        </div>
      </div>
      ${chosen && this.recording && this.selected !== undefined
        ? html`<jl-stanza-detail .recording=${this.recording} .index=${this.selected} @close=${() => (this.selected = undefined)}></jl-stanza-detail>`
        : null}`;
  }

  private renderRow(row: StanzaRow, position: number) {
    const open = row.index === this.selected;
    return html`<div class="item" role="listitem" style="top: ${position * ROW_PX}px"><button class="row" aria-pressed=${open ? 'true' : 'false'}
      data-action=${row.action} data-direction=${row.direction} data-kind=${row.kind}
      aria-label="${row.direction === 'in' ? 'Received' : 'Sent'} ${row.action} at ${Math.round(row.at)} ms${row.peer ? `, ${row.direction === 'in' ? 'from' : 'to'} ${row.peer}` : ''}"
      @click=${() => (this.selected = open ? undefined : row.index)}>
      <span class="at">${Math.round(row.at)} ms</span>
      <span class=${row.direction} aria-hidden="true">${row.direction === 'in' ? '←' : '→'}</span>
      <span class="action">${row.action}</span>
      <span class="peer">${row.peer}</span>
    </button></div>`;
  }
}
