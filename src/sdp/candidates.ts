// XEP-0176 candidates ⇄ SDP candidates (RFC 8839 §5.1).
import type { Candidate } from '../jingle/index.ts';
import type { SdpCandidate } from './sdp-text.ts';

export function candidateFromSdp(c: SdpCandidate): Candidate {
  return {
    component: c.component,
    foundation: String(c.foundation),
    generation: c.generation ?? 0,
    ip: c.ip,
    ...(c['network-id'] !== undefined ? { network: c['network-id'] } : {}),
    port: c.port,
    priority: c.priority,
    protocol: c.transport.toLowerCase(),
    type: c.type,
    ...(c.raddr !== undefined ? { relAddr: c.raddr } : {}),
    ...(c.rport !== undefined ? { relPort: c.rport } : {}),
  };
}

export function candidateToSdp(c: Candidate): SdpCandidate {
  return {
    foundation: c.foundation,
    component: c.component,
    transport: c.protocol,
    priority: c.priority,
    ip: c.ip,
    port: c.port,
    type: c.type,
    ...(c.relAddr !== undefined ? { raddr: c.relAddr } : {}),
    ...(c.relPort !== undefined ? { rport: c.relPort } : {}),
    generation: c.generation ?? 0,
    ...(c.network !== undefined ? { 'network-id': c.network } : {}),
  };
}

/** Conversations refuses TCP candidates: only UDP ones leave. */
export const isSendable = (c: Candidate): boolean => c.protocol.toLowerCase() === 'udp';
