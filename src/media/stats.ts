// A summary of RTCPeerConnection.getStats(): what shows that media flows.

export interface MediaStats {
  inboundAudioBytes: number;
  inboundVideoBytes: number;
  outboundAudioBytes: number;
  outboundVideoBytes: number;
  framesDecoded: number;
  /** The size of the video frames coming in now (the largest stream's), 0 without video. */
  frameWidth: number;
  frameHeight: number;
  /** The selected ICE candidate pair, when there is one. */
  selectedPair?: CandidatePair;
  /**
   * Seconds: the selected pair's STUN `currentRoundTripTime`, else the largest
   * RTCP-derived `roundTripTime` of a remote-inbound-rtp; absent before either is measured.
   */
  roundTripTime?: number;
  /** Summed over inbound-rtp. Cumulative since each stream began: rates come from two summaries. */
  packetsReceived: number;
  /** RFC 3550 §6.4.1: cumulative and may go below zero when duplicates arrive. */
  packetsLost: number;
  /** Seconds: the largest interarrival jitter of the inbound-rtp, 0 without any. */
  jitter: number;
  /** Milliseconds: when the report was taken (its newest entry), 0 for an empty report. */
  timestamp: number;
}

export interface CandidatePair {
  /** Local and remote address:port. */
  local: string;
  remote: string;
  /** host, srflx, prflx or relay. */
  localType: string;
  remoteType: string;
  /** For a relayed local candidate: how we reach the TURN server (udp, tcp or tls), and which one. */
  relayProtocol?: string;
  relayServer?: string;
}

type Report = Record<string, unknown> & { type: string; id: string };

export function summariseStats(report: RTCStatsReport): MediaStats {
  const stats: MediaStats = { inboundAudioBytes: 0, inboundVideoBytes: 0, outboundAudioBytes: 0, outboundVideoBytes: 0, framesDecoded: 0, frameWidth: 0, frameHeight: 0, packetsReceived: 0, packetsLost: 0, jitter: 0, timestamp: 0 };

  const all = new Map<string, Report>();
  report.forEach((value: Report) => all.set(value.id, value));
  let pairRtt: number | undefined;
  let rtcpRtt: number | undefined;
  for (const r of all.values()) {
    if (typeof r.timestamp === 'number' && r.timestamp > stats.timestamp) stats.timestamp = r.timestamp;
    if (r.type === 'inbound-rtp') {
      stats.packetsReceived += num(r.packetsReceived);
      stats.packetsLost += num(r.packetsLost);
      stats.jitter = Math.max(stats.jitter, num(r.jitter));
    }
    if (r.type === 'remote-inbound-rtp' && typeof r.roundTripTime === 'number') rtcpRtt = Math.max(rtcpRtt ?? 0, r.roundTripTime);
    const kind = r.kind ?? r.mediaType;
    const bytes = typeof r.bytesReceived === 'number' ? r.bytesReceived : 0;
    const sent = typeof r.bytesSent === 'number' ? r.bytesSent : 0;
    if (r.type === 'inbound-rtp' && kind === 'audio') stats.inboundAudioBytes += bytes;
    if (r.type === 'inbound-rtp' && kind === 'video') {
      stats.inboundVideoBytes += bytes;
      stats.framesDecoded += typeof r.framesDecoded === 'number' ? r.framesDecoded : 0;
      if (typeof r.frameWidth === 'number' && r.frameWidth > stats.frameWidth) {
        stats.frameWidth = r.frameWidth;
        stats.frameHeight = typeof r.frameHeight === 'number' ? r.frameHeight : 0;
      }
    }
    if (r.type === 'outbound-rtp' && kind === 'audio') stats.outboundAudioBytes += sent;
    if (r.type === 'outbound-rtp' && kind === 'video') stats.outboundVideoBytes += sent;
    if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') {
      if (typeof r.currentRoundTripTime === 'number') pairRtt = r.currentRoundTripTime;
      const local = all.get(String(r.localCandidateId));
      const remote = all.get(String(r.remoteCandidateId));
      // Chromium leaves out the address of a peer-reflexive remote candidate.
      if (local && remote) {
        stats.selectedPair = {
          local: `${local.address ?? ''}:${local.port}`,
          remote: `${remote.address ?? ''}:${remote.port}`,
          localType: String(local.candidateType),
          remoteType: String(remote.candidateType),
          ...(local.candidateType === 'relay' && typeof local.relayProtocol === 'string' ? { relayProtocol: local.relayProtocol } : {}),
          ...(local.candidateType === 'relay' && typeof local.url === 'string' ? { relayServer: local.url } : {}),
        };
      }
    }
  }
  const roundTripTime = pairRtt ?? rtcpRtt;
  if (roundTripTime !== undefined) stats.roundTripTime = roundTripTime;
  return stats;
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
