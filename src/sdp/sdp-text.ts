// The one module that imports sdp-transform: SDP text ⇄ sdp-transform objects.
import { parse, write, type MediaDescription, type SessionDescription } from 'sdp-transform';

export type { MediaDescription, SessionDescription };
export type SdpCandidate = NonNullable<MediaDescription['candidates']>[number] & {
  'network-id'?: number;
  'network-cost'?: number;
};

export const parseSdp = (text: string): SessionDescription => parse(text);
export const writeSdp = (sdp: SessionDescription): string => write(sdp);

/** Parses one `candidate:…` attribute (with or without its `a=`). */
export function parseCandidateLine(line: string): SdpCandidate | undefined {
  const attribute = line.startsWith('a=') ? line : `a=${line}`;
  const parsed = parse(`${attribute}\r\n`) as SessionDescription & { candidates?: SdpCandidate[] };
  return parsed.candidates?.[0];
}

/** Writes one candidate as the `candidate:…` attribute WebRTC's addIceCandidate takes. */
export function writeCandidateLine(candidate: SdpCandidate): string {
  const text = write({ media: [], candidates: [candidate] } as unknown as SessionDescription);
  const line = text.split('\r\n').find((l) => l.startsWith('a=candidate:'));
  if (!line) throw new Error('sdp-transform wrote no candidate');
  return line.slice(2);
}
