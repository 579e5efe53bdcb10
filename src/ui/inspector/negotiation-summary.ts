// The negotiation of one call at a glance: where it broke (first), both
// clients, the features of each side and what the call used, the codecs, the
// DTLS roles, the candidates and the selected pair, and the time line of its
// phases.
import { LitElement, css, html } from 'lit';
import { controls } from '../theme.ts';
import { customElement, property } from 'lit/decorators.js';
import type { CallSummary, FeatureStatus } from '../../inspector/summary.ts';
import { CANDIDATE_TYPES } from '../../inspector/summary.ts';
import type { ClientVersion } from '../../inspector/recording.ts';
import './phase-chart.ts';

const STATUS_LABELS: Record<FeatureStatus, string> = { used: 'Used', offered: 'Offered, not used', missing: 'Missing' };
const yesNo = (v: boolean | undefined) => (v === undefined ? 'Unknown' : v ? 'Yes' : 'No');
const client = (c: ClientVersion | undefined) =>
  c ? `${c.name}${c.version ? ` ${c.version}` : ''}${c.os ? ` (${c.os})` : ''}${c.source === 'caps' ? ' (from its capabilities)' : ''}` : 'Not known: it answered no version query';

@customElement('jl-negotiation-summary')
export class NegotiationSummary extends LitElement {
  static override styles = [
    controls,
    css`
    :host { display: block; font-size: 0.85rem; }
    section { margin-bottom: 0.75rem; }
    h4 { margin: 0 0 0.3rem; font-size: 0.9rem; }
    .diagnosis { padding: 0.5rem 0.75rem; border-radius: var(--jl-radius-s, 6px); border-left: 4px solid var(--jl-danger); background: color-mix(in srgb, var(--jl-danger) 10%, transparent); }
    .diagnosis.fine { border-color: var(--jl-ok); background: color-mix(in srgb, var(--jl-ok) 10%, transparent); }
    .diagnosis p { margin: 0.2rem 0; }
    dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.2rem 0.75rem; margin: 0; }
    dt { color: var(--jl-text-muted); }
    dd { margin: 0; overflow-wrap: anywhere; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 0.2rem 0.4rem; border-bottom: 1px solid var(--jl-surface-2); }
    th { font-weight: 600; color: var(--jl-text-muted); }
    .used { color: var(--jl-ok); font-weight: 600; }
    .missing { color: var(--jl-danger); }
    .offered { color: var(--jl-text-muted); }
    .scroll { overflow-x: auto; }
  `,
  ];

  @property({ attribute: false }) summary?: CallSummary;

  override render() {
    const s = this.summary;
    if (!s) return null;
    const candidates = s.candidates;
    return html`
      <section aria-label="Diagnosis">
        ${s.diagnoses.length
          ? html`<div class="diagnosis" data-diagnosis role="status"><h4>Where it broke</h4>${s.diagnoses.map((d) => html`<p data-rule=${d.rule}>${d.cause}</p>`)}</div>`
          : html`<div class="diagnosis fine" data-diagnosis><p>${s.outcome === 'ongoing' ? 'The call is under way: nothing went wrong so far.' : s.outcome === 'connected' ? 'The call connected: no failure seen.' : 'No known cause was found in what was recorded.'}</p></div>`}
      </section>
      <section aria-label="Clients"><h4>Clients</h4><dl>
        <dt>This side</dt><dd data-our-client>${client(s.ourClient)}</dd>
        <dt>Peer</dt><dd data-peer-client>${client(s.peerClient)}</dd>
        ${s.endReason ? html`<dt>End</dt><dd>${s.endReason}</dd>` : null}
      </dl></section>
      <section aria-label="Features"><h4>Features</h4><div class="scroll"><table>
        <thead><tr><th scope="col">Feature</th><th scope="col">Ours</th><th scope="col">Peer</th><th scope="col">In this call</th></tr></thead>
        <tbody>${s.features.map((f) => html`<tr data-feature=${f.feature} data-status=${f.status}><th scope="row">${f.feature}</th><td>${yesNo(f.ours)}</td><td>${yesNo(f.peer)}</td>
          <td class=${f.status}>${STATUS_LABELS[f.status]}</td></tr>`)}</tbody>
      </table></div></section>
      <section aria-label="Media"><h4>Media</h4><dl>
        ${Object.entries(s.codecs).map(([media, c]) => html`<dt>${media} codec</dt><dd data-codec=${media}>${c.name ?? `payload type ${c.id}`}${c.clockrate ? `/${c.clockrate}` : ''}${c.channels && c.channels > 1 ? `/${c.channels}` : ''} (chosen by ${c.chosenBy === 'ours' ? 'this side' : 'the peer'})</dd>`)}
        <dt>DTLS</dt><dd data-dtls>this side ${s.dtls.ours?.setup ?? 'no setup'}, peer ${s.dtls.peer?.setup ?? 'no setup'}; fingerprints ${[s.dtls.ours?.hash, s.dtls.peer?.hash].filter(Boolean).join(' / ') || 'none'}</dd>
        <dt>Candidates</dt><dd data-candidates>this side ${CANDIDATE_TYPES.map((t) => `${candidates.local[t]} ${t}`).join(', ')}; peer ${CANDIDATE_TYPES.map((t) => `${candidates.remote[t]} ${t}`).join(', ')}</dd>
        <dt>Selected pair</dt><dd data-pair>${candidates.selected ? `${candidates.selected.local} (${candidates.selected.localType}) ⇄ ${candidates.selected.remote} (${candidates.selected.remoteType})${candidates.selected.protocol ? ` over ${candidates.selected.protocol}` : ''}` : 'None yet'}</dd>
      </dl></section>
      <section aria-label="Timeline"><h4>Timeline</h4>
        <jl-phase-chart .phases=${s.phases}></jl-phase-chart>
      </section>`;
  }
}
