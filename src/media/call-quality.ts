// How good the call is now, from two getStats() summaries a second apart:
// round trip, loss and bitrate over the interval, rated good, fair or poor.
import type { MediaStats } from './stats.ts';

export type QualityLevel = 'good' | 'fair' | 'poor' | 'unknown';

export interface Quality {
  level: QualityLevel;
  rttMs?: number;
  /** Of the packets due in the interval, how many did not come. */
  lossPercent?: number;
  inboundKbps?: number;
  jitterMs?: number;
  /** Connected, and not one byte came in over the interval. */
  noMedia?: true;
  /** A tooltip: "Good · 32 ms round trip · 0.0 % loss · 48 kbit/s in". */
  text: string;
}

/**
 * Where the numbers come from:
 * - Round trip. ITU-T G.114 (05/2003), "One-way transmission time": a one-way
 *   delay of 400 ms should not be exceeded for general network planning; its
 *   earlier editions (1996, 2000) call 0–150 ms "acceptable for most user
 *   applications" and 150–400 ms acceptable only with care. We hold the network's *round trip* to those
 *   figures, which leaves the jitter buffer and codecs (~50–100 ms) room inside
 *   the one-way budget. 400 ms is also where Twilio's Voice SDK raises its
 *   `high-rtt` warning ("RTT > 400 ms for 3 out of last 5 samples", Voice
 *   Insights SDK events).
 * - Loss. lib-jitsi-meet's ConnectionQuality.js (`_calculateConnectionQuality`)
 *   shows full bars up to 2 % loss and one bar above 8 %; we take the same edges.
 * - Jitter. Twilio's `high-jitter` warning fires above 30 ms; jitter alone
 *   makes a call at worst fair, as the jitter buffer turns it into delay.
 * Google Meet publishes no thresholds for its indicator; none are taken from it.
 */
export const QUALITY_THRESHOLDS = {
  goodRttMs: 150,
  poorRttMs: 400,
  goodLossPercent: 2,
  poorLossPercent: 8,
  fairJitterMs: 30,
} as const;

const RANK: Record<QualityLevel, number> = { unknown: -1, good: 0, fair: 1, poor: 2 };
const LABEL: Record<QualityLevel, string> = { good: 'Good', fair: 'Fair', poor: 'Poor', unknown: 'Quality unknown' };

/** Rates `current`, over the interval since `previous` when there is one. */
export function rateQuality(previous: MediaStats | undefined, current: MediaStats): Quality {
  const measured = measure(previous, current);
  return { ...measured, text: describe(measured.level, measured) };
}

type Measured = Omit<Quality, 'text'>;

function measure(previous: MediaStats | undefined, current: MediaStats): Measured {
  const q: Measured = { level: 'unknown' };
  const levels: QualityLevel[] = [];
  const t = QUALITY_THRESHOLDS;

  if (current.roundTripTime !== undefined) {
    q.rttMs = current.roundTripTime * 1000;
    levels.push(q.rttMs > t.poorRttMs ? 'poor' : q.rttMs > t.goodRttMs ? 'fair' : 'good');
  }
  if (current.jitter > 0) {
    q.jitterMs = current.jitter * 1000;
    if (q.jitterMs > t.fairJitterMs) levels.push('fair');
  }

  const interval = previous && between(previous, current);
  if (interval) {
    q.inboundKbps = (interval.bytes * 8) / interval.ms; // bits per millisecond are kbit/s
    // RFC 3550 §6.4.1: the lost count falls when duplicates arrive; that is no loss.
    const lost = Math.max(0, interval.lost);
    if (lost + interval.received > 0) {
      q.lossPercent = (100 * lost) / (lost + interval.received);
      levels.push(q.lossPercent > t.poorLossPercent ? 'poor' : q.lossPercent > t.goodLossPercent ? 'fair' : 'good');
    }
    // A selected pair means ICE is connected: silence on it is media lost, not a
    // quiet peer (a muted track still sends silence or black frames).
    if (interval.bytes === 0 && current.selectedPair) {
      q.noMedia = true;
      levels.push('poor');
    }
  }

  for (const level of levels) if (RANK[level] > RANK[q.level]) q.level = level;
  return q;
}

/** The growth of the counters from one summary to the next; none when they went back (a new stream). */
function between(previous: MediaStats, current: MediaStats) {
  const ms = current.timestamp - previous.timestamp;
  const bytes = inbound(current) - inbound(previous);
  const received = current.packetsReceived - previous.packetsReceived;
  if (!(ms > 0) || bytes < 0 || received < 0) return undefined;
  return { ms, bytes, received, lost: current.packetsLost - previous.packetsLost };
}

const inbound = (s: MediaStats) => s.inboundAudioBytes + s.inboundVideoBytes;

function describe(level: QualityLevel, q: Measured): string {
  return [
    LABEL[level],
    q.noMedia ? 'no media' : undefined,
    q.rttMs !== undefined ? `${Math.round(q.rttMs)} ms round trip` : undefined,
    q.lossPercent !== undefined ? `${q.lossPercent.toFixed(1)} % loss` : undefined,
    q.inboundKbps !== undefined ? `${Math.round(q.inboundKbps)} kbit/s in` : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(' · ');
}

/**
 * The indicator's state: fed one summary a second (the caller polls getStats()),
 * it keeps the last rating. The level shown moves only when `confirmations`
 * samples in a row agree on a new one, so one bad second does not flip it;
 * no media at all shows as poor at once. The numbers are always the latest.
 */
export class QualityMeter {
  private previous?: MediaStats;
  private shown: QualityLevel = 'unknown';
  private pending?: { level: QualityLevel; count: number };
  private last: Quality = { level: 'unknown', text: LABEL.unknown };

  constructor(private readonly confirmations = 2) {}

  get quality(): Quality {
    return this.last;
  }

  sample(stats: MediaStats): Quality {
    const measured = measure(this.previous, stats);
    this.previous = stats;
    this.shown = this.settle(measured);
    this.last = { ...measured, level: this.shown, text: describe(this.shown, measured) };
    return this.last;
  }

  /** Forgets the history, as for a new call or after an ICE restart. */
  reset(): void {
    this.previous = undefined;
    this.pending = undefined;
    this.shown = 'unknown';
    this.last = { level: 'unknown', text: LABEL.unknown };
  }

  private settle(measured: Measured): QualityLevel {
    const level = measured.level;
    if (level === this.shown) {
      this.pending = undefined;
      return level;
    }
    // Nothing shown yet: the first rating is no flip. No media: say so now.
    if (this.shown === 'unknown' || measured.noMedia) {
      this.pending = undefined;
      return level;
    }
    const count = this.pending?.level === level ? this.pending.count + 1 : 1;
    if (count >= this.confirmations) {
      this.pending = undefined;
      return level;
    }
    this.pending = { level, count };
    return this.shown;
  }
}
