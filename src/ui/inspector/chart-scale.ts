// Scales, ticks and number formats for the inspector's SVG charts: pure, so
// they are tested without a DOM.

export type Scale = (v: number) => number;

/**
 * Maps `domain` onto `range` linearly. A domain of no width (one sample, or
 * every value the same) maps to the middle of the range, not to one edge.
 */
export function linearScale([d0, d1]: [number, number], [r0, r1]: [number, number]): Scale {
  const span = d1 - d0;
  if (span === 0 || !Number.isFinite(span)) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** The round step (1, 2 or 5 × 10ⁿ) giving about `count` intervals over min…max; 0 when there is no span. */
export function tickStep(min: number, max: number, count = 4): number {
  const span = Math.abs(max - min);
  if (!Number.isFinite(span) || span === 0) return 0;
  const raw = span / Math.max(1, Math.round(count));
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  // The round step nearest the raw one on a log scale (d3's rule): 2.5 → 2, 4 → 5, 8 → 10.
  return (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1) * power;
}

/** The decimals a multiple of `step` needs to print exactly (0.2 → 1, 0.05 → 2, 50 → 0). */
const decimalsOf = (step: number): number => Math.max(0, -Math.floor(Math.log10(step) + 1e-9));

/** Round ticks (1, 2 or 5 × 10ⁿ apart) inside min…max, about `count` intervals' worth; [min] when min = max. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min > max) [min, max] = [max, min];
  const step = tickStep(min, max, count);
  if (step === 0) return [min];
  const decimals = decimalsOf(step);
  const ticks: number[] = [];
  // Multiples of the step counted as integers: adding 0.1 three times is not 0.3.
  for (let i = Math.ceil(min / step - 1e-9); i * step <= max + step * 1e-9; i++) {
    ticks.push(Number((i * step).toFixed(decimals)) + 0); // + 0: no "-0"
  }
  return ticks;
}

/** min…max widened outwards to whole steps, so the ticks reach the chart's edges. */
export function niceDomain(min: number, max: number, count = 4): [number, number] {
  const step = tickStep(min, max, count);
  if (step === 0) return [min, max];
  return [Math.floor(min / step + 1e-9) * step, Math.ceil(max / step - 1e-9) * step];
}

/**
 * An axis for min…max: its domain widened to whole steps and the ticks on it,
 * one step apart from edge to edge (the ticks of the widened span alone could
 * take a coarser step and miss an edge).
 */
export function niceAxis(min: number, max: number, count = 4): { domain: [number, number]; ticks: number[] } {
  const step = tickStep(min, max, count);
  const domain = niceDomain(min, max, count);
  if (step === 0) return { domain, ticks: niceTicks(min, max, count) };
  return { domain, ticks: niceTicks(domain[0], domain[1], Math.round((domain[1] - domain[0]) / step)) };
}

/** Up to `decimals` decimals, without trailing zeros: 1.50 → "1.5", 2.0 → "2". */
const trimmed = (v: number, decimals: number): string => String(Number(v.toFixed(decimals)) + 0);

/** A duration as the inspector shows it: "0.4 ms", "123 ms", "12.3 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const abs = Math.abs(ms);
  if (abs >= 10_000) return `${trimmed(ms / 1000, 1)} s`;
  if (abs < 10) return `${trimmed(ms, 1)} ms`;
  return `${Math.round(ms)} ms`;
}

const BITRATE_UNITS = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s'] as const;

/** A bitrate in SI units, as WebRTC tools show it: "850 bit/s", "12 kbit/s", "1.2 Mbit/s". */
export function formatBitrate(bps: number): string {
  if (!Number.isFinite(bps)) return '–';
  let value = bps;
  let unit = 0;
  // Chooses the unit after rounding, so that 999 600 bit/s reads "1 Mbit/s", not "1000 kbit/s".
  while (unit < BITRATE_UNITS.length - 1 && Math.abs(Number(value.toPrecision(3))) >= 1000) {
    value /= 1000;
    unit++;
  }
  // Below 10 of a unit one decimal tells 1.2 from 1.6 Mbit/s; above it, the decimal is noise.
  const text = Math.abs(value) < 10 && unit > 0 ? trimmed(value, 1) : String(Math.round(value) + 0);
  return `${text} ${BITRATE_UNITS[unit]}`;
}

/** The `points` attribute of an SVG <polyline>, leaving out points that are not numbers. */
export function polylinePoints(points: readonly { x: number; y: number }[], xScale: Scale, yScale: Scale): string {
  return points
    .map((p) => [xScale(p.x), yScale(p.y)] as const)
    .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
    .map(([x, y]) => `${trimmed(x, 1)},${trimmed(y, 1)}`)
    .join(' ');
}
