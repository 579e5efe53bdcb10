// "Send a stanza": a box for hand-written XML, checked before it goes (probe.ts),
// and what came of it: refused, sent, or the peer's answer in full.
import { LitElement, css, html } from 'lit';
import { controls } from '../theme.ts';
import { customElement, property, state } from 'lit/decorators.js';
import { prettyXmlText } from '../../inspector/pretty-xml.ts';
import type { ProbeOutcome } from '../../inspector/probe.ts';

@customElement('jl-send-stanza')
export class SendStanza extends LitElement {
  static override styles = [
    controls,
    css`
    form { display: grid; gap: 0.3rem; }
    textarea { font: 0.75rem/1.35 ui-monospace, monospace; min-height: 5rem; background: var(--jl-surface); color: var(--jl-text); border: 1px solid var(--jl-border); border-radius: 4px; }
    button { justify-self: start; }
    p { margin: 0; font-size: 0.85rem; }
    .error { color: var(--jl-danger); }
    pre { margin: 0; padding: 0.5rem; background: var(--jl-surface-2); font: 0.72rem/1.4 ui-monospace, monospace; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 16rem; overflow: auto; }
  `,
  ];

  @property({ attribute: false }) probe?: (text: string) => Promise<ProbeOutcome>;
  @state() private outcome?: ProbeOutcome;
  @state() private busy = false;

  private async send(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.probe || this.busy) return;
    const field = (event.target as HTMLFormElement).elements.namedItem('stanza') as HTMLTextAreaElement;
    this.busy = true;
    this.outcome = undefined;
    try {
      this.outcome = await this.probe(field.value);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const o = this.outcome;
    return html`<form aria-label="Send a stanza" @submit=${(e: Event) => void this.send(e)}>
      <textarea name="stanza" aria-label="Stanza to send" spellcheck="false" placeholder="<iq type='get' to='…'><query xmlns='jabber:iq:version'/></iq>"></textarea>
      <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Waiting for the answer…' : 'Send stanza'}</button>
      ${o ? html`<p class=${o.kind === 'refused' || o.kind === 'failed' ? 'error' : ''} role=${o.kind === 'refused' || o.kind === 'failed' ? 'alert' : 'status'} data-probe=${o.kind}>${o.message}</p>` : null}
      ${o?.kind === 'answered' ? html`<pre aria-label="Answer" data-reply>${prettyXmlText(o.reply)}</pre>` : null}
    </form>`;
  }
}
