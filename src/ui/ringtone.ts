// The ring of an incoming call, synthesised with Web Audio: no audio file to ship or load.

/**
 * The North American ring cadence: 440 Hz and 480 Hz together, 2 s on, 4 s off
 * (the Precise Tone Plan, ANSI T1.401 and Telcordia GR-506-CORE; the USA's entry
 * in ITU-T E.180 Supplement 2). The 20 ms fades keep the bursts from clicking.
 */
export const RING_CADENCE = {
  frequencies: [440, 480],
  onSeconds: 2,
  periodSeconds: 6,
  fadeSeconds: 0.02,
  /** Peak gain of the two tones summed: a ring, not a blast. */
  level: 0.2,
} as const;

/** How far ahead of the context's clock the first burst is placed, so that it is not already late. */
const LEAD_SECONDS = 0.05;

export interface Ringtone {
  /** Rings until stop(); a second start() while ringing changes nothing. */
  start(): void;
  /** Silences the ring, disconnects its nodes and closes the context. */
  stop(): void;
  readonly playing: boolean;
}

/**
 * `makeContext` is called on each start(): a closed AudioContext cannot be reopened.
 * It throws where Web Audio is missing; the caller decides whether a silent call is fine.
 */
export function createRingtone(makeContext: () => AudioContext): Ringtone {
  let silence: (() => void) | undefined;
  return {
    start() {
      silence ??= ring(makeContext());
    },
    stop() {
      silence?.();
      silence = undefined;
    },
    get playing() {
      return silence !== undefined;
    },
  };
}

/** Starts ringing on `context`; returns what stops it. */
function ring(context: AudioContext): () => void {
  // Autoplay policy: a context made before the user touched the page starts suspended.
  if (context.state === 'suspended') context.resume().catch(() => undefined);

  const { frequencies, onSeconds, periodSeconds, fadeSeconds, level } = RING_CADENCE;
  const envelope = context.createGain();
  envelope.gain.value = 0;
  envelope.connect(context.destination);
  let sounding: OscillatorNode[] = [];
  let stopped = false;

  // Each burst is placed on the context's clock, and the end of one places the
  // next, a period after it began. The loop runs on audio time, not on timers,
  // which a hidden tab (where calls often arrive) throttles.
  const burst = (at: number) => {
    const gain = envelope.gain;
    gain.setValueAtTime(0, at);
    gain.linearRampToValueAtTime(level, at + fadeSeconds);
    gain.setValueAtTime(level, at + onSeconds - fadeSeconds);
    gain.linearRampToValueAtTime(0, at + onSeconds);
    const oscillators = frequencies.map((frequency) => {
      const oscillator = context.createOscillator();
      oscillator.frequency.value = frequency;
      oscillator.connect(envelope);
      oscillator.start(at);
      oscillator.stop(at + onSeconds);
      return oscillator;
    });
    sounding = oscillators;
    oscillators[0]!.onended = () => {
      for (const oscillator of oscillators) oscillator.disconnect();
      if (!stopped) burst(at + periodSeconds);
    };
  };
  burst(context.currentTime + LEAD_SECONDS);

  return () => {
    stopped = true;
    for (const oscillator of sounding) {
      oscillator.onended = null;
      oscillator.stop();
      oscillator.disconnect();
    }
    envelope.disconnect();
    context.close().catch(() => undefined);
  };
}
