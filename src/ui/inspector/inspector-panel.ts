// The interop inspector of one call: where it broke and what was negotiated,
// every stanza with its SDP, the media graphs, and the tools to hand the
// evidence on (Export, Import, Copy report, Hide IP addresses) or to probe a
// peer (Send a stanza). Loaded on first use, so that it costs nothing before.
import { LitElement, css, html } from 'lit';
import { controls } from '../theme.ts';
import { customElement, property, state } from 'lit/decorators.js';
import { exportFileName, parseRecording, toJson } from '../../inspector/exchange.ts';
import { maskRecording } from '../../inspector/mask.ts';
import type { ProbeOutcome } from '../../inspector/probe.ts';
import type { CallRecording } from '../../inspector/recording.ts';
import { reportMarkdown } from '../../inspector/report.ts';
import { type CallSummary, summarise } from '../../inspector/summary.ts';
import './media-graphs.ts';
import './negotiation-summary.ts';
import './send-stanza.ts';
import './stanza-list.ts';

export interface RecordedCallChoice {
  sid: string;
  label: string;
}

/** The last summary, rebuilt only when what it is read from grew or changed. */
interface Memo {
  key: string;
  shown: CallRecording;
  summary: CallSummary;
}

const keyOf = (r: CallRecording, hide: boolean) => [r.sid, r.startedAt, r.stanzas.length, r.sdps.length, r.timeline.length, r.samples.length, r.outcome, r.selectedPair?.local, hide].join('|');

@customElement('jl-inspector')
export class InspectorPanel extends LitElement {
  static override styles = [
    controls,
    css`
    :host { display: block; background: var(--jl-surface); color: var(--jl-text); border: 1px solid var(--jl-border); border-radius: var(--jl-radius-m, 10px); padding: 0.75rem; box-sizing: border-box; overflow: auto; }
    /* The title and Close stay in sight however far the panel is scrolled. */
    header { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; position: sticky; top: -0.75rem; margin: -0.75rem -0.75rem 0; padding: 0.75rem; background: var(--jl-surface); z-index: 1; border-bottom: 1px solid var(--jl-surface-2); }
    h2 { margin: 0; font-size: 1.05rem; flex: 1; }
    h3 { font-size: 0.95rem; margin: 1rem 0 0.4rem; }
    .tools button { min-height: 2.25rem; }
    .tools label { display: inline-flex; align-items: center; gap: 0.35rem; }
    .tools input[type='checkbox'] { min-height: 0; margin: 0; }
    .tools { display: flex; flex-wrap: wrap; gap: 0.4rem 0.6rem; align-items: center; margin: 0.5rem 0; font-size: 0.85rem; }
    select { max-width: 100%; }
    .file { position: relative; overflow: hidden; }
    .file input { position: absolute; inset: 0; opacity: 0; cursor: pointer; }
    .status { font-size: 0.85rem; color: var(--jl-text-muted); margin: 0.25rem 0; min-height: 1.2em; }
    .error { color: var(--jl-danger); }
    .empty { color: var(--jl-text-muted); }
  `,
  ];

  /** The call shown: recorded here, or imported. */
  @property({ attribute: false }) recording?: CallRecording;
  @property({ attribute: false }) calls: readonly RecordedCallChoice[] = [];
  @property() selected = '';
  @property({ type: Boolean }) imported = false;
  @property({ attribute: false }) probe?: (text: string) => Promise<ProbeOutcome>;
  @state() private hideAddresses = false;
  @state() private status = '';
  @state() private error = '';
  private memo?: Memo;

  /** The recording as shown and exported: masked when addresses are hidden. */
  private view(): Memo | undefined {
    const recording = this.recording;
    if (!recording) return undefined;
    const key = keyOf(recording, this.hideAddresses);
    if (this.memo?.key === key) return this.memo;
    const shown = this.hideAddresses ? maskRecording(recording) : recording;
    this.memo = { key, shown, summary: summarise(shown) };
    return this.memo;
  }

  private say(status: string, error = ''): void {
    this.status = status;
    this.error = error;
  }

  private exportFile(view: Memo): void {
    const exported: CallRecording = { ...view.shown, clients: { ...view.shown.clients, ...(view.summary.peerClient ? { peer: view.summary.peerClient } : {}) } };
    const url = URL.createObjectURL(new Blob([toJson({ ...exported, summary: view.summary } as CallRecording)], { type: 'application/json' }));
    const link = Object.assign(document.createElement('a'), { href: url, download: exportFileName(exported) });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.say(`Exported ${link.download}${this.hideAddresses ? ', with the IP addresses hidden' : ''}.`);
  }

  private async importFile(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    this.say(`Reading ${file.name}…`);
    const parsed = parseRecording(await file.text());
    if ('error' in parsed) return this.say('', `${file.name}: ${parsed.error}`);
    this.say(`Opened ${file.name}.`);
    this.dispatchEvent(new CustomEvent('import-recording', { detail: parsed }));
  }

  private async copyReport(view: Memo): Promise<void> {
    try {
      await navigator.clipboard.writeText(reportMarkdown(view.shown, view.summary));
      this.say('The report is on the clipboard, in Markdown.');
    } catch {
      this.say('', 'The browser did not allow copying to the clipboard. Use Export instead.');
    }
  }

  override render() {
    const view = this.view();
    return html`<header>
        <h2 id="inspector-title">Inspector</h2>
        <button type="button" @click=${() => this.dispatchEvent(new Event('close'))}>Close</button>
      </header>
      <div class="tools">
        ${this.calls.length
          ? html`<label>Call <select aria-label="Call to inspect" @change=${(e: Event) => this.dispatchEvent(new CustomEvent('choose-call', { detail: { sid: (e.target as HTMLSelectElement).value } }))}>
              ${this.imported ? html`<option selected value="">Imported report</option>` : null}
              ${this.calls.map((c) => html`<option value=${c.sid} ?selected=${!this.imported && c.sid === this.selected}>${c.label}</option>`)}
            </select></label>`
          : null}
        <label><input type="checkbox" .checked=${this.hideAddresses} @change=${(e: Event) => (this.hideAddresses = (e.target as HTMLInputElement).checked)} /> Hide IP addresses</label>
        <button type="button" ?disabled=${!view} @click=${() => view && this.exportFile(view)}>Export</button>
        <span class="file"><button type="button" tabindex="-1" aria-hidden="true">Import</button><input type="file" accept="application/json,.json" aria-label="Import"
          @change=${(e: Event) => void this.importFile(e.target as HTMLInputElement)} /></span>
        <button type="button" ?disabled=${!view} @click=${() => view && void this.copyReport(view)}>Copy report</button>
      </div>
      <p class="status ${this.error ? 'error' : ''}" role="status" data-inspector-status>${this.error || this.status}</p>
      ${view
        ? html`<h3>Summary</h3><jl-negotiation-summary .summary=${view.summary}></jl-negotiation-summary>
            <h3>Stanzas</h3><jl-stanza-list .recording=${view.shown}></jl-stanza-list>
            <h3>Media</h3><jl-media-graphs .samples=${view.shown.samples}></jl-media-graphs>`
        : html`<p class="empty">No call recorded yet. Place or take a call, or import a report.</p>`}
      <h3>Send a stanza</h3>
      <jl-send-stanza .probe=${this.probe}></jl-send-stanza>`;
  }
}
