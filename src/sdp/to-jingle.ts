// SDP (sdp-transform objects) → Jingle model. A data channel (m=application)
// never becomes Jingle: Conversations ends a call that carries one.
import type {
  Content, Fingerprint, Group, HeaderExtension, Media, Parameter, PayloadType, Role, RtcpFeedback, RtpDescription, Setup, Source,
} from '../jingle/index.ts';
import { candidateFromSdp, isSendable } from './candidates.ts';
import { sendersFromDirection } from './directions.ts';
import type { MediaDescription, SessionDescription } from './sdp-text.ts';

export interface ToJingleOptions {
  /** The Jingle role of the party that wrote this SDP. */
  author: Role;
  /** The creator of every content (the initiator for a session-initiate and its answer). */
  creator?: Role;
  /** mid → content name where a name could not be its own mid (see mids.ts). */
  names?: ReadonlyMap<string, string>;
}

/** sdp-transform reads digit-only tokens (a mid of "7", a ufrag of "6224") as numbers. */
const text = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : String(value).trim() || undefined);

const isRtp = (m: MediaDescription): m is MediaDescription & { type: Media } => m.type === 'audio' || m.type === 'video';

/** Splits an fmtp config; a key without a value keeps no empty value. */
export function fmtpParameters(config: string): Parameter[] {
  return config
    .split(';')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? { name: pair } : { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() };
    });
}

function feedbackFor(media: MediaDescription, payload: number | '*'): { feedback: RtcpFeedback[]; trrInt?: number } {
  const feedback = (media.rtcpFb ?? [])
    .filter((fb) => String(fb.payload) === String(payload))
    .map((fb) => (fb.subtype ? { type: fb.type, subtype: fb.subtype } : { type: fb.type }));
  const trr = (media.rtcpFbTrrInt ?? []).find((t) => String(t.payload) === String(payload));
  return trr ? { feedback, trrInt: trr.value } : { feedback };
}

function payloadTypes(media: MediaDescription): PayloadType[] {
  return media.rtp.map((rtp) => {
    const fmtp = media.fmtp.find((f) => f.payload === rtp.payload);
    return {
      id: rtp.payload,
      name: String(rtp.codec),
      ...(rtp.rate !== undefined ? { clockrate: rtp.rate } : {}),
      ...(rtp.encoding !== undefined && Number(rtp.encoding) > 1 ? { channels: Number(rtp.encoding) } : {}),
      parameters: fmtp ? fmtpParameters(String(fmtp.config)) : [],
      ...feedbackFor(media, rtp.payload),
    };
  });
}

function sources(media: MediaDescription): Source[] {
  const bySsrc = new Map<number, Parameter[]>();
  // Jingle has no media-level msid: a=msid (all Chromium writes in answers) rides on
  // each source as XEP-0339's msid parameter, where the source lacks one.
  const mediaMsid = media.msid?.[0] ? `${text(media.msid[0].id) ?? '-'} ${text(media.msid[0].appdata) ?? ''}`.trim() : undefined;
  for (const line of media.ssrcs ?? []) {
    const ssrc = Number(line.id);
    const params = bySsrc.get(ssrc) ?? [];
    bySsrc.set(ssrc, params);
    // Trim every value: a trailing space in msid makes Chromium refuse the SDP.
    const value = text(line.value);
    const name = String(line.attribute).trim();
    params.push(value ? { name, value } : { name });
  }
  return [...bySsrc].map(([ssrc, parameters]) => ({
    ssrc,
    parameters: mediaMsid && !parameters.some((p) => p.name === 'msid') ? [...parameters, { name: 'msid', value: mediaMsid }] : parameters,
  }));
}

function headerExtensions(media: MediaDescription, author: Role): HeaderExtension[] {
  return (media.ext ?? []).map((ext) => ({
    id: ext.value,
    uri: ext.uri,
    ...(ext.direction ? { senders: sendersFromDirection(ext.direction, author) } : {}),
  }));
}

function description(media: MediaDescription & { type: Media }, session: SessionDescription, inGroup: boolean): RtpDescription {
  const bandwidth = media.bandwidth?.[0];
  return {
    media: media.type,
    payloadTypes: payloadTypes(media),
    ...feedbackFor(media, '*'),
    headerExtensions: [],
    extmapAllowMixed: Boolean(media.extmapAllowMixed ?? session.extmapAllowMixed),
    rtcpMux: Boolean(media.rtcpMux) || inGroup,
    ...(bandwidth ? { bandwidth: { type: bandwidth.type, value: bandwidth.limit } } : {}),
    sources: sources(media),
    sourceGroups: (media.ssrcGroups ?? []).map((g) => ({
      semantics: g.semantics,
      sources: String(g.ssrcs).split(/\s+/).filter(Boolean).map(Number),
    })),
  };
}

function fingerprints(media: MediaDescription, session: SessionDescription, author: Role): Fingerprint[] {
  // A session-level fingerprint applies to every content.
  const fp = media.fingerprint ?? session.fingerprint;
  if (!fp) return [];
  const setup = (media.setup ?? session.setup ?? (author === 'initiator' ? 'actpass' : 'active')) as Setup;
  return [{ hash: String(fp.type).trim(), setup, value: String(fp.hash).trim() }];
}

/** The Jingle content for one RTP m-line, or undefined for anything else. */
export function mediaToContent(media: MediaDescription, session: SessionDescription, options: ToJingleOptions, inGroup = false): Content | undefined {
  if (!isRtp(media)) return undefined;
  const desc = description(media, session, inGroup);
  desc.headerExtensions = headerExtensions(media, options.author);
  return {
    creator: options.creator ?? 'initiator',
    name: nameOf(String(media.mid ?? media.type), options),
    senders: sendersFromDirection(media.direction ?? session.direction, options.author),
    description: desc,
    transport: {
      ...(text(media.iceUfrag ?? session.iceUfrag) ? { ufrag: text(media.iceUfrag ?? session.iceUfrag) } : {}),
      ...(text(media.icePwd ?? session.icePwd) ? { pwd: text(media.icePwd ?? session.icePwd) } : {}),
      fingerprints: fingerprints(media, session, options.author),
      candidates: (media.candidates ?? []).map(candidateFromSdp).filter(isSendable),
    },
  };
}

const nameOf = (mid: string, options: ToJingleOptions) => options.names?.get(mid) ?? mid;

export function sdpToJingle(session: SessionDescription, options: ToJingleOptions): { contents: Content[]; groups: Group[]; removed: string[] } {
  const rtpMids = new Set(session.media.filter(isRtp).map((m) => String(m.mid)));
  const groups = (session.groups ?? [])
    .map((g) => ({ semantics: g.type, contents: String(g.mids).split(/\s+/).filter((mid) => rtpMids.has(mid)).map((mid) => nameOf(mid, options)) }))
    .filter((g) => g.contents.length > 0);
  const grouped = new Set(groups.flatMap((g) => g.contents));
  // A port-0 m-line is a rejected or removed content (RFC 3264 §8.2): no Jingle content.
  const removed = session.media.filter((m) => isRtp(m) && m.port === 0).map((m) => nameOf(String(m.mid), options));
  const contents = session.media
    .filter((m) => m.port !== 0)
    .map((m) => mediaToContent(m, session, options, grouped.has(nameOf(String(m.mid), options))))
    .filter((c): c is Content => c !== undefined);
  return { contents, groups, removed };
}
