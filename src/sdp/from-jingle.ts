// Jingle model → SDP (sdp-transform objects) that Chromium's setRemoteDescription accepts.
import type { Content, Group, Role, RtcpFeedback, Source } from '../jingle/index.ts';
import { candidateToSdp } from './candidates.ts';
import { directionFromSenders } from './directions.ts';
import type { MediaDescription, SessionDescription } from './sdp-text.ts';

export interface FromJingleOptions {
  /** The Jingle role of the party that sent these contents. */
  author: Role;
  type: 'offer' | 'answer';
  sessionId: string;
  sessionVersion: number;
}

type RtcpFbLine = NonNullable<MediaDescription['rtcpFb']>[number];

const fbLines = (payload: number | '*', feedback: readonly RtcpFeedback[]): RtcpFbLine[] =>
  feedback.map((fb) => ({ payload, type: fb.type, ...(fb.subtype ? { subtype: fb.subtype } : {}) }));

function ssrcLines(sources: readonly Source[]): NonNullable<MediaDescription['ssrcs']> {
  return sources.flatMap((source) =>
    source.parameters.map((p) => ({ id: source.ssrc, attribute: p.name, ...(p.value !== undefined ? { value: p.value } : {}) })),
  );
}

function msidOf(sources: readonly Source[]): MediaDescription['msid'] {
  const msid = sources.flatMap((s) => s.parameters).find((p) => p.name === 'msid')?.value;
  if (!msid) return undefined;
  const [id, appdata] = msid.split(/\s+/);
  return [{ id: id ?? '-', ...(appdata ? { appdata } : {}) }];
}

export function contentToMedia(content: Content, options: FromJingleOptions, bundled: boolean): MediaDescription {
  const desc = content.description!;
  const transport = content.transport ?? { fingerprints: [], candidates: [] };
  const rtcpMux = desc.rtcpMux || bundled;
  const fingerprint = transport.fingerprints[0];
  const defaultSetup = options.type === 'offer' ? 'actpass' : 'active';
  const msid = msidOf(desc.sources);
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
    mid: content.name,
    direction: directionFromSenders(content.senders, options.author),
    ...(desc.headerExtensions.length
      ? {
          ext: desc.headerExtensions.map((ext) => ({
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
      codec: pt.name ?? '',
      ...(pt.clockrate !== undefined ? { rate: pt.clockrate } : {}),
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
    ...(desc.sources.length ? { ssrcs: ssrcLines(desc.sources) } : {}),
    ...(desc.sourceGroups.length
      ? { ssrcGroups: desc.sourceGroups.map((g) => ({ semantics: g.semantics, ssrcs: g.sources.join(' ') })) }
      : {}),
    // Dino sends component-2 candidates even with rtcp-mux.
    candidates: transport.candidates.filter((c) => !rtcpMux || c.component === 1).map(candidateToSdp),
  };
}

export function jingleToSdp(jingle: { contents: readonly Content[]; groups: readonly Group[] }, options: FromJingleOptions): SessionDescription {
  const bundled = new Set(jingle.groups.filter((g) => g.semantics === 'BUNDLE').flatMap((g) => g.contents));
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
    ...(jingle.groups.length ? { groups: jingle.groups.map((g) => ({ type: g.semantics, mids: g.contents.join(' ') })) } : {}),
    msidSemantic: { semantic: 'WMS', token: '*' },
    media: jingle.contents.filter((c) => c.description).map((c) => contentToMedia(c, options, bundled.has(c.name))),
  };
}
