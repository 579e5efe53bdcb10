import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFrameBatch, HIDDEN_TAB_MS, nextFrame } from '../src/ui/frame-batch.ts';

/** A frame clock run by hand. */
function frames() {
  const queued: (() => void)[] = [];
  return { schedule: (run: () => void) => void queued.push(run), tick: () => queued.splice(0).forEach((run) => run()), get queued() { return queued.length; } };
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('one redraw per frame', () => {
  it('runs once at the frame, however many changes came before it', () => {
    const clock = frames();
    let flushes = 0;
    const batch = createFrameBatch(() => flushes++, clock.schedule);
    for (let i = 0; i < 200; i++) batch.request();
    expect([flushes, clock.queued, batch.pending]).toEqual([0, 1, true]);
    clock.tick();
    expect([flushes, batch.pending]).toEqual([1, false]);
  });

  it('runs again at the next frame for changes after the last one', () => {
    const clock = frames();
    let flushes = 0;
    const batch = createFrameBatch(() => flushes++, clock.schedule);
    batch.request();
    clock.tick();
    batch.request();
    clock.tick();
    clock.tick();
    expect(flushes).toBe(2);
  });

  it('runs at once when asked to, and not again at the frame', () => {
    const clock = frames();
    let flushes = 0;
    const batch = createFrameBatch(() => flushes++, clock.schedule);
    batch.request();
    batch.flushNow();
    expect(flushes).toBe(1);
    clock.tick();
    batch.flushNow();
    expect(flushes).toBe(1);
  });

  it('still catches up in a tab that draws no frames', () => {
    vi.useFakeTimers();
    vi.stubGlobal('requestAnimationFrame', () => 1);
    vi.stubGlobal('cancelAnimationFrame', () => undefined);
    let flushes = 0;
    const batch = createFrameBatch(() => flushes++, nextFrame);
    batch.request();
    vi.advanceTimersByTime(HIDDEN_TAB_MS - 1);
    expect(flushes).toBe(0);
    vi.advanceTimersByTime(1);
    expect(flushes).toBe(1);
  });

  it('runs at the frame, not again at the fallback timer', () => {
    vi.useFakeTimers();
    let frame: (() => void) | undefined;
    vi.stubGlobal('requestAnimationFrame', (run: () => void) => ((frame = run), 7));
    vi.stubGlobal('cancelAnimationFrame', () => undefined);
    let runs = 0;
    nextFrame(() => runs++);
    frame!();
    vi.advanceTimersByTime(HIDDEN_TAB_MS * 2);
    expect(runs).toBe(1);
  });
});
