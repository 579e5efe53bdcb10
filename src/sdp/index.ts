// Pure translation between WebRTC's SDP and the Jingle model.
export { candidateFromSdp, candidateToSdp, isSendable } from './candidates.ts';
export { jingleToSdp, slotsOf, type DescriptionModel, type FromJingleOptions, type MLineSlot } from './from-jingle.ts';
export { applyUpdate, diffDescriptions, hasCredentials, isIceRestart, withBundledTransports, type DescriptionChanges } from './updates.ts';
export { parseCandidateLine, parseSdp, writeCandidateLine, writeSdp, type SessionDescription } from './sdp-text.ts';
export { sdpToJingle, type ToJingleOptions } from './to-jingle.ts';
export { midOf, namesByMid } from './mids.ts';
