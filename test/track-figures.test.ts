import { describe, expect, it } from 'vitest';
import { trackFigures } from '../src/media/track-figures';

const report = (entries: Record<string, unknown>[]) => new Map(entries.map((e) => [e.id as string, e])) as unknown as RTCStatsReport;

describe('per-track figures from getStats()', () => {
  const first = report([
    { id: 'in-a', type: 'inbound-rtp', kind: 'audio', timestamp: 1000, bytesReceived: 1000, packetsLost: 1, jitter: 0.004 },
    { id: 'out-v', type: 'outbound-rtp', kind: 'video', timestamp: 1000, bytesSent: 10_000 },
  ]);
  const second = report([
    { id: 'in-a', type: 'inbound-rtp', kind: 'audio', timestamp: 2000, bytesReceived: 5000, packetsLost: 3, jitter: 0.006 },
    { id: 'out-v', type: 'outbound-rtp', kind: 'video', timestamp: 2000, bytesSent: 135_000 },
    { id: 'rv', type: 'remote-inbound-rtp', localId: 'out-v', timestamp: 2000, roundTripTime: 0.012 },
    { id: 'p', type: 'candidate-pair', nominated: true, state: 'succeeded', timestamp: 2000, currentRoundTripTime: 0.002 },
  ]);

  it('has no bitrate before a second report to compare with', () => {
    expect(trackFigures(first)).toEqual([
      { track: 'audio in', packetsLost: 1, jitter: 4 },
      { track: 'video out' },
    ]);
  });

  it('gives bits per second since the report before, loss, jitter and round-trip time in ms', () => {
    expect(trackFigures(second, first)).toEqual([
      { track: 'audio in', bitrate: 32_000, packetsLost: 3, jitter: 6, roundTripTime: 2 },
      { track: 'video out', bitrate: 1_000_000, roundTripTime: 12 },
    ]);
  });

  it('names tracks of one kind by their mid', () => {
    const two = report([
      { id: 'a', type: 'inbound-rtp', kind: 'video', mid: '1', timestamp: 1 },
      { id: 'b', type: 'inbound-rtp', kind: 'video', mid: '2', timestamp: 1 },
    ]);
    expect(trackFigures(two).map((f) => f.track)).toEqual(['video in (mid 1)', 'video in (mid 2)']);
  });
});
