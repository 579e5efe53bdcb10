// The call-quality indicator: what getStats() yields for it, how a second of it is rated, and how the shown level settles.
import { describe, expect, it } from 'vitest';
import { QualityMeter, rateQuality } from '../src/media/call-quality.ts';
import { type MediaStats, summariseStats } from '../src/media/stats.ts';

const report = (...entries: Record<string, unknown>[]) => new Map(entries.map((e) => [e.id, e])) as unknown as RTCStatsReport;

const pair = { local: '192.0.2.1:5000', remote: '198.51.100.7:6000', localType: 'host', remoteType: 'srflx' };

/** One summary: `at` seconds into the call, with `bytes` and `received` packets in so far. */
const stats = (at: number, over: Partial<MediaStats> = {}): MediaStats => ({
  inboundAudioBytes: 0,
  inboundVideoBytes: 0,
  outboundAudioBytes: 0,
  outboundVideoBytes: 0,
  framesDecoded: 0,
  frameWidth: 0,
  frameHeight: 0,
  packetsReceived: 0,
  packetsLost: 0,
  jitter: 0,
  timestamp: at * 1000,
  ...over,
});

/** `at` seconds of audio at 48 kbit/s, 100 packets a second of which `lost` did not come (so `lost` is the loss in %), `rtt` seconds round trip (null: not measured). */
const second = (at: number, { lost = 0, rtt = 0.032 as number | null, connected = true } = {}): MediaStats =>
  stats(at, {
    inboundAudioBytes: 6000 * at,
    packetsReceived: (100 - lost) * at,
    packetsLost: lost * at,
    ...(rtt !== null ? { roundTripTime: rtt } : {}),
    ...(connected ? { selectedPair: pair } : {}),
  });

describe('reading quality from getStats()', () => {
  const local = { id: 'L', type: 'local-candidate', address: '192.0.2.1', port: 5000, candidateType: 'host', timestamp: 1000 };
  const remote = { id: 'R', type: 'remote-candidate', address: '198.51.100.7', port: 6000, candidateType: 'srflx', timestamp: 1000 };
  const selected = { id: 'P', type: 'candidate-pair', nominated: true, state: 'succeeded', localCandidateId: 'L', remoteCandidateId: 'R', timestamp: 1000 };

  it('takes the round trip from the selected candidate pair', () => {
    const s = summariseStats(report(local, remote, { ...selected, currentRoundTripTime: 0.045 }, { id: 'RI', type: 'remote-inbound-rtp', roundTripTime: 0.2 }));
    expect(s.roundTripTime).toBe(0.045);
  });

  it('falls back on the RTCP round trip when the pair has measured none', () => {
    const s = summariseStats(report(local, remote, selected, { id: 'RA', type: 'remote-inbound-rtp', roundTripTime: 0.05 }, { id: 'RV', type: 'remote-inbound-rtp', roundTripTime: 0.07 }));
    expect(s.roundTripTime).toBe(0.07);
  });

  it('ignores the round trip of a pair that is not in use', () => {
    const s = summariseStats(report({ ...selected, nominated: false, currentRoundTripTime: 0.3 }));
    expect(s.roundTripTime).toBeUndefined();
  });

  it('sums packets over the inbound streams and keeps the worst jitter', () => {
    const s = summariseStats(
      report(
        { id: 'A', type: 'inbound-rtp', kind: 'audio', bytesReceived: 100, packetsReceived: 40, packetsLost: 2, jitter: 0.004, timestamp: 1000 },
        { id: 'V', type: 'inbound-rtp', kind: 'video', bytesReceived: 900, packetsReceived: 60, packetsLost: 3, jitter: 0.012, timestamp: 1002 },
        { id: 'O', type: 'outbound-rtp', kind: 'audio', bytesSent: 50, packetsSent: 99, timestamp: 1001 },
      ),
    );
    expect(s).toMatchObject({ packetsReceived: 100, packetsLost: 5, jitter: 0.012, timestamp: 1002, inboundAudioBytes: 100, inboundVideoBytes: 900 });
  });

  it('reads an empty report as nothing received and no round trip', () => {
    const s = summariseStats(report());
    expect(s).toEqual({ inboundAudioBytes: 0, inboundVideoBytes: 0, outboundAudioBytes: 0, outboundVideoBytes: 0, framesDecoded: 0, frameWidth: 0, frameHeight: 0, packetsReceived: 0, packetsLost: 0, jitter: 0, timestamp: 0 });
  });
});

describe('rating a second of the call', () => {
  it('calls a short round trip without loss good, and says why', () => {
    const q = rateQuality(second(1), second(2));
    expect(q).toEqual({ level: 'good', rttMs: 32, lossPercent: 0, inboundKbps: 48, text: 'Good · 32 ms round trip · 0.0 % loss · 48 kbit/s in' });
  });

  it('counts the loss of the last second, not of the whole call', () => {
    const before = stats(10, { packetsReceived: 900, packetsLost: 100, roundTripTime: 0.03 }); // 10 % so far
    const now = stats(11, { packetsReceived: 999, packetsLost: 101, roundTripTime: 0.03 });
    expect(rateQuality(before, now)).toMatchObject({ level: 'good', lossPercent: 1 });
  });

  it('calls more than 2 % loss fair', () => {
    expect(rateQuality(second(1, { lost: 2 }), second(2, { lost: 2 }))).toMatchObject({ level: 'good', lossPercent: 2 });
    expect(rateQuality(second(1, { lost: 3 }), second(2, { lost: 3 }))).toMatchObject({ level: 'fair', lossPercent: 3 });
  });

  it('calls more than 8 % loss poor', () => {
    expect(rateQuality(second(1, { lost: 8 }), second(2, { lost: 8 }))).toMatchObject({ level: 'fair', lossPercent: 8 });
    expect(rateQuality(second(1, { lost: 9 }), second(2, { lost: 9 }))).toMatchObject({ level: 'poor', lossPercent: 9 });
  });

  it('calls a round trip up to 150 ms good, beyond it fair, and beyond 400 ms poor', () => {
    const at = (rtt: number) => rateQuality(second(1, { rtt }), second(2, { rtt })).level;
    expect([at(0.15), at(0.151), at(0.4), at(0.401)]).toEqual(['good', 'fair', 'fair', 'poor']);
  });

  it('lets the worse of round trip and loss decide', () => {
    expect(rateQuality(second(1, { lost: 10, rtt: 0.02 }), second(2, { lost: 10, rtt: 0.02 })).level).toBe('poor');
    expect(rateQuality(second(1, { rtt: 0.5 }), second(2, { rtt: 0.5 })).level).toBe('poor');
  });

  it('calls a good call with over 30 ms of jitter fair', () => {
    const q = rateQuality(second(1), { ...second(2), jitter: 0.045 });
    expect(q).toMatchObject({ level: 'fair', jitterMs: 45 });
  });

  it('calls a connected call that received nothing for a second poor', () => {
    const q = rateQuality(second(1), { ...second(1), timestamp: 2000 });
    expect(q).toMatchObject({ level: 'poor', noMedia: true, inboundKbps: 0 });
    expect(q.text).toBe('Poor · no media · 32 ms round trip · 0 kbit/s in');
  });

  it('does not call silence poor before ICE has connected', () => {
    const waiting = second(1, { connected: false, rtt: null });
    expect(rateQuality(waiting, { ...waiting, timestamp: 2000 })).toEqual({ level: 'unknown', inboundKbps: 0, text: 'Quality unknown · 0 kbit/s in' });
  });

  it('rates the first sample by its round trip alone', () => {
    expect(rateQuality(undefined, second(1, { rtt: 0.2 }))).toEqual({ level: 'fair', rttMs: 200, text: 'Fair · 200 ms round trip' });
  });

  it('knows nothing from a first sample without a round trip', () => {
    expect(rateQuality(undefined, second(1, { rtt: null }))).toEqual({ level: 'unknown', text: 'Quality unknown' });
  });

  it('measures no interval when the counters went back, as for a new stream', () => {
    const renegotiated = stats(6, { inboundAudioBytes: 100, packetsReceived: 2, selectedPair: pair });
    expect(rateQuality(second(5), renegotiated)).toEqual({ level: 'unknown', text: 'Quality unknown' });
  });

  it('measures no interval between two samples of the same moment', () => {
    expect(rateQuality(second(2), second(2)).inboundKbps).toBeUndefined();
  });

  it('takes a lost count that falls, as duplicates arrive, for no loss', () => {
    const q = rateQuality(stats(1, { packetsReceived: 50, packetsLost: 3 }), stats(2, { packetsReceived: 100, packetsLost: 1 }));
    expect(q.lossPercent).toBe(0);
  });

  it('adds audio and video into the bitrate in', () => {
    const q = rateQuality(stats(1), stats(3, { inboundAudioBytes: 12_000, inboundVideoBytes: 250_000, packetsReceived: 300 }));
    expect(q.inboundKbps).toBe(1048);
  });
});

describe('the quality meter', () => {
  /** Feeds one sample a second; `rtts` in seconds, `null` for a second with no media. */
  const feed = (meter: QualityMeter, rtts: (number | null)[]) => {
    let bytes = 0;
    return rtts.map((rtt, i) => {
      if (rtt !== null) bytes += 6000;
      return meter.sample(stats(i, { inboundAudioBytes: bytes, packetsReceived: bytes / 120, roundTripTime: rtt ?? 0.03, selectedPair: pair })).level;
    });
  };

  it('knows nothing before its first sample', () => {
    expect(new QualityMeter().quality).toEqual({ level: 'unknown', text: 'Quality unknown' });
  });

  it('shows the first rating at once', () => {
    expect(feed(new QualityMeter(), [0.2])).toEqual(['fair']);
  });

  it('stays good through one slow second', () => {
    expect(feed(new QualityMeter(), [0.03, 0.03, 0.5, 0.03])).toEqual(['good', 'good', 'good', 'good']);
  });

  it('moves to a new level once two seconds in a row agree', () => {
    expect(feed(new QualityMeter(), [0.03, 0.5, 0.5, 0.5])).toEqual(['good', 'good', 'poor', 'poor']);
  });

  it('needs the two seconds to agree on the same new level', () => {
    expect(feed(new QualityMeter(), [0.03, 0.2, 0.5, 0.03])).toEqual(['good', 'good', 'good', 'good']);
  });

  it('recovers only after two good seconds', () => {
    expect(feed(new QualityMeter(), [0.5, 0.03, 0.03])).toEqual(['poor', 'poor', 'good']);
  });

  it('shows poor at once when media stops', () => {
    expect(feed(new QualityMeter(), [0.03, 0.03, null])).toEqual(['good', 'good', 'poor']);
  });

  it('shows the latest numbers under the settled level', () => {
    const meter = new QualityMeter();
    feed(meter, [0.03, 0.5]);
    expect(meter.quality).toMatchObject({ level: 'good', rttMs: 500, text: 'Good · 500 ms round trip · 0.0 % loss · 48 kbit/s in' });
  });

  it('starts afresh after a reset', () => {
    const meter = new QualityMeter();
    feed(meter, [0.03, 0.03]);
    meter.reset();
    expect(meter.quality.level).toBe('unknown');
    expect(feed(meter, [0.5])).toEqual(['poor']);
  });
});
