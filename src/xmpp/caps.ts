// XEP-0115 Entity Capabilities 1.6 and XEP-0030 disco#info: what we can do,
// told in every presence, and what each contact's device can do, asked once
// per capabilities hash.
import { type Connection, type Element, xml } from './connection.ts';
import { parseJid } from './jid.ts';

const NS_CAPS = 'http://jabber.org/protocol/caps';
const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
/** Our XEP-0115 node: a URI naming this software. */
export const CAPS_NODE = 'urn:x-jingle-lab:client';

export interface Identity {
  category: string;
  type: string;
  name?: string;
  lang?: string;
}

export interface DiscoInfo {
  identities: Identity[];
  features: string[];
}

/** XEP-0115 §5.1: the verification string's SHA-1, base64 (no data forms: we send none). */
export async function capsHash(info: DiscoInfo): Promise<string> {
  const identities = [...info.identities]
    .map((i) => `${i.category}/${i.type}/${i.lang ?? ''}/${i.name ?? ''}<`)
    .sort();
  const features = [...new Set(info.features)].sort().map((f) => `${f}<`);
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode([...identities, ...features].join('')));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

function readDiscoInfo(query: Element | undefined): DiscoInfo | undefined {
  if (!query) return undefined;
  return {
    identities: query.getChildren('identity').map((i) => ({
      category: i.attrs.category ?? '',
      type: i.attrs.type ?? '',
      ...(i.attrs.name ? { name: i.attrs.name } : {}),
      ...(i.attrs['xml:lang'] ? { lang: i.attrs['xml:lang'] } : {}),
    })),
    features: query.getChildren('feature').map((f) => f.attrs.var ?? '').filter(Boolean),
  };
}

export interface Caps {
  /** The <c/> element for our presence. */
  presenceElement(): Promise<Element>;
  /** What a device (full JID) can do; undefined while unknown. */
  featuresOf(jid: string): ReadonlySet<string> | undefined;
  onChange(listener: () => void): () => void;
}

export function createCaps(connection: Connection, own: DiscoInfo): Caps {
  const ownInfo: DiscoInfo = { ...own, features: [...new Set([...own.features, NS_DISCO_INFO, NS_CAPS])] };
  const ownVer = capsHash(ownInfo);
  const byVer = new Map<string, ReadonlySet<string>>();
  const byJid = new Map<string, ReadonlySet<string>>();
  const verOfJid = new Map<string, string>();
  const asking = new Set<string>();
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());

  connection.handleIqGet(NS_DISCO_INFO, 'query', (iq) => {
    const node = iq.getChild('query', NS_DISCO_INFO)?.attrs.node;
    return xml(
      'query',
      { xmlns: NS_DISCO_INFO, ...(node ? { node } : {}) },
      ownInfo.identities.map((i) => xml('identity', { category: i.category, type: i.type, name: i.name })),
      ownInfo.features.map((f) => xml('feature', { var: f })),
    );
  });

  async function learn(jid: string, node: string | undefined, ver: string | undefined): Promise<void> {
    const key = ver ?? jid;
    if (asking.has(key)) return;
    asking.add(key);
    try {
      const query = xml('query', { xmlns: NS_DISCO_INFO, ...(node && ver ? { node: `${node}#${ver}` } : {}) });
      const reply = await connection.request(xml('iq', { type: 'get', to: jid }, query), 10_000);
      const info = readDiscoInfo(reply.getChild('query', NS_DISCO_INFO));
      if (!info) return;
      const features = new Set(info.features);
      byJid.set(jid, features);
      // XEP-0115 §5.4: cache by hash only what hashes to it.
      if (ver && (await capsHash(info)) === ver) byVer.set(ver, features);
      changed();
    } catch {
      // No answer: the device stays without known features, and gets no call button.
    } finally {
      asking.delete(key);
    }
  }

  connection.on('stanza', (stanza) => {
    if (stanza.name !== 'presence') return;
    const from = parseJid(stanza.attrs.from ?? '');
    if (!from?.resource || from.full === connection.jid) return;
    if (stanza.attrs.type === 'unavailable') {
      byJid.delete(from.full);
      verOfJid.delete(from.full);
      return;
    }
    if (stanza.attrs.type) return;
    const c = stanza.getChild('c', NS_CAPS);
    const ver = c?.attrs.hash === 'sha-1' ? c.attrs.ver : undefined;
    const previous = verOfJid.get(from.full);
    if (ver) verOfJid.set(from.full, ver);
    if (ver && byVer.has(ver)) {
      changed();
      return;
    }
    if (!byJid.has(from.full) || ver !== previous) void learn(from.full, c?.attrs.node, ver);
  });

  return {
    async presenceElement() {
      return xml('c', { xmlns: NS_CAPS, hash: 'sha-1', node: CAPS_NODE, ver: await ownVer });
    },
    featuresOf(jid) {
      const ver = verOfJid.get(jid);
      return (ver ? byVer.get(ver) : undefined) ?? byJid.get(jid);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
