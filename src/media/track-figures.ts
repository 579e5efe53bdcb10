// Per-track figures of one getStats() report against the one before it: what
// the inspector draws as graphs over a call (bitrate, loss, jitter, RTT).

export interface TrackFigures {
  /** `audio in`, `video out`; with the m-section's mid when a kind has more than one. */
  track: string;
  /** Bits per second since the previous report; absent in the first. */
  bitrate?: number;
  /** Inbound: cumulative packets lost (RFC 3550 §6.4.1, may go below zero). */
  packetsLost?: number;
  /** Inbound: interarrival jitter, in milliseconds. */
  jitter?: number;
  /** Milliseconds: from RTCP (outbound) or the selected pair's STUN checks (inbound). */
  roundTripTime?: number;
}

type Entry = Record<string, unknown> & { type: string; id: string; timestamp: number };

const entries = (report: RTCStatsReport): Map<string, Entry> => {
  const all = new Map<string, Entry>();
  report.forEach((value: Entry) => all.set(value.id, value));
  return all;
};

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function trackFigures(report: RTCStatsReport, previous?: RTCStatsReport): TrackFigures[] {
  const now = entries(report);
  const before = previous ? entries(previous) : new Map<string, Entry>();
  const rtp = [...now.values()].filter((e) => e.type === 'inbound-rtp' || e.type === 'outbound-rtp');
  let pairRtt: number | undefined;
  for (const e of now.values()) {
    if (e.type === 'candidate-pair' && e.nominated && e.state === 'succeeded') pairRtt = num(e.currentRoundTripTime) ?? pairRtt;
  }
  const remoteRtt = new Map<string, number>();
  for (const e of now.values()) {
    const rtt = num(e.roundTripTime);
    if (e.type === 'remote-inbound-rtp' && typeof e.localId === 'string' && rtt !== undefined) remoteRtt.set(e.localId, rtt);
  }
  const label = (e: Entry) => {
    const kind = String(e.kind ?? e.mediaType ?? 'media');
    const way = e.type === 'inbound-rtp' ? 'in' : 'out';
    const same = rtp.filter((o) => o.type === e.type && (o.kind ?? o.mediaType) === (e.kind ?? e.mediaType));
    return same.length > 1 && e.mid !== undefined ? `${kind} ${way} (mid ${String(e.mid)})` : `${kind} ${way}`;
  };
  return rtp.map((e) => {
    const inbound = e.type === 'inbound-rtp';
    const bytes = num(inbound ? e.bytesReceived : e.bytesSent) ?? 0;
    const old = before.get(e.id);
    const oldBytes = old ? (num(inbound ? old.bytesReceived : old.bytesSent) ?? 0) : undefined;
    const seconds = old ? (e.timestamp - old.timestamp) / 1000 : 0;
    const figures: TrackFigures = { track: label(e) };
    if (oldBytes !== undefined && seconds > 0) figures.bitrate = Math.round(Math.max(0, ((bytes - oldBytes) * 8) / seconds));
    if (inbound) {
      figures.packetsLost = num(e.packetsLost) ?? 0;
      const jitter = num(e.jitter);
      if (jitter !== undefined) figures.jitter = jitter * 1000;
      if (pairRtt !== undefined) figures.roundTripTime = pairRtt * 1000;
    } else {
      const rtt = remoteRtt.get(e.id);
      if (rtt !== undefined) figures.roundTripTime = rtt * 1000;
    }
    return figures;
  });
}
