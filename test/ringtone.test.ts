// The synthesised ring, against a fake AudioContext that records the nodes made and what was scheduled on them.
import { beforeEach, describe, expect, it } from 'vitest';
import { createRingtone, type Ringtone } from '../src/ui/ringtone.ts';

class FakeParam {
  readonly automation: string[] = [];
  constructor(public value: number) {}
  setValueAtTime(value: number, time: number) {
    this.automation.push(`set ${value} @${round(time)}`);
    return this;
  }
  linearRampToValueAtTime(value: number, time: number) {
    this.automation.push(`ramp ${value} @${round(time)}`);
    return this;
  }
}

class FakeNode {
  readonly outputs: FakeNode[] = [];
  disconnected = false;
  connect(node: FakeNode) {
    this.outputs.push(node);
    return node;
  }
  disconnect() {
    this.disconnected = true;
    this.outputs.length = 0;
  }
}

class FakeOscillator extends FakeNode {
  readonly frequency = new FakeParam(440);
  startAt?: number;
  stopAt?: number | 'now';
  ended = false;
  onended: (() => void) | null = null;
  start(when = 0) {
    this.startAt = when;
  }
  stop(when?: number) {
    this.stopAt = when ?? 'now';
  }
}

class FakeGain extends FakeNode {
  readonly gain = new FakeParam(1);
}

class FakeAudioContext {
  state: 'suspended' | 'running' | 'closed';
  currentTime = 0;
  readonly destination = new FakeNode();
  readonly oscillators: FakeOscillator[] = [];
  readonly gains: FakeGain[] = [];
  resumes = 0;
  constructor(state: 'suspended' | 'running' = 'running') {
    this.state = state;
  }
  createOscillator() {
    const node = new FakeOscillator();
    this.oscillators.push(node);
    return node;
  }
  createGain() {
    const node = new FakeGain();
    this.gains.push(node);
    return node;
  }
  async resume() {
    this.resumes++;
    this.state = 'running';
  }
  async close() {
    this.state = 'closed';
  }
  /** Audio time passes: the oscillators due to stop by then end, in the order they stop, as the audio thread reports. */
  play(seconds: number) {
    const until = this.currentTime + seconds;
    for (;;) {
      const due = this.oscillators.filter((o) => !o.ended && typeof o.stopAt === 'number' && o.stopAt <= until).sort((a, b) => (a.stopAt as number) - (b.stopAt as number))[0];
      if (!due) break;
      this.currentTime = due.stopAt as number;
      due.ended = true;
      due.onended?.();
    }
    this.currentTime = until;
  }
  /** The bursts scheduled: the frequencies that sound together, and from when to when. */
  bursts() {
    const byStart = new Map<number, FakeOscillator[]>();
    for (const o of this.oscillators) byStart.set(o.startAt!, [...(byStart.get(o.startAt!) ?? []), o]);
    return [...byStart].map(([start, os]) => `${os.map((o) => o.frequency.value).join('+')} Hz ${round(start)}–${round(os[0]!.stopAt as number)} s`);
  }
}

const round = (t: number) => Math.round(t * 1000) / 1000;

describe('the ring tone', () => {
  let contexts: FakeAudioContext[];
  let state: 'suspended' | 'running';
  let ringtone: Ringtone;
  const context = () => contexts.at(-1)!;

  beforeEach(() => {
    contexts = [];
    state = 'running';
    ringtone = createRingtone(() => {
      contexts.push(new FakeAudioContext(state));
      return contexts.at(-1)! as unknown as AudioContext;
    });
  });

  it('is silent until started', () => {
    expect(ringtone.playing).toBe(false);
    expect(contexts).toHaveLength(0);
  });

  it('rings 440 Hz and 480 Hz together for two seconds', () => {
    ringtone.start();
    expect(ringtone.playing).toBe(true);
    expect(context().bursts()).toEqual(['440+480 Hz 0.05–2.05 s']);
  });

  it('plays the tones through one gain envelope into the speakers', () => {
    ringtone.start();
    const [envelope] = context().gains;
    expect(context().gains).toHaveLength(1);
    expect(context().oscillators.every((o) => o.outputs[0] === envelope)).toBe(true);
    expect(envelope!.outputs).toEqual([context().destination]);
  });

  it('fades each ring in and out over 20 ms, so that it does not click', () => {
    ringtone.start();
    expect(context().gains[0]!.gain.value).toBe(0);
    expect(context().gains[0]!.gain.automation).toEqual(['set 0 @0.05', 'ramp 0.2 @0.07', 'set 0.2 @2.03', 'ramp 0 @2.05']);
  });

  it('rings again every six seconds, each ring placed ahead of when it sounds', () => {
    ringtone.start();
    context().play(2.1);
    expect(context().bursts()).toEqual(['440+480 Hz 0.05–2.05 s', '440+480 Hz 6.05–8.05 s']);
    context().play(6);
    expect(context().bursts()).toEqual(['440+480 Hz 0.05–2.05 s', '440+480 Hz 6.05–8.05 s', '440+480 Hz 12.05–14.05 s']);
    expect(context().gains[0]!.gain.automation.slice(-4)).toEqual(['set 0 @12.05', 'ramp 0.2 @12.07', 'set 0.2 @14.03', 'ramp 0 @14.05']);
  });

  it('keeps ringing for as long as the call rings', () => {
    ringtone.start();
    context().play(60);
    expect(context().bursts()).toHaveLength(11);
  });

  it('lets go of the oscillators of a ring that is over', () => {
    ringtone.start();
    const [first, second] = context().oscillators;
    context().play(2.1);
    expect([first!.disconnected, second!.disconnected]).toEqual([true, true]);
    expect(context().oscillators.slice(2).some((o) => o.disconnected)).toBe(false);
  });

  it('stops: silent, every node disconnected, the context closed', () => {
    ringtone.start();
    context().play(3);
    ringtone.stop();
    expect(ringtone.playing).toBe(false);
    expect(context().oscillators.every((o) => o.disconnected)).toBe(true);
    expect(context().gains[0]!.disconnected).toBe(true);
    expect(context().oscillators.at(-1)!.stopAt).toBe('now');
    expect(context().state).toBe('closed');
  });

  it('rings no more after a stop, even when an ended event comes late', () => {
    ringtone.start();
    const late = context().oscillators[0]!.onended!;
    ringtone.stop();
    late();
    context().play(30);
    expect(context().oscillators).toHaveLength(2);
  });

  it('rings once when started twice', () => {
    ringtone.start();
    ringtone.start();
    expect(contexts).toHaveLength(1);
    expect(context().oscillators).toHaveLength(2);
  });

  it('rings anew on a fresh context after a stop', () => {
    ringtone.start();
    ringtone.stop();
    ringtone.start();
    expect(contexts).toHaveLength(2);
    expect(context().state).toBe('running');
    expect(context().bursts()).toEqual(['440+480 Hz 0.05–2.05 s']);
  });

  it('resumes a context that the autoplay policy left suspended', () => {
    state = 'suspended';
    ringtone.start();
    expect(context().resumes).toBe(1);
  });

  it('leaves a running context be', () => {
    ringtone.start();
    expect(context().resumes).toBe(0);
  });

  it('places the first ring on the context clock, wherever it stands', () => {
    ringtone = createRingtone(() => {
      const c = new FakeAudioContext();
      c.currentTime = 100;
      contexts.push(c);
      return c as unknown as AudioContext;
    });
    ringtone.start();
    expect(context().bursts()).toEqual(['440+480 Hz 100.05–102.05 s']);
  });

  it('stopping when silent does nothing', () => {
    expect(() => ringtone.stop()).not.toThrow();
    expect(ringtone.playing).toBe(false);
  });
});
