// Shared test helpers: fixtures, readable XML, and what an SDP must keep.
import { readFileSync, readdirSync } from 'node:fs';
import { type Element, type Jingle, type Role, jingleElement, parseXml, readJingle } from '../src/jingle/index.ts';
import { type DescriptionModel, type SessionDescription, jingleToSdp, parseSdp, sdpToJingle, writeSdp } from '../src/sdp/index.ts';

export const chromiumFixtures = readdirSync(new URL('./fixtures/chromium/', import.meta.url))
  .filter((f) => f.endsWith('-offer.sdp'))
  .map((f) => f.replace(/-offer\.sdp$/, ''))
  .sort();

export const readFixture = (name: string) => readFileSync(new URL(`./fixtures/chromium/${name}.sdp`, import.meta.url), 'utf8');

/** Indented XML, one element per line, for golden files a person can read. */
export function prettyXml(el: Element, depth = 0): string {
  const pad = '  '.repeat(depth);
  const attrs = Object.entries(el.attrs).map(([k, v]) => ` ${k}="${String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`).join('');
  const elements = el.children.filter((c): c is Element => typeof c !== 'string');
  const text = el.children.filter((c): c is string => typeof c === 'string').join('').trim();
  if (elements.length === 0) return text ? `${pad}<${el.name}${attrs}>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</${el.name}>` : `${pad}<${el.name}${attrs}/>`;
  return [`${pad}<${el.name}${attrs}>`, ...elements.map((c) => prettyXml(c, depth + 1)), `${pad}</${el.name}>`].join('\n');
}

/** SDP → the Jingle that goes on the wire (as text) → parsed back, as a peer reads it. */
export function sdpOverTheWire(sdpText: string, author: Role, action: Jingle['action'] = author === 'initiator' ? 'session-initiate' : 'session-accept'): { wire: Element; received: Jingle } {
  const { contents, groups } = sdpToJingle(parseSdp(sdpText), { author });
  const wire = jingleElement({ action, sid: 'a73sjjvkla37jfea', contents, groups });
  return { wire, received: readJingle(parseXml(wire.toString())) };
}

export function modelToSdp(model: DescriptionModel, author: Role, type: 'offer' | 'answer'): SessionDescription {
  return parseSdp(writeSdp(jingleToSdp(model, { author, type, sessionId: '1', sessionVersion: 1 })));
}

/** What must survive a trip through Jingle, per m-line (sdp-transform objects, not text). */
export function essentials(sdp: SessionDescription) {
  return {
    groups: sdp.groups?.map((g) => `${g.type} ${g.mids}`) ?? [],
    media: sdp.media.map((m) => ({
      type: m.type,
      mid: String(m.mid),
      port0: m.port === 0,
      direction: m.direction ?? 'sendrecv',
      rtcpMux: m.port === 0 ? undefined : m.rtcpMux,
      payloads: m.port === 0 ? [] : String(m.payloads).split(' ').map(Number),
      rtp: m.rtp.map((r) => ({ payload: r.payload, codec: r.codec, rate: r.rate, encoding: r.encoding })),
      fmtp: Object.fromEntries(m.fmtp.map((f) => [f.payload, f.config])),
      rtcpFb: (m.rtcpFb ?? []).map((fb) => `${fb.payload} ${fb.type} ${fb.subtype ?? ''}`.trim()).sort(),
      trrInt: (m.rtcpFbTrrInt ?? []).map((t) => `${t.payload} ${t.value}`).sort(),
      ext: (m.ext ?? []).map((e) => `${e.value} ${e.direction ?? ''} ${e.uri}`),
      extmapAllowMixed: m.port === 0 ? undefined : Boolean(m.extmapAllowMixed ?? sdp.extmapAllowMixed),
      // The stream and track a source belongs to, said at media or source level.
      msid: [...new Set([...(m.msid?.map((x) => `${x.id} ${x.appdata ?? ''}`.trim()) ?? []), ...(m.ssrcs ?? []).filter((s) => s.attribute === 'msid').map((s) => String(s.value).trim())])],
      ssrcs: (m.ssrcs ?? []).filter((s) => s.attribute !== 'msid').map((s) => `${s.id} ${s.attribute}:${s.value}`),
      ssrcGroups: (m.ssrcGroups ?? []).map((g) => `${g.semantics} ${g.ssrcs}`),
      bandwidth: (m.bandwidth ?? []).map((b) => `${b.type}:${b.limit}`),
      fingerprint: m.port === 0 ? undefined : `${(m.fingerprint ?? sdp.fingerprint)?.type} ${(m.fingerprint ?? sdp.fingerprint)?.hash}`,
      setup: m.port === 0 ? undefined : m.setup ?? sdp.setup,
      ufrag: m.port === 0 ? undefined : m.iceUfrag ?? sdp.iceUfrag,
      pwd: m.port === 0 ? undefined : m.icePwd ?? sdp.icePwd,
      candidates: (m.candidates ?? [])
        .filter((c) => c.transport.toLowerCase() === 'udp')
        .map((c) => `${c.foundation} ${c.component} udp ${c.priority} ${c.ip} ${c.port} ${c.type} ${c.raddr ?? ''} ${c.rport ?? ''}`.trim()),
    })),
  };
}
