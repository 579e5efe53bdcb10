// Jingle model → SDP (sdp-transform objects) that Chromium's setRemoteDescription accepts.
import type { Content, Group, Role, RtcpFeedback, RtpDescription, Source } from '../jingle/index.ts';
import { candidateToSdp } from './candidates.ts';
import { directionFromSenders } from './directions.ts';
import { midOf } from './mids.ts';
import type { MediaDescription, SessionDescription } from './sdp-text.ts';

export interface FromJingleOptions {
  /** The Jingle role of the party that sent these contents. */
  author: Role;
  type: 'offer' | 'answer';
  sessionId: string;
  sessionVersion: number;
  /**
   * The m-lines of our own description, in order. An answer must repeat the
   * offer's m-lines in order and number (RFC 3264 §6), so a slot that the
   * Jingle does not fill (our data channel, a rejected content) becomes a
   * rejected m-line.
   */
  template?: readonly MLineSlot[];
}

/** One m-line of a description: what a rejected copy of it needs. */
export interface MLineSlot {
  mid: string;
  type: string;
  protocol: string;
  payloads: string;
}

/** The remote contents, and the names of contents that were removed or rejected. */
export interface DescriptionModel {
  contents: readonly Content[];
  groups: readonly Group[];
  removed?: readonly string[];
}

/** The m-line slots of a description, for FromJingleOptions.template. */
export const slotsOf = (sdp: SessionDescription): MLineSlot[] =>
  sdp.media.map((m) => ({ mid: String(m.mid), type: m.type, protocol: m.protocol, payloads: String(m.payloads ?? '') }));

/** A rejected m-line (port 0) that keeps its slot. */
function rejected(slot: MLineSlot): MediaDescription {
  const isRtp = slot.type === 'audio' || slot.type === 'video';
  const payloads = slot.payloads.split(/\s+/).filter(Boolean);
  return {
    type: slot.type,
    port: 0,
    protocol: slot.protocol,
    payloads: isRtp ? payloads.slice(0, 1).join(' ') || '0' : slot.payloads || 'webrtc-datachannel',
    connection: { version: 4, ip: '0.0.0.0' },
    mid: slot.mid,
    ...(isRtp ? { direction: 'inactive' as const } : {}),
    rtp: [],
    fmtp: [],
  };
}

type RtcpFbLine = NonNullable<MediaDescription['rtcpFb']>[number];

// RFC 3551 §6: static payload types, whose name and clock rate XEP-0167
// lets a peer leave out (XEP-0167 §5 example: `<payload-type id='18' name='G729'/>`).
const STATIC_PAYLOADS: Record<number, [name: string, clockrate: number]> = {
  0: ['PCMU', 8000], 3: ['GSM', 8000], 4: ['G723', 8000], 5: ['DVI4', 8000], 6: ['DVI4', 16000],
  7: ['LPC', 8000], 8: ['PCMA', 8000], 9: ['G722', 8000], 10: ['L16', 44100], 11: ['L16', 44100],
  12: ['QCELP', 8000], 13: ['CN', 8000], 14: ['MPA', 90000], 15: ['G728', 8000], 16: ['DVI4', 11025],
  17: ['DVI4', 22050], 18: ['G729', 8000], 25: ['CelB', 90000], 26: ['JPEG', 90000], 28: ['nv', 90000],
  31: ['H261', 90000], 32: ['MPV', 90000], 33: ['MP2T', 90000], 34: ['H263', 90000],
};

const fbLines = (payload: number | '*', feedback: readonly RtcpFeedback[]): RtcpFbLine[] =>
  feedback.map((fb) => ({ payload, type: fb.type, ...(fb.subtype ? { subtype: fb.subtype } : {}) }));

function ssrcLines(sources: readonly Source[]): NonNullable<MediaDescription['ssrcs']> {
  return sources.flatMap((source) =>
    source.parameters.map((p) => ({ id: source.ssrc, attribute: p.name, ...(p.value !== undefined ? { value: p.value } : {}) })),
  );
}

function msidOf(desc: RtpDescription): MediaDescription['msid'] {
  const msid = desc.sources.flatMap((s) => s.parameters).find((p) => p.name === 'msid')?.value;
  if (!msid) return desc.stream ? [{ id: desc.stream.id, ...(desc.stream.track ? { appdata: desc.stream.track } : {}) }] : undefined;
  const [id, appdata] = msid.split(/\s+/);
  return [{ id: id ?? '-', ...(appdata ? { appdata } : {}) }];
}

/**
 * Every ssrc of an ssrc-group with a source of its own. StanzaJS 12 groups a
 * video ssrc with its RTX ssrc (FID) but describes only the first; Chromium
 * refuses a group whose member has no a=ssrc line ("Failed to add remote
 * stream ssrc"). A missing member takes the cname and msid of the group's
 * described source, as RFC 4588 §8.2 pairs them.
 */
function completeSources(desc: RtpDescription): Source[] {
  const known = new Map(desc.sources.map((s) => [s.ssrc, s]));
  const added: Source[] = [];
  for (const group of desc.sourceGroups) {
    const described = group.sources.map((ssrc) => known.get(ssrc)).find((s) => s && s.parameters.length);
    for (const ssrc of group.sources) {
      if (known.has(ssrc)) continue;
      const source: Source = { ssrc, parameters: (described?.parameters ?? []).filter((p) => p.name === 'cname' || p.name === 'msid') };
      known.set(ssrc, source);
      added.push(source);
    }
  }
  return [...desc.sources, ...added];
}

export function contentToMedia(content: Content, options: FromJingleOptions, bundled: boolean): MediaDescription {
  const desc = content.description!;
  const transport = content.transport ?? { fingerprints: [], candidates: [] };
  const rtcpMux = desc.rtcpMux || bundled;
  const fingerprint = transport.fingerprints[0];
  const defaultSetup = options.type === 'offer' ? 'actpass' : 'active';
  const msid = msidOf(desc);
  const sources = completeSources(desc);
  // RFC 8285 §6: ids are 1-255 and unique; a peer's others cannot be negotiated.
  const headerExtensions = desc.headerExtensions.filter((ext, i, all) => ext.id >= 1 && ext.id <= 255 && all.findIndex((e) => e.id === ext.id) === i);
  return {
    type: desc.media,
    port: 9,
    protocol: 'UDP/TLS/RTP/SAVPF',
    payloads: desc.payloadTypes.map((pt) => pt.id).join(' '),
    connection: { version: 4, ip: '0.0.0.0' },
    rtcp: { port: 9, netType: 'IN', ipVer: 4, address: '0.0.0.0' },
    ...(transport.ufrag ? { iceUfrag: transport.ufrag } : {}),
    ...(transport.pwd ? { icePwd: transport.pwd } : {}),
    ...(fingerprint ? { fingerprint: { type: fingerprint.hash, hash: fingerprint.value.trim() } } : {}),
    setup: fingerprint?.setup ?? defaultSetup,
    mid: midOf(content.name),
    direction: directionFromSenders(content.senders, options.author),
    ...(headerExtensions.length
      ? {
          ext: headerExtensions.map((ext) => ({
            value: ext.id,
            uri: ext.uri,
            ...(ext.senders && ext.senders !== 'both' ? { direction: directionFromSenders(ext.senders, options.author) } : {}),
          })),
        }
      : {}),
    ...(desc.extmapAllowMixed ? { extmapAllowMixed: 'extmap-allow-mixed' as const } : {}),
    ...(msid ? { msid } : {}),
    ...(rtcpMux ? { rtcpMux: 'rtcp-mux' as const } : {}),
    ...(desc.bandwidth ? { bandwidth: [{ type: desc.bandwidth.type as 'AS', limit: desc.bandwidth.value }] } : {}),
    rtp: desc.payloadTypes.map((pt) => ({
      payload: pt.id,
      codec: pt.name ?? STATIC_PAYLOADS[pt.id]?.[0] ?? 'unknown',
      // SDP needs a clock rate; video's is 90 kHz (RFC 3551 §5), audio's is guessed at 8 kHz.
      rate: pt.clockrate ?? STATIC_PAYLOADS[pt.id]?.[1] ?? (desc.media === 'video' ? 90000 : 8000),
      ...(pt.channels !== undefined && pt.channels > 1 ? { encoding: pt.channels } : {}),
    })),
    fmtp: desc.payloadTypes
      .filter((pt) => pt.parameters.length > 0)
      .map((pt) => ({
        payload: pt.id,
        config: pt.parameters.map((p) => (p.value === undefined ? p.name : `${p.name}=${p.value}`)).join(';'),
      })),
    rtcpFb: [...fbLines('*', desc.feedback), ...desc.payloadTypes.flatMap((pt) => fbLines(pt.id, pt.feedback))],
    rtcpFbTrrInt: [
      ...(desc.trrInt !== undefined ? [{ payload: '*', value: desc.trrInt }] : []),
      ...desc.payloadTypes.filter((pt) => pt.trrInt !== undefined).map((pt) => ({ payload: pt.id, value: pt.trrInt! })),
    ],
    ...(sources.length ? { ssrcs: ssrcLines(sources) } : {}),
    ...(desc.sourceGroups.length
      ? { ssrcGroups: desc.sourceGroups.map((g) => ({ semantics: g.semantics, ssrcs: g.sources.join(' ') })) }
      : {}),
    // Dino sends component-2 candidates even with rtcp-mux.
    candidates: transport.candidates.filter((c) => !rtcpMux || c.component === 1).map(candidateToSdp),
  };
}

function mLines(model: DescriptionModel, options: FromJingleOptions): MediaDescription[] {
  const removed = new Set(model.removed ?? []);
  const bundled = new Set(model.groups.filter((g) => g.semantics === 'BUNDLE').flatMap((g) => g.contents));
  const byMid = new Map(model.contents.filter((c) => c.description).map((c) => [midOf(c.name), c]));
  const render = (content: Content): MediaDescription => {
    const media = contentToMedia(content, options, bundled.has(content.name));
    return removed.has(content.name) ? rejected({ mid: String(media.mid), type: media.type, protocol: media.protocol, payloads: String(media.payloads) }) : media;
  };
  const template = options.template ?? [];
  const fromTemplate = template.map((slot) => {
    const content = byMid.get(slot.mid);
    return content ? render(content) : rejected(slot);
  });
  const inTemplate = new Set(template.map((slot) => slot.mid));
  return [...fromTemplate, ...model.contents.filter((c) => c.description && !inTemplate.has(midOf(c.name))).map(render)];
}

export function jingleToSdp(model: DescriptionModel, options: FromJingleOptions): SessionDescription {
  const media = mLines(model, options);
  const live = new Set(media.filter((m) => m.port !== 0).map((m) => String(m.mid)));
  const groups = model.groups
    .map((g) => ({ type: g.semantics, mids: g.contents.map(midOf).filter((mid) => live.has(mid)).join(' ') }))
    .filter((g) => g.mids);
  return {
    version: 0,
    origin: {
      username: '-',
      sessionId: options.sessionId,
      sessionVersion: options.sessionVersion,
      netType: 'IN',
      ipVer: 4,
      address: '127.0.0.1',
    },
    name: '-',
    timing: { start: 0, stop: 0 },
    ...(groups.length ? { groups } : {}),
    msidSemantic: { semantic: 'WMS', token: '*' },
    media,
  };
}
