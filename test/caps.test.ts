import { describe, expect, it } from 'vitest';
import { CALL_FEATURES, supports } from '../src/call/capabilities.ts';
import { parseXml, xml, type Element } from '../src/jingle/index.ts';
import { capsHash, createCaps, type DiscoInfo } from '../src/xmpp/caps.ts';
import type { Connection } from '../src/xmpp/connection.ts';

// XEP-0115 §5.2, the simple generation example.
const EXODUS: DiscoInfo = {
  identities: [{ category: 'client', type: 'pc', name: 'Exodus 0.9.1' }],
  features: ['http://jabber.org/protocol/caps', 'http://jabber.org/protocol/disco#info', 'http://jabber.org/protocol/disco#items', 'http://jabber.org/protocol/muc'],
};

function fakeConnection(peerInfo: DiscoInfo) {
  const handlers: Record<string, (iq: Element) => Element | true> = {};
  const stanzaListeners: ((s: Element) => void)[] = [];
  const queries: string[] = [];
  const connection = {
    jid: 'alice@localhost/me',
    status: 'online',
    send: async () => undefined,
    request: async (iq: Element) => {
      queries.push(`${iq.attrs.to} ${iq.getChild('query')?.attrs.node ?? ''}`);
      return xml('iq', { type: 'result' }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' },
        peerInfo.identities.map((i) => xml('identity', { category: i.category, type: i.type, name: i.name })),
        peerInfo.features.map((f) => xml('feature', { var: f }))));
    },
    handleIqGet: (_ns: string, _name: string, handler: (iq: Element) => Element | true) => {
      handlers.get = handler;
    },
    handleIqSet: () => undefined,
    on: (event: string, listener: (s: Element) => void) => {
      if (event === 'stanza') stanzaListeners.push(listener);
      return () => undefined;
    },
    stop: async () => undefined,
  } as unknown as Connection;
  return { connection, handlers, queries, deliver: (s: string) => stanzaListeners.forEach((l) => l(parseXml(s))) };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('XEP-0115 capabilities', () => {
  it('hashes XEP-0115’s own example to its ver', async () => {
    expect(await capsHash(EXODUS)).toBe('QgayPKawpkPSDYmwT/WM94uAlu0=');
  });

  it('answers disco#info with our features, including what a caller checks', () => {
    const { connection, handlers } = fakeConnection(EXODUS);
    createCaps(connection, { identities: [{ category: 'client', type: 'web' }], features: [...CALL_FEATURES] });
    const reply = handlers.get!(parseXml(`<iq type='get' id='1'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`)) as Element;
    const features = reply.getChildren('feature').map((f) => f.attrs.var ?? '');
    expect(supports(new Set(features), 'video')).toBe('yes');
    expect(features).toContain('http://jabber.org/protocol/caps');
  });

  it('asks once per hash, however many devices share it, and trusts only a matching hash', async () => {
    const peer: DiscoInfo = { identities: [{ category: 'client', type: 'phone' }], features: [...CALL_FEATURES] };
    const { connection, queries, deliver } = fakeConnection(peer);
    const caps = createCaps(connection, { identities: [], features: [] });
    const ver = await capsHash(peer);
    for (const resource of ['a', 'b']) {
      deliver(`<presence from='bob@localhost/${resource}'><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='${ver}'/></presence>`);
      await settle();
      await settle();
    }
    expect(queries).toEqual([`bob@localhost/a n#${ver}`]);
    expect(supports(caps.featuresOf('bob@localhost/b'), 'audio')).toBe('yes');

    deliver(`<presence from='carol@localhost/x'><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='forged='/></presence>`);
    await settle();
    await settle();
    deliver(`<presence from='carol@localhost/y'><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='forged='/></presence>`);
    await settle();
    expect(queries.filter((q) => q.startsWith('carol'))).toHaveLength(2);
  });

  it('tells audio-only devices from video ones, and unknown ones from both', () => {
    const audioOnly = new Set(CALL_FEATURES.filter((f) => !f.endsWith(':video')));
    expect(supports(audioOnly, 'audio')).toBe('yes');
    expect(supports(audioOnly, 'video')).toBe('no');
    expect(supports(undefined, 'audio')).toBe('unknown');
  });
});
