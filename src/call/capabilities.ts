// What a peer must advertise for a call, and what we advertise
// (PROTOCOL.md, Capabilities: Conversations checks exactly this set).
import { NS } from '../jingle/index.ts';
import type { CallMedia } from '../media/devices.ts';

const REQUIRED = [NS.jingle, NS.iceUdp, NS.rtp, NS.dtls];
const MEDIA_FEATURE: Record<CallMedia, string> = { audio: NS.rtpAudio, video: NS.rtpVideo };

/** Our disco#info features. */
export const CALL_FEATURES: readonly string[] = [
  ...REQUIRED,
  NS.jingleMessage,
  NS.rtpAudio,
  NS.rtpVideo,
  NS.rtpInfo,
  NS.rtcpFb,
  NS.rtpHdrext,
  NS.grouping,
  NS.ssma,
  NS.screenShare,
  'urn:ietf:rfc:5888',
  'urn:ietf:rfc:5576',
];

export type CallSupport = 'yes' | 'no' | 'unknown';

/** Whether a device with these features (undefined: not known yet) takes this kind of call. */
export function supports(features: ReadonlySet<string> | undefined, media: CallMedia): CallSupport {
  if (!features) return 'unknown';
  return [...REQUIRED, MEDIA_FEATURE[media]].every((f) => features.has(f)) ? 'yes' : 'no';
}

/** How to ring a device: XEP-0353 where it speaks it, else a direct session-initiate. */
export const ringVia = (features: ReadonlySet<string> | undefined): 'jmi' | 'direct' =>
  features?.has(NS.jingleMessage) ? 'jmi' : 'direct';
