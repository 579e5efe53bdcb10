// One figure of the call's media over time, in SVG: a line per series with its
// own colour and dash pattern (colour is never the only difference), a dot per
// sample, round ticks on both axes, and a legend. Drawn at the width it is
// given, one SVG unit to a pixel, so its text stays the same size on a phone
// and on a desktop.
import { LitElement, css, html, nothing, svg, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatBitrate, formatMs, linearScale, niceAxis, niceTicks, polylinePoints } from './chart-scale.ts';

export type ChartUnit = 'bitrate' | 'ms' | 'count';

export interface Series {
  name: string;
  /** `at` in ms since the call started. */
  points: { at: number; value: number }[];
}

const FORMATS: Record<ChartUnit, (v: number) => string> = {
  bitrate: formatBitrate,
  ms: formatMs,
  count: (v) => String(Math.round(v) + 0),
};

const LOOKS = [
  { colour: 'var(--jl-accent)', dash: '' },
  { colour: 'var(--jl-ok)', dash: '6 3' },
  { colour: 'var(--jl-danger)', dash: '2 3' },
  { colour: 'var(--jl-warn)', dash: '8 3 2 3' },
  { colour: 'var(--jl-text-muted)', dash: '4 2 1 2 1 2' },
] as const;

const HEIGHT = 120;
const PAD = { left: 60, right: 10, top: 8, bottom: 20 };

/** The host's width in px, kept up to date by a ResizeObserver (none under happy-dom: the default stays). */
class WidthController implements ReactiveController {
  width = 320;
  private readonly observer =
    typeof ResizeObserver === 'undefined'
      ? undefined
      : new ResizeObserver(([entry]) => {
          const width = Math.round(entry?.contentRect.width ?? 0);
          if (width > 0 && width !== this.width) {
            this.width = width;
            this.host.requestUpdate();
          }
        });

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected() {
    this.observer?.observe(this.host);
  }

  hostDisconnected() {
    this.observer?.disconnect();
  }
}

function extent(values: readonly number[]): [number, number] {
  let [min, max] = [Infinity, -Infinity];
  for (const v of values) [min, max] = [Math.min(min, v), Math.max(max, v)];
  return [min, max];
}

@customElement('jl-line-chart')
export class LineChart extends LitElement {
  static override styles = css`
    :host { display: block; font-family: var(--jl-font); color: var(--jl-text); }
    h4 { margin: 0 0 var(--jl-space-1); font-size: 0.8rem; font-weight: 600; }
    svg.chart { display: block; width: 100%; height: ${HEIGHT}px; overflow: visible; }
    text { fill: var(--jl-text-muted); font-size: 10px; font-variant-numeric: tabular-nums; }
    .grid { stroke: var(--jl-border); stroke-opacity: 0.6; }
    .zero { stroke: var(--jl-text-muted); }
    circle { stroke: var(--jl-surface); stroke-width: 1; }
    ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0 var(--jl-space-3); margin: var(--jl-space-1) 0 0; padding: 0;
      font-size: 0.75rem; color: var(--jl-text-muted); }
    li { display: inline-flex; align-items: center; gap: var(--jl-space-1); }
  `;

  /** What is measured, e.g. "Bitrate": the heading and the start of the accessible name. */
  @property() label = '';
  /** How values are written on the axis and in the accessible name. */
  @property() unit: ChartUnit = 'count';
  @property({ attribute: false }) series: Series[] = [];

  private readonly size = new WidthController(this);

  override render() {
    const format = FORMATS[this.unit] ?? FORMATS.count;
    const name = this.label || 'Chart';
    const width = Math.max(160, this.size.width);
    const lines = this.series.map((s, i) => ({
      name: s.name,
      look: LOOKS[i % LOOKS.length]!,
      points: s.points.filter((p) => Number.isFinite(p.at) && Number.isFinite(p.value)),
    }));
    const all = lines.flatMap((l) => l.points);
    const heading = this.label ? html`<h4>${this.label}</h4>` : nothing;
    if (!all.length) {
      return html`${heading}<svg class="chart" viewBox="0 0 ${width} ${HEIGHT}" role="img" aria-label="${name}: no samples yet" data-points="0">
        <text x=${width / 2} y=${HEIGHT / 2} text-anchor="middle">No samples yet</text>
      </svg>`;
    }

    const [t0, t1] = extent(all.map((p) => p.at));
    const [vMin, vMax] = extent(all.map((p) => p.value));
    // Zero is always on the axis (packets lost can go below it after duplicates); all zeros still get a span.
    // A floor for the top of the axis, so that a quiet line does not get ticks that round to the same label.
    const least = this.unit === 'bitrate' ? 1000 : 1;
    const yAxis = niceAxis(Math.min(0, vMin), Math.max(least, vMax), 3);
    const [v0, v1] = yAxis.domain;
    const right = width - PAD.right;
    const bottom = HEIGHT - PAD.bottom;
    const x = linearScale([t0, t1], [PAD.left, right]);
    const y = linearScale([v0, v1], [bottom, PAD.top]);
    const yTicks = yAxis.ticks.filter((t) => this.unit !== 'count' || Number.isInteger(t));
    // Samples come once a second: half seconds on the axis only when the call is that short.
    const xTicks = niceTicks(t0 / 1000, t1 / 1000, Math.max(2, Math.floor((right - PAD.left) / 70))).filter((s) => t1 - t0 < 2000 || Number.isInteger(s));
    const latest = lines
      .filter((l) => l.points.length)
      .map((l) => `${l.name} ${format(l.points.reduce((a, b) => (b.at >= a.at ? b : a)).value)}`)
      .join(', ');

    return html`${heading}
      <svg class="chart" viewBox="0 0 ${width} ${HEIGHT}" role="img" aria-label="${name}: ${latest} (latest)" data-points=${all.length}>
        ${yTicks.map(
          (t) => svg`<line class=${t === 0 && v0 < 0 ? 'zero' : 'grid'} x1=${PAD.left} x2=${right} y1=${y(t)} y2=${y(t)}></line>
            <text x=${PAD.left - 6} y=${y(t) + 3.5} text-anchor="end">${format(t)}</text>`,
        )}
        ${xTicks.map((s) => svg`<text x=${x(s * 1000)} y=${HEIGHT - 5} text-anchor="middle">${Number(s.toFixed(1))} s</text>`)}
        ${lines.map(
          (l) => svg`<polyline fill="none" stroke=${l.look.colour} stroke-width="1.5" stroke-linejoin="round" stroke-dasharray=${l.look.dash || nothing}
              points=${polylinePoints(l.points.map((p) => ({ x: p.at, y: p.value })), x, y)}></polyline>
            ${l.points.map((p) => svg`<circle cx=${x(p.at)} cy=${y(p.value)} r="2.5" fill=${l.look.colour}></circle>`)}`,
        )}
      </svg>
      <ul aria-label="Legend">
        ${lines.map(
          (l) => html`<li data-series=${l.name}><svg width="24" height="8" aria-hidden="true">
              <line x1="0" x2="24" y1="4" y2="4" stroke=${l.look.colour} stroke-width="2" stroke-dasharray=${l.look.dash || nothing}></line></svg>${l.name}</li>`,
        )}
      </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jl-line-chart': LineChart;
  }
}
