// The peer's Jingle description as the SDP our RTCPeerConnection takes.
import type { Role, Setup } from '../jingle/index.ts';
import { type DescriptionModel, jingleToSdp, parseSdp, slotsOf, writeSdp } from '../sdp/index.ts';

export interface RemoteSdpOptions {
  /** The peer's role in the session: the author of the description. */
  peerRole: Role;
  type: 'offer' | 'answer';
  /** Increases with each description within the session (RFC 3264 §5). */
  version: number;
  /** Without BUNDLE in our style, our own Chromium must not bundle either. */
  bundle: boolean;
  /**
   * Our local description: an answer repeats its m-lines in order (RFC 3264
   * §6), and so does an offer within the session (§8), with new ones after.
   */
  localSdp?: string | undefined;
  /**
   * Our DTLS role as first agreed. When we restart ICE as the responder, the
   * initiator's description says `actpass`, which an answer may not (RFC 5763 §5):
   * it takes the other role than ours, so DTLS goes on as it was.
   */
  ourSetup?: Setup | undefined;
}

const OTHER: Partial<Record<Setup, Setup>> = { active: 'passive', passive: 'active' };

function settled(model: DescriptionModel, ours: Setup | undefined): DescriptionModel {
  const theirs = (ours && OTHER[ours]) ?? 'active';
  return {
    ...model,
    contents: model.contents.map((c) =>
      c.transport ? { ...c, transport: { ...c.transport, fingerprints: c.transport.fingerprints.map((f) => (f.setup === 'actpass' ? { ...f, setup: theirs } : f)) } } : c,
    ),
  };
}

export function remoteSdp(model: DescriptionModel, options: RemoteSdpOptions): string {
  const described = options.type === 'offer' ? (options.bundle ? model : { ...model, groups: [] }) : settled(model, options.ourSetup);
  const template = options.localSdp ? slotsOf(parseSdp(options.localSdp)) : undefined;
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
