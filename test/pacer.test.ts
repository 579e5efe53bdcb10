import { describe, expect, it } from 'vitest';
import { createPacer } from '../src/xmpp/pacer.ts';
import { settle } from './fakes.ts';

describe('pacing requests', () => {
  it('lets no more than its limit run at once, the others in the order they came', async () => {
    const pacer = createPacer(2);
    const started: number[] = [];
    const releases: (() => void)[] = [];
    for (let i = 0; i < 5; i++) {
      void pacer.turn().then((release) => {
        started.push(i);
        releases.push(release!);
      });
    }
    await settle();
    expect(started).toEqual([0, 1]);
    expect([pacer.active, pacer.waiting]).toEqual([2, 3]);
    releases[1]!();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    releases[0]!();
    releases[0]!();
    await settle();
    // Releasing twice frees one slot, not two.
    expect(started).toEqual([0, 1, 2, 3]);
    expect(pacer.active).toBe(2);
  });

  it('skips a request no longer wanted when its turn comes', async () => {
    const pacer = createPacer(1);
    const first = await pacer.turn();
    let wanted = true;
    const second = pacer.turn(() => wanted);
    const third = pacer.turn();
    wanted = false;
    first!();
    expect(await second).toBeUndefined();
    expect(await third).toBeTypeOf('function');
  });

  it('drops the requests no longer wanted at once when pruned, keeping the others in order', async () => {
    const pacer = createPacer(1);
    await pacer.turn();
    const gone = new Set([1, 3]);
    const turns = [1, 2, 3, 4].map((i) => pacer.turn(() => !gone.has(i)));
    pacer.prune();
    expect(pacer.waiting).toBe(2);
    expect(await turns[0]).toBeUndefined();
    expect(await turns[2]).toBeUndefined();
  });
});
