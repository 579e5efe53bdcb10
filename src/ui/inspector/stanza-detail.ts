// One stanza in full: its XML pretty-printed and highlighted, with "Copy";
// beside it the SDP it was translated from or into. Pointing at a <content>
// lights up its m-section, and pointing at an m-section lights up its content.
import { LitElement, css, html } from 'lit';
import { controls } from '../theme.ts';
import { customElement, property, state } from 'lit/decorators.js';
import { sdpFor } from '../../inspector/pairing.ts';
import { prettyXml, prettyXmlText, type XmlToken } from '../../inspector/pretty-xml.ts';
import type { CallRecording } from '../../inspector/recording.ts';
import { contentSectionIndex, sdpSections } from '../../inspector/sdp-sections.ts';

interface Block {
  /** The content's position among the stanza's contents, and its name; undefined outside any content. */
  content?: number;
  name?: string;
  lines: XmlToken[][];
}

const lineText = (line: XmlToken[]) => line.map((t) => t.text).join('');

/** The pretty-printed lines, cut into runs: outside contents, and each <content> with what it holds. */
function blocks(lines: XmlToken[][]): Block[] {
  const out: Block[] = [];
  let current: Block = { lines: [] };
  let contents = 0;
  for (const line of lines) {
    const text = lineText(line);
    if (current.content === undefined && /^\s*<content[\s>/]/.test(text)) {
      if (current.lines.length) out.push(current);
      current = { content: contents++, name: /\sname=["']([^"']*)["']/.exec(text)?.[1] ?? '', lines: [line] };
      if (/\/>\s*$/.test(text)) {
        out.push(current);
        current = { lines: [] };
      }
      continue;
    }
    current.lines.push(line);
    if (current.content !== undefined && /^\s*<\/content>/.test(text)) {
      out.push(current);
      current = { lines: [] };
    }
  }
  if (current.lines.length) out.push(current);
  return out;
}

@customElement('jl-stanza-detail')
export class StanzaDetail extends LitElement {
  static override styles = [
    controls,
    css`
    :host { display: block; margin-top: 0.5rem; }
    header { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin-bottom: 0.25rem; }
    h4 { margin: 0; font-size: 0.9rem; flex: 1; }
    header button { min-height: 2rem; padding: 0 0.75rem; font-size: 0.85rem; }
    .sides { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 15rem), 1fr)); gap: 0.5rem; }
    pre { margin: 0; padding: 0.5rem; max-height: 22rem; overflow: auto; background: var(--jl-surface-2); border-radius: var(--jl-radius-s, 6px);
      font: 0.72rem/1.4 ui-monospace, monospace; white-space: pre-wrap; overflow-wrap: anywhere; color: var(--jl-text); }
    .block { display: block; border-radius: 3px; }
    .lit { background: color-mix(in srgb, var(--jl-accent) 22%, transparent); outline: 1px solid var(--jl-accent); }
    .tag { color: var(--jl-accent); }
    .attr { color: var(--jl-warning, #b26b00); }
    .value { color: var(--jl-ok); }
    .punct { color: var(--jl-text-muted); }
    h5 { margin: 0 0 0.25rem; font-size: 0.8rem; color: var(--jl-text-muted); font-weight: 600; }
    .status { font-size: 0.8rem; color: var(--jl-text-muted); }
  `,
  ];

  @property({ attribute: false }) recording?: CallRecording;
  @property({ type: Number }) index = 0;
  /** The content pointed at, by position. */
  @state() private lit?: number;
  @state() private copied = '';

  private readonly unlight = () => (this.lit = undefined);

  private async copy(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.copied = 'Copied.';
    } catch {
      this.copied = 'The browser did not allow copying: select the text and copy it.';
    }
  }

  override render() {
    const stanza = this.recording?.stanzas[this.index];
    if (!this.recording || !stanza) return null;
    const lines = prettyXml(stanza.xml);
    const runs = blocks(lines);
    const sdps = sdpFor(this.recording, this.index);
    const names = runs.filter((b) => b.content !== undefined).map((b) => b.name ?? '');
    return html`<header>
        <h4>${stanza.direction === 'in' ? 'Received' : 'Sent'} at ${Math.round(stanza.at)} ms</h4>
        <span class="status" role="status">${this.copied}</span>
        <button type="button" @click=${() => void this.copy(prettyXmlText(stanza.xml))}>Copy</button>
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('close'))}>Close</button>
      </header>
      <div class="sides">
        <div><h5>Stanza</h5><pre data-xml>${runs.map((b) => this.renderBlock(b))}</pre></div>
        ${sdps.length
          ? html`<div><h5>SDP ${stanza.direction === 'out' ? 'it was translated from' : 'it became'}</h5><pre data-sdp>${sdps.map((entry) => {
              const sections = sdpSections(entry.sdp);
              const owner = (m: number) => names.findIndex((name, k) => contentSectionIndex(sections, name, k) === m);
              return html`${sections.session.length ? html`<span class="block">${sections.session.join('\n')}\n</span>` : null}${sections.media.map((m, i) => {
                const content = owner(i);
                const light = () => (this.lit = content >= 0 ? content : undefined);
                return html`<span class="block ${content >= 0 && content === this.lit ? 'lit' : ''}" data-section=${i} tabindex="0"
                  @mouseenter=${light} @focus=${light} @mouseleave=${this.unlight} @blur=${this.unlight}>${m.lines.join('\n')}\n</span>`;
              })}`;
            })}</pre></div>`
          : null}
      </div>`;
  }

  private renderBlock(block: Block) {
    const body = block.lines.map((line) => html`${line.map((t) => html`<span class=${t.kind}>${t.text}</span>`)}\n`);
    if (block.content === undefined) return html`<span class="block">${body}</span>`;
    const content = block.content;
    const light = () => (this.lit = content);
    // Focusable too, so that the keyboard lights a content and its m-section as pointing does.
    return html`<span class="block ${content === this.lit ? 'lit' : ''}" data-content=${content} tabindex="0"
      @mouseenter=${light} @focus=${light} @mouseleave=${this.unlight} @blur=${this.unlight}>${body}</span>`;
  }
}
