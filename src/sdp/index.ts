// Pure translation between WebRTC's SDP and the Jingle model.
export { candidateFromSdp, candidateToSdp, isSendable } from './candidates.ts';
export { jingleToSdp, type FromJingleOptions } from './from-jingle.ts';
export { parseCandidateLine, parseSdp, writeCandidateLine, writeSdp, type SessionDescription } from './sdp-text.ts';
export { sdpToJingle, type ToJingleOptions } from './to-jingle.ts';
