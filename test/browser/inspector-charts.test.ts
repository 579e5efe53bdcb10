// The inspector's two charts, laid out by Chromium itself: what they draw for
// the samples and phases they are given, what a screen reader is told, and how
// they fit a phone's width.
import { afterEach, describe, expect, it } from 'vitest';
import { installTheme } from '../../src/ui/theme.ts';
import type { LineChart, Series } from '../../src/ui/inspector/line-chart.ts';
import type { PhaseChart, PhaseMark } from '../../src/ui/inspector/phase-chart.ts';
import '../../src/ui/inspector/line-chart.ts';
import '../../src/ui/inspector/phase-chart.ts';

installTheme(document);
afterEach(() => document.body.replaceChildren());

const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));

async function lineChart(props: Partial<Pick<LineChart, 'label' | 'unit' | 'series'>>, width = '480px'): Promise<LineChart> {
  const chart = document.createElement('jl-line-chart');
  chart.style.width = width;
  Object.assign(chart, { label: 'Bitrate', unit: 'bitrate', ...props });
  document.body.append(chart);
  await chart.updateComplete;
  // The ResizeObserver reports the width after layout; the chart redraws at it.
  await frame();
  await frame();
  await chart.updateComplete;
  return chart;
}

async function phaseChart(phases: PhaseMark[], width = '640px'): Promise<PhaseChart> {
  const chart = document.createElement('jl-phase-chart');
  chart.style.width = width;
  chart.phases = phases;
  document.body.append(chart);
  await chart.updateComplete;
  return chart;
}

const $ = (chart: Element, selector: string) => chart.shadowRoot!.querySelector(selector);
const $$ = (chart: Element, selector: string) => [...chart.shadowRoot!.querySelectorAll(selector)];
const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim();
const cy = (chart: Element) => $$(chart, 'svg.chart circle').map((c) => Number(c.getAttribute('cy')));

const seconds = (values: number[]) => values.map((value, i) => ({ at: (i + 1) * 1000, value }));
const bitrates: Series[] = [
  { name: 'audio in', points: seconds([30_000, 31_000, 32_000]) },
  { name: 'video in', points: seconds([900_000, 1_100_000]) },
];

describe('the line chart', () => {
  it('draws a dot per sample and says how many on the svg', async () => {
    const chart = await lineChart({ series: bitrates });
    expect($$(chart, 'svg.chart circle')).toHaveLength(5);
    expect($(chart, 'svg.chart')!.getAttribute('data-points')).toBe('5');
    expect($$(chart, 'svg.chart polyline')).toHaveLength(2);
  });

  it('tells the lines apart by dash pattern as well as colour, and names them in a legend', async () => {
    const chart = await lineChart({ series: bitrates });
    const [audio, video] = $$(chart, 'svg.chart polyline');
    expect(audio!.getAttribute('stroke')).not.toBe(video!.getAttribute('stroke'));
    expect(audio!.getAttribute('stroke-dasharray')).not.toBe(video!.getAttribute('stroke-dasharray'));
    expect($$(chart, 'ul li').map(text)).toEqual(['audio in', 'video in']);
  });

  it('is an image named by its figure and each line’s latest value', async () => {
    const chart = await lineChart({ series: bitrates });
    const image = $(chart, 'svg.chart')!;
    expect(image.getAttribute('role')).toBe('img');
    expect(image.getAttribute('aria-label')).toBe('Bitrate: audio in 32 kbit/s, video in 1.1 Mbit/s (latest)');
  });

  it('says "No samples yet" before the first sample', async () => {
    for (const series of [[], [{ name: 'audio in', points: [] }]]) {
      const chart = await lineChart({ series });
      expect(text($(chart, 'svg.chart'))).toBe('No samples yet');
      expect($$(chart, 'circle')).toHaveLength(0);
      expect($(chart, 'svg.chart')!.getAttribute('data-points')).toBe('0');
      expect($(chart, 'svg.chart')!.getAttribute('aria-label')).toBe('Bitrate: no samples yet');
    }
  });

  it('draws a single sample as one dot inside the plot', async () => {
    const chart = await lineChart({ unit: 'ms', label: 'Jitter', series: [{ name: 'audio in', points: [{ at: 1000, value: 4.2 }] }] });
    const [dot] = $$(chart, 'svg.chart circle');
    const [, , width, height] = $(chart, 'svg.chart')!.getAttribute('viewBox')!.split(' ').map(Number);
    expect(Number(dot!.getAttribute('cx'))).toBeGreaterThan(0);
    expect(Number(dot!.getAttribute('cx'))).toBeLessThan(width!);
    expect(cy(chart)[0]).toBeGreaterThan(0);
    expect(cy(chart)[0]).toBeLessThan(height!);
  });

  it('draws a figure that stays at zero as a flat line on the bottom tick', async () => {
    const chart = await lineChart({ unit: 'count', label: 'Packets lost', series: [{ name: 'audio in', points: seconds([0, 0, 0]) }] });
    const ys = cy(chart);
    expect(ys.every((y) => Number.isFinite(y) && y === ys[0])).toBe(true);
    expect($$(chart, 'svg.chart text').map(text)).toEqual(expect.arrayContaining(['0', '1']));
  });

  it('puts negative packets lost (duplicates) below a zero line', async () => {
    const chart = await lineChart({ unit: 'count', label: 'Packets lost', series: [{ name: 'audio in', points: seconds([0, -3, 5]) }] });
    const [zero, negative, positive] = cy(chart);
    expect(negative).toBeGreaterThan(zero!);
    expect(positive).toBeLessThan(zero!);
    expect($$(chart, 'svg.chart .zero')).toHaveLength(1);
    expect($$(chart, 'svg.chart text').map(text)).toContain('-2');
  });

  it('draws at its own width, so its text keeps its size on a phone and on a desktop', async () => {
    for (const width of [320, 900]) {
      const chart = await lineChart({ series: bitrates }, `${width}px`);
      expect($(chart, 'svg.chart')!.getAttribute('viewBox')).toBe(`0 0 ${width} 120`);
      expect($(chart, 'svg.chart')!.getBoundingClientRect().height).toBe(120);
    }
  });
});

const phases: PhaseMark[] = [
  { phase: 'propose', at: 0 },
  { phase: 'session-initiate', at: 120 },
  { phase: 'session-accept', at: 456 },
  { phase: 'ICE connected', at: 900 },
];

describe('the phase chart', () => {
  it('has a row per phase, in order, with its name and time for tests and tools', async () => {
    const chart = await phaseChart(phases);
    const rows = $$(chart, '[data-step]');
    expect(rows.map((r) => r.getAttribute('data-step'))).toEqual(['propose', 'session-initiate', 'session-accept', 'ICE connected']);
    expect(rows.map((r) => Number(r.getAttribute('data-at')))).toEqual([0, 120, 456, 900]);
  });

  it('gives each phase the time since the one before and since the call started', async () => {
    const chart = await phaseChart(phases);
    const row = $(chart, '[data-step="session-accept"]')!;
    expect(text(row.querySelector('.name'))).toBe('session-accept,');
    expect(text(row.querySelector('.ms'))).toBe('+336 ms, at 456 ms');
  });

  it('is a list a screen reader reads phase by phase', async () => {
    const chart = await phaseChart(phases);
    const list = $(chart, 'ol')!;
    expect(list.getAttribute('aria-label')).toMatch(/Phases of the call/);
    expect([...list.children].map((li) => li.tagName)).toEqual(['LI', 'LI', 'LI', 'LI']);
    expect(text(list.children[1])).toBe('session-initiate, +120 ms, at 120 ms');
  });

  it('draws a waterfall: each bar starts where the one before ended', async () => {
    const chart = await phaseChart(phases);
    const bars = $$(chart, 'rect.bar').map((b) => b.getBoundingClientRect());
    expect(bars).toHaveLength(4);
    for (let i = 1; i < bars.length; i++) expect(bars[i]!.left).toBeCloseTo(bars[i - 1]!.right, 0);
    expect(bars[3]!.width).toBeGreaterThan(bars[1]!.width);
  });

  it('says so when no phase was recorded yet', async () => {
    const chart = await phaseChart([]);
    expect(text($(chart, '.empty'))).toBe('No phase recorded yet');
    expect($$(chart, '[data-step]')).toHaveLength(0);
  });

  it('copes with every phase at the call’s start', async () => {
    const chart = await phaseChart([{ phase: 'propose', at: 0 }, { phase: 'proceed', at: 0 }]);
    expect(text($(chart, '[data-step="proceed"] .ms'))).toBe('+0 ms, at 0 ms');
  });

  it('fits a 320 px phone, the bar under its name; on a desktop, beside it', async () => {
    const phone = await phaseChart(phases, '320px');
    const chart = $(phone, '.chart')!;
    expect(chart.scrollWidth).toBeLessThanOrEqual(chart.clientWidth);
    const name = $(phone, '[data-step="ICE connected"] .name')!.getBoundingClientRect();
    expect($(phone, '[data-step="ICE connected"] svg.track')!.getBoundingClientRect().top).toBeGreaterThanOrEqual(name.bottom - 1);

    const desktop = await phaseChart(phases, '900px');
    const wide = $(desktop, '[data-step="ICE connected"] .name')!.getBoundingClientRect();
    expect($(desktop, '[data-step="ICE connected"] svg.track')!.getBoundingClientRect().left).toBeGreaterThanOrEqual(wide.right);
  });
});
