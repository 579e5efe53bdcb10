// The inspector charts' arithmetic: where a value lands, which round ticks an
// axis gets, and how bitrates and durations read.
import { describe, expect, it } from 'vitest';
import { formatBitrate, formatMs, linearScale, niceAxis, niceDomain, niceTicks, polylinePoints, tickStep } from '../src/ui/inspector/chart-scale.ts';

describe('linearScale', () => {
  it('maps the ends of the domain onto the ends of the range, and between them linearly', () => {
    const x = linearScale([0, 10_000], [40, 240]);
    expect([x(0), x(5_000), x(10_000)]).toEqual([40, 140, 240]);
  });

  it('runs the other way for a y axis, whose zero is at the bottom', () => {
    const y = linearScale([0, 100], [110, 10]);
    expect([y(0), y(25), y(100)]).toEqual([110, 85, 10]);
  });

  it('puts every value of a domain with no width (one sample) in the middle of the range', () => {
    const x = linearScale([3_000, 3_000], [0, 100]);
    expect([x(3_000), x(0)]).toEqual([50, 50]);
  });
});

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 × 10ⁿ inside the span', () => {
    expect(niceTicks(0, 100, 4)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 1_000, 2)).toEqual([0, 500, 1_000]);
    expect(niceTicks(0, 10, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const [min, max, count] of [[0, 7, 3], [13, 987, 5], [0.003, 0.091, 4], [-40, 1_200_000, 4]] as const) {
      const step = tickStep(min, max, count);
      expect(step / 10 ** Math.floor(Math.log10(step) + 1e-9)).toBeOneOf([1, 2, 5]);
    }
  });

  it('gives exact decimals, not 0.30000000000000004', () => {
    expect(niceTicks(0, 1, 10)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(niceTicks(0.02, 0.11, 4)).toEqual([0.02, 0.04, 0.06, 0.08, 0.1]);
  });

  it('crosses zero for negative values, with a tick on zero', () => {
    expect(niceTicks(-2, 6, 4)).toEqual([-2, 0, 2, 4, 6]);
    expect(niceTicks(-2, 6, 4).map((t) => Object.is(t, -0))).not.toContain(true);
  });

  it('starts at the first round value inside an awkward span', () => {
    expect(niceTicks(3, 97, 4)).toEqual([20, 40, 60, 80]);
  });

  it('gives the one value when min and max are the same, and nothing for NaN or Infinity', () => {
    expect(niceTicks(5, 5, 4)).toEqual([5]);
    expect(niceTicks(0, Number.NaN, 4)).toEqual([]);
    expect(niceTicks(0, Infinity, 4)).toEqual([]);
  });

  it('takes min and max in either order', () => {
    expect(niceTicks(100, 0, 4)).toEqual(niceTicks(0, 100, 4));
  });
});

describe('niceDomain', () => {
  it('widens a span outwards to whole steps, so the axis ends on a tick', () => {
    expect(niceDomain(0, 87, 3)).toEqual([0, 100]);
    expect(niceDomain(-3, 41, 4)).toEqual([-10, 50]);
    expect(niceDomain(0, 100, 4)).toEqual([0, 100]);
  });

  it('leaves a span of no width as it is', () => {
    expect(niceDomain(4, 4, 3)).toEqual([4, 4]);
  });
});

describe('niceAxis', () => {
  it('has a tick on both edges of its widened domain, one step apart', () => {
    // The widened span alone (-4…6) would take a step of 5 and miss -4.
    expect(niceAxis(-3, 5, 3)).toEqual({ domain: [-4, 6], ticks: [-4, -2, 0, 2, 4, 6] });
    expect(niceAxis(0, 1_100_000, 3)).toEqual({ domain: [0, 1_500_000], ticks: [0, 500_000, 1_000_000, 1_500_000] });
  });

  it('gives the one value for a span of no width', () => {
    expect(niceAxis(0, 0, 3)).toEqual({ domain: [0, 0], ticks: [0] });
  });
});

describe('formatMs', () => {
  it('reads in whole ms, with a decimal below 10 ms, and in seconds from 10 s', () => {
    expect(formatMs(456.4)).toBe('456 ms');
    expect(formatMs(0)).toBe('0 ms');
    expect(formatMs(2.54)).toBe('2.5 ms');
    expect(formatMs(3)).toBe('3 ms');
    expect(formatMs(9_999)).toBe('9999 ms');
    expect(formatMs(12_340)).toBe('12.3 s');
    expect(formatMs(60_000)).toBe('60 s');
  });

  it('keeps the sign of a negative duration, and shows a dash for no number', () => {
    expect(formatMs(-12)).toBe('-12 ms');
    expect(formatMs(Number.NaN)).toBe('–');
  });
});

describe('formatBitrate', () => {
  it('reads in bit/s, kbit/s or Mbit/s, with one decimal below 10 of the unit', () => {
    expect(formatBitrate(0)).toBe('0 bit/s');
    expect(formatBitrate(850)).toBe('850 bit/s');
    expect(formatBitrate(1_234)).toBe('1.2 kbit/s');
    expect(formatBitrate(12_345)).toBe('12 kbit/s');
    expect(formatBitrate(32_000)).toBe('32 kbit/s');
    expect(formatBitrate(1_180_000)).toBe('1.2 Mbit/s');
    expect(formatBitrate(1_000_000)).toBe('1 Mbit/s');
    expect(formatBitrate(25_400_000)).toBe('25 Mbit/s');
  });

  it('moves up a unit when rounding reaches 1000', () => {
    expect(formatBitrate(999.7)).toBe('1 kbit/s');
    expect(formatBitrate(999_600)).toBe('1 Mbit/s');
  });

  it('shows a dash for no number', () => {
    expect(formatBitrate(Number.NaN)).toBe('–');
  });
});

describe('polylinePoints', () => {
  const x = linearScale([0, 2_000], [0, 200]);
  const y = linearScale([0, 10], [100, 0]);

  it('writes each point as "x,y" through the scales, to a tenth of a unit', () => {
    expect(polylinePoints([{ x: 0, y: 0 }, { x: 1_000, y: 5 }, { x: 2_000, y: 10 / 3 }], x, y)).toBe('0,100 100,50 200,66.7');
  });

  it('is empty for no points, and leaves out points that are not numbers', () => {
    expect(polylinePoints([], x, y)).toBe('');
    expect(polylinePoints([{ x: 0, y: Number.NaN }, { x: 2_000, y: 10 }], x, y)).toBe('200,0');
  });
});
