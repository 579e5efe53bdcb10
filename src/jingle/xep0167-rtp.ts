// XEP-0167: Jingle RTP Sessions, version 1.2.3 (description and session-info),
// with the XEP-0293, XEP-0294 and XEP-0339 children of <description/>.
import { badRequest } from './errors.ts';
import { type Field, PARAMETER_FIELDS, oneOf, readFields, readParameters, text, uint, uint8, uint32, writeFields } from './fields.ts';
import type { Bandwidth, Media, PayloadType, RtpDescription, SessionInfo } from './model.ts';
import { NS } from './namespaces.ts';
import { type Element, xml } from './xml.ts';
import { feedbackElements, readFeedback } from './xep0293-rtcp-fb.ts';
import { headerExtensionElements, readHeaderExtensions } from './xep0294-rtp-hdrext.ts';
import { readSources, sourceElements } from './xep0339-ssma.ts';

const MEDIA: readonly Media[] = ['audio', 'video'];

const DESCRIPTION_FIELDS: readonly Field<RtpDescription>[] = [
  { attr: 'media', key: 'media', type: oneOf(MEDIA), required: true },
  { attr: 'ssrc', key: 'ssrc', type: uint32 },
];

const PAYLOAD_FIELDS: readonly Field<PayloadType>[] = [
  { attr: 'id', key: 'id', type: uint8, required: true },
  { attr: 'name', key: 'name', type: text },
  { attr: 'clockrate', key: 'clockrate', type: uint },
  { attr: 'channels', key: 'channels', type: uint8 },
  { attr: 'ptime', key: 'ptime', type: uint },
  { attr: 'maxptime', key: 'maxptime', type: uint },
];

const BANDWIDTH_FIELDS: readonly Field<Bandwidth>[] = [{ attr: 'type', key: 'type', type: text, required: true }];

function readPayloadType(el: Element): PayloadType {
  const fields = readFields(el, PAYLOAD_FIELDS) as PayloadType;
  return { ...fields, parameters: readParameters(el), ...readFeedback(el) };
}

function payloadTypeElement(pt: PayloadType): Element {
  // PROTOCOL.md: opus always carries channels='2', whatever the SDP said.
  const channels = pt.name?.toLowerCase() === 'opus' ? 2 : pt.channels !== undefined && pt.channels > 1 ? pt.channels : undefined;
  return xml(
    'payload-type',
    writeFields({ ...pt, channels }, PAYLOAD_FIELDS),
    pt.parameters.map((p) => xml('parameter', writeFields(p, PARAMETER_FIELDS))),
    feedbackElements(pt.feedback, pt.trrInt),
  );
}

function readBandwidth(el: Element | undefined): Bandwidth | undefined {
  if (!el) return undefined;
  const { type } = readFields(el, BANDWIDTH_FIELDS) as Bandwidth;
  const value = uint.parse(el.text(), 'bandwidth');
  return { type, value };
}

export function readRtpDescription(el: Element): RtpDescription {
  const { media, ssrc } = readFields(el, DESCRIPTION_FIELDS) as RtpDescription;
  const payloadTypes = el.getChildren('payload-type').map(readPayloadType);
  const ids = new Set(payloadTypes.map((pt) => pt.id));
  if (ids.size !== payloadTypes.length) throw badRequest('duplicate payload-type id');
  const bandwidth = readBandwidth(el.getChild('bandwidth'));
  // StanzaJS sends the msid as <stream xmlns='urn:xmpp:jingle:apps:rtp:msid:0' id track/>.
  const streamEl = el.getChild('stream', NS.rtpMsid);
  const stream = streamEl?.attrs.id?.trim() ? { id: streamEl.attrs.id.trim(), ...(streamEl.attrs.track?.trim() ? { track: streamEl.attrs.track.trim() } : {}) } : undefined;
  return {
    media,
    ...(ssrc !== undefined ? { ssrc } : {}),
    payloadTypes,
    ...readFeedback(el),
    ...readHeaderExtensions(el),
    rtcpMux: el.getChild('rtcp-mux') !== undefined,
    ...(bandwidth ? { bandwidth } : {}),
    ...readSources(el),
    ...(stream ? { stream } : {}),
  };
}

export function rtpDescriptionElement(d: RtpDescription): Element {
  return xml(
    'description',
    { xmlns: NS.rtp, ...writeFields(d, DESCRIPTION_FIELDS) },
    d.payloadTypes.map(payloadTypeElement),
    feedbackElements(d.feedback, d.trrInt),
    headerExtensionElements(d.headerExtensions, d.extmapAllowMixed),
    sourceElements(d.sources, d.sourceGroups),
    d.bandwidth ? xml('bandwidth', { type: d.bandwidth.type }, String(d.bandwidth.value)) : null,
    d.rtcpMux ? xml('rtcp-mux') : null,
  );
}

const INFO_KINDS = ['active', 'hold', 'unhold', 'mute', 'unmute', 'ringing'] as const;

/** XEP-0167 §7: the session-info payload; undefined for a ping without payload. */
export function readSessionInfo(jingle: Element): SessionInfo | undefined {
  const payload = jingle.getChildElements().find((c) => c.name !== 'reason');
  if (!payload) return undefined;
  if (payload.name === 'screen' && payload.getNS() === NS.screenShare) {
    const { sharing, name } = payload.attrs;
    return { kind: 'screen', sharing: sharing === 'true' || sharing === '1', ...(name ? { name } : {}) };
  }
  const kind = INFO_KINDS.find((k) => k === payload.name);
  if (!kind || payload.getNS() !== NS.rtpInfo) return { kind: 'unsupported', element: payload.name };
  if (kind === 'mute' || kind === 'unmute') {
    const { creator, name } = payload.attrs;
    return {
      kind,
      ...(creator === 'initiator' || creator === 'responder' ? { creator } : {}),
      ...(name ? { name } : {}),
    };
  }
  return { kind };
}

export function sessionInfoElement(info: SessionInfo): Element | null {
  if (info.kind === 'unsupported') return null;
  if (info.kind === 'screen') return xml('screen', { xmlns: NS.screenShare, sharing: String(info.sharing), ...(info.name ? { name: info.name } : {}) });
  const attrs = 'creator' in info ? { creator: info.creator, name: info.name } : {};
  return xml(info.kind, { xmlns: NS.rtpInfo, ...attrs });
}
