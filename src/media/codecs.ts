// The video codecs our offers carry: Chromium's, less those no Jingle client
// needs, each of which costs a payload-type with its rtcp-fb and rtx in the
// session-initiate and in every description both sides parse and apply.

/** What RTCRtpReceiver.getCapabilities() gives per codec. */
export interface CodecCapability {
  mimeType: string;
  clockRate: number;
  channels?: number;
  sdpFmtpLine?: string;
}

const fmtp = (codec: CodecCapability): Map<string, string> =>
  new Map((codec.sdpFmtpLine ?? '').split(';').filter(Boolean).map((p) => {
    const [k, ...v] = p.split('=');
    return [k!.trim().toLowerCase(), v.join('=').trim().toLowerCase()] as [string, string];
  }));

/**
 * Kept: VP8, VP9 profile 0, AV1 main profile, H.264 baseline and constrained baseline in
 * packetization mode 1 (what Conversations, Dino and the browsers send), and
 * rtx, red and ulpfec for them. Left out: H.264 in mode 0 and in other
 * profiles, VP9's and AV1's other profiles (10-bit, 4:4:4), H.265, flexfec. Should nothing be left
 * (a browser that names its codecs otherwise), all are kept.
 */
export function offeredVideoCodecs<C extends CodecCapability>(codecs: readonly C[]): C[] {
  const kept = codecs.filter((codec) => {
    const name = codec.mimeType.toLowerCase().replace(/^video\//, '');
    const params = fmtp(codec);
    switch (name) {
      case 'vp8':
      case 'rtx':
      case 'red':
      case 'ulpfec':
        return true;
      case 'vp9':
        return (params.get('profile-id') ?? '0') === '0';
      case 'av1':
        return (params.get('profile') ?? '0') === '0';
      case 'h264':
        return params.get('packetization-mode') === '1' && /^42(e0|00)/.test(params.get('profile-level-id') ?? '');
      default:
        return false;
    }
  });
  return kept.some((c) => !/\/(rtx|red|ulpfec)$/i.test(c.mimeType)) ? kept : [...codecs];
}
