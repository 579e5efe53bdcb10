// The call's media over time, one graph per figure (bitrate, packets lost,
// jitter, round-trip time), a line per track, from the getStats() samples the
// recorder took once a second.
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { StatsSample, TrackSample } from '../../inspector/recording.ts';
import './line-chart.ts';

type Figure = 'bitrate' | 'packetsLost' | 'jitter' | 'roundTripTime';

const GRAPHS: { figure: Figure; label: string; unit: 'bitrate' | 'ms' | 'count' }[] = [
  { figure: 'bitrate', label: 'Bitrate', unit: 'bitrate' },
  { figure: 'packetsLost', label: 'Packets lost', unit: 'count' },
  { figure: 'jitter', label: 'Jitter', unit: 'ms' },
  { figure: 'roundTripTime', label: 'Round-trip time', unit: 'ms' },
];

/** One line per track of one figure, leaving out the samples that did not measure it. */
export function seriesOf(samples: readonly StatsSample[], figure: Figure): { name: string; points: { at: number; value: number }[] }[] {
  const byTrack = new Map<string, { at: number; value: number }[]>();
  for (const sample of samples) {
    for (const track of sample.tracks) {
      const value = (track as TrackSample)[figure];
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      const points = byTrack.get(track.track) ?? [];
      points.push({ at: sample.at, value });
      byTrack.set(track.track, points);
    }
  }
  return [...byTrack].map(([name, points]) => ({ name, points }));
}

@customElement('jl-media-graphs')
export class MediaGraphs extends LitElement {
  static override styles = css`
    :host { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 16rem), 1fr)); gap: 0.75rem; }
    p { color: var(--jl-text-muted); font-size: 0.85rem; margin: 0; }
  `;

  @property({ attribute: false }) samples: readonly StatsSample[] = [];

  override render() {
    if (!this.samples.length) return html`<p>No media figures yet: they are sampled once a second while the call is connected.</p>`;
    return GRAPHS.map((g) => html`<jl-line-chart data-graph=${g.figure} .label=${g.label} .unit=${g.unit} .series=${seriesOf(this.samples, g.figure)}></jl-line-chart>`);
  }
}
