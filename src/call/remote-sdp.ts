// The peer's Jingle description as the SDP our RTCPeerConnection takes.
import type { Role } from '../jingle/index.ts';
import { type DescriptionModel, jingleToSdp, parseSdp, slotsOf, writeSdp } from '../sdp/index.ts';

export interface RemoteSdpOptions {
  /** The peer's role in the session: the author of the description. */
  peerRole: Role;
  type: 'offer' | 'answer';
  /** Increases with each description within the session (RFC 3264 §5). */
  version: number;
  /** Without BUNDLE in our style, our own Chromium must not bundle either. */
  bundle: boolean;
  /** Our local description: an answer repeats its m-lines in order (RFC 3264 §6). */
  localSdp?: string | undefined;
}

export function remoteSdp(model: DescriptionModel, options: RemoteSdpOptions): string {
  const described = options.type === 'offer' && !options.bundle ? { ...model, groups: [] } : model;
  const template = options.type === 'answer' && options.localSdp ? slotsOf(parseSdp(options.localSdp)) : undefined;
  return writeSdp(
    jingleToSdp(described, {
      author: options.peerRole,
      type: options.type,
      sessionId: '1',
      sessionVersion: options.version,
      ...(template ? { template } : {}),
    }),
  );
}
