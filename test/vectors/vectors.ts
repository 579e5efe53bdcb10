// The XEP example stanzas in test/vectors/xep/, read as the tests use them.
// Loaded from text so that Node (fs) and the browser (Vite ?raw) share this.
import { type Element, type Jingle, JingleError, NS, type Content, parseXml, readJingle, xml } from '../../src/jingle/index.ts';

export interface Vector {
  name: string;
  /** The <jingle/> element, wrapped into one where the XEP shows only a fragment. */
  jingle: Element;
  /** The parsed model, or the typed error the parser gave. */
  read: Jingle | JingleError;
}

const stripComments = (text: string) => text.replace(/<!--[\s\S]*?-->/g, '').trim();

/**
 * Known errors of the XEPs themselves, each corrected here (the verbatim copy
 * stays in the vector file):
 * - XEP-0339's content uses the namespace 'http://jabber.org/protocols/jingle'
 *   (neither the current nor the legacy one): read as urn:xmpp:jingle:1.
 * - XEP-0167's content-add/accept/reject use ice-udp:0: read as ice-udp:1.
 * - XEP-0293's raw-UDP example closes <jingle> before its attributes: only its
 *   descriptions are used.
 */
function correct(name: string, text: string): string {
  let fixed = text.replace(/http:\/\/jabber\.org\/protocols\/jingle/g, NS.jingle).replace(/urn:xmpp:jingle:transports:ice-udp:0/g, NS.iceUdp);
  if (name === 'xep0293-session-initiate-rtcp-fb-raw-udp') {
    const descriptions = fixed.match(/<description[\s\S]*?<\/description>/g) ?? [];
    fixed = `<jingle xmlns='${NS.jingle}' action='session-initiate' sid='rtcpfb'>${descriptions
      .map((d, i) => `<content creator='initiator' name='m${i}'>${d}</content>`)
      .join('')}</jingle>`;
  }
  return fixed;
}

/** Wraps a bare <description/> or <content/> into a session-initiate. */
function asJingle(root: Element): Element {
  if (root.name === 'iq') return root.getChild('jingle', NS.jingle) ?? root.getChildElements()[0]!;
  if (root.is('jingle', NS.jingle)) return root;
  const content = root.name === 'content' ? root : xml('content', { creator: 'initiator', name: root.attrs.media ?? 'x' }, root);
  return xml('jingle', { xmlns: NS.jingle, action: 'session-initiate', sid: 'fragment' }, content);
}

export function loadVectors(files: Record<string, string>): Vector[] {
  return Object.entries(files)
    .filter(([name]) => !name.startsWith('xep0353'))
    .map(([name, text]) => {
      const jingle = asJingle(parseXml(correct(name, stripComments(text))));
      let read: Jingle | JingleError;
      try {
        read = readJingle(jingle);
      } catch (err) {
        if (!(err instanceof JingleError)) throw err;
        read = err;
      }
      return { name, jingle, read };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Vectors whose contents describe RTP media: what becomes SDP. */
export const describesMedia = (v: Vector): v is Vector & { read: Jingle } =>
  !(v.read instanceof JingleError) &&
  ['session-initiate', 'session-accept', 'content-add', 'content-accept'].includes(v.read.action) &&
  v.read.contents.some((c) => c.description && c.description.payloadTypes.length > 0);

/**
 * WebRTC requires ICE credentials and DTLS-SRTP (RFC 8827): the XEP examples
 * that predate XEP-0320 carry neither, and the ones that describe only a
 * <description/> have no transport at all. This completes a copy with
 * placeholder credentials, a fingerprint and rtcp-mux; everything else is the XEP's.
 */
export function completeForWebRtc(jingle: Jingle, setup: 'actpass' | 'active'): Jingle {
  const contents: Content[] = jingle.contents
    .filter((c) => c.description && c.description.payloadTypes.length > 0)
    .map((c) => {
      const t = c.transport ?? { fingerprints: [], candidates: [] };
      return {
        ...c,
        // WebRTC also requires rtcp-mux (RFC 8834 §4.5), which the older examples do not say.
        description: { ...c.description!, rtcpMux: true },
        transport: {
          ...t,
          ufrag: t.ufrag ?? 'xepU',
          pwd: t.pwd ?? 'xepPasswordOfTwentyTwoChars',
          fingerprints: t.fingerprints.length ? t.fingerprints.map((f) => ({ ...f, setup: f.setup ?? setup })) : [{ hash: 'sha-256', setup, value: Array(32).fill('AB').join(':') }],
        },
      };
    });
  return { ...jingle, contents };
}
