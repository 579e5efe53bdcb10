// The phases of a call as a waterfall: a row per phase, its bar running from
// the phase before (the first from the call's start) to this one, on a time
// axis every row shares; the name on the left, the ms on the right. It is an
// ordered list, so a screen reader reads it as one: "session-accept, +123 ms,
// at 456 ms". Below about 22rem the bar moves under its name and ms.
import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { controls } from '../theme.ts';
import { formatMs, linearScale, niceTicks } from './chart-scale.ts';

export interface PhaseMark {
  phase: string;
  /** ms since the call started. */
  at: number;
}

@customElement('jl-phase-chart')
export class PhaseChart extends LitElement {
  static override styles = [
    controls,
    css`
      :host { display: block; container-type: inline-size; font-size: 0.8rem; }
      .chart { display: grid; grid-template-columns: fit-content(12rem) minmax(3rem, 1fr) max-content; column-gap: var(--jl-space-2); }
      ol, li, .axis { display: grid; grid-template-columns: subgrid; grid-column: 1 / -1; align-items: center; }
      ol { list-style: none; margin: 0; padding: 0; row-gap: 3px; }
      .name { overflow-wrap: anywhere; }
      svg.track { display: block; width: 100%; height: 0.9rem; }
      .track .bg { fill: var(--jl-surface-2); }
      .track .bar { fill: var(--jl-accent); fill-opacity: 0.75; }
      .track .mark { stroke: var(--jl-accent); stroke-width: 2; vector-effect: non-scaling-stroke; }
      .track .tick { stroke: var(--jl-border); stroke-width: 1; vector-effect: non-scaling-stroke; }
      .ms { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; color: var(--jl-text-muted); }
      .delta { color: var(--jl-text); margin-right: var(--jl-space-1); }
      .axis { margin-top: 2px; font-size: 0.7rem; color: var(--jl-text-muted); font-variant-numeric: tabular-nums; }
      .ticks { grid-column: 2; position: relative; height: 1.2em; }
      .ticks span { position: absolute; top: 0; transform: translateX(-50%); white-space: nowrap; }
      .ticks span.first { transform: none; }
      .ticks span.last { transform: translateX(-100%); }
      .empty { color: var(--jl-text-muted); margin: 0; }
      @container (max-width: 22rem) {
        .chart { grid-template-columns: minmax(0, 1fr) max-content; }
        ol { row-gap: var(--jl-space-1); }
        svg.track, .ticks { grid-column: 1 / -1; }
        svg.track { grid-row: 2; }
        .axis .spacer { display: none; }
      }
    `,
  ];

  /** In the order they happened. */
  @property({ attribute: false }) phases: PhaseMark[] = [];

  override render() {
    const phases = this.phases.filter((p) => Number.isFinite(p.at));
    if (!phases.length) return html`<p class="empty">No phase recorded yet</p>`;
    let [start, end] = [0, 0];
    for (const p of phases) [start, end] = [Math.min(start, p.at), Math.max(end, p.at)];
    // All at the call's start: still a span to draw on.
    if (end === start) end = start + 1;
    const pos = linearScale([start, end], [0, 100]);
    const ticks = niceTicks(start, end, 4);

    return html`<div class="chart">
      <ol aria-label="Phases of the call: time since the phase before, and since the call started">
        ${phases.map((p, i) => {
          const from = i ? phases[i - 1]!.at : Math.min(0, p.at);
          const [a, b] = [pos(Math.min(from, p.at)), pos(Math.max(from, p.at))];
          const delta = p.at - from;
          return html`<li data-step=${p.phase} data-at=${p.at}>
            <span class="name">${p.phase}<span class="visually-hidden">,</span></span>
            <svg class="track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
              <rect class="bg" x="0" y="0" width="100" height="10"></rect>
              ${ticks.map((t) => svg`<line class="tick" x1=${pos(t)} x2=${pos(t)} y1="0" y2="10"></line>`)}
              <rect class="bar" x=${a} y="1.5" width=${b - a} height="7"></rect>
              <line class="mark" x1=${pos(p.at)} x2=${pos(p.at)} y1="0" y2="10"></line>
            </svg>
            <span class="ms"><span class="delta">${delta >= 0 ? '+' : ''}${formatMs(delta)}</span><span class="visually-hidden">, </span>at ${formatMs(p.at)}</span>
          </li>`;
        })}
      </ol>
      <div class="axis" aria-hidden="true">
        <span class="spacer"></span>
        <div class="ticks">
          ${ticks.map((t, i) => html`<span class=${i === 0 && pos(t) < 5 ? 'first' : i === ticks.length - 1 && pos(t) > 95 ? 'last' : ''}
            style="left: ${pos(t)}%">${formatMs(t)}</span>`)}
        </div>
        <span class="spacer"></span>
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'jl-phase-chart': PhaseChart;
  }
}
