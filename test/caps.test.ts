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

/** A connection whose disco#info gets the peer's answer, except from `silent` devices: those time out. */
function fakeConnection(peerInfo: DiscoInfo, silent: ReadonlySet<string> = new Set()) {
  const handlers: Record<string, (iq: Element) => Element | true> = {};
  const stanzaListeners: ((s: Element) => void)[] = [];
  const queries: string[] = [];
  const connection = {
    jid: 'alice@localhost/me',
    status: 'online',
    send: async () => undefined,
    request: async (iq: Element, timeoutMs = 30_000) => {
      queries.push(`${iq.attrs.to} ${iq.getChild('query')?.attrs.node ?? ''}`);
      if (silent.has(iq.attrs.to ?? '')) await new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs));
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

  describe('a device that never answers', () => {
    const peer: DiscoInfo = { identities: [{ category: 'client', type: 'phone' }], features: [...CALL_FEATURES] };
    const presence = (from: string, ver: string) => `<presence from='${from}'><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='${ver}'/></presence>`;
    const until = async (condition: () => boolean) => {
      for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
      expect(condition()).toBe(true);
    };

    it('is asked once more after its deadline, then counts as silent', async () => {
      const { connection, queries, deliver } = fakeConnection(peer, new Set(['bob@localhost/crashed']));
      const caps = createCaps(connection, { identities: [], features: [] }, { deadlineMs: 10 });
      deliver(presence('bob@localhost/crashed', await capsHash(peer)));
      expect(caps.isSilent('bob@localhost/crashed')).toBe(false);
      await until(() => caps.isSilent('bob@localhost/crashed'));
      expect(queries.filter((q) => q.startsWith('bob@localhost/crashed'))).toHaveLength(2);
      expect(caps.featuresOf('bob@localhost/crashed')).toBeUndefined();
    });

    it('holds up no new device of the same contact, whatever its hash', async () => {
      const { connection, queries, deliver } = fakeConnection(peer, new Set(['bob@localhost/crashed']));
      const caps = createCaps(connection, { identities: [], features: [] }, { deadlineMs: 60_000 });
      const ver = await capsHash(peer);
      deliver(presence('bob@localhost/crashed', ver));
      await settle();
      deliver(presence('bob@localhost/new', ver));
      await until(() => supports(caps.featuresOf('bob@localhost/new'), 'video') === 'yes');
      expect(queries).toEqual([`bob@localhost/crashed n#${ver}`, `bob@localhost/new n#${ver}`]);
    });

    it('holds up another contact’s device with the same hash only until its deadline', async () => {
      const { connection, queries, deliver } = fakeConnection(peer, new Set(['bob@localhost/crashed']));
      const caps = createCaps(connection, { identities: [], features: [] }, { deadlineMs: 20 });
      const ver = await capsHash(peer);
      deliver(presence('bob@localhost/crashed', ver));
      await settle();
      deliver(presence('carol@localhost/laptop', ver));
      await settle();
      // XEP-0115: the hash is being asked already, so Carol's device is not asked yet.
      expect(queries).toEqual([`bob@localhost/crashed n#${ver}`]);
      await until(() => supports(caps.featuresOf('carol@localhost/laptop'), 'audio') === 'yes');
      expect(queries).toContain(`carol@localhost/laptop n#${ver}`);
      // Once Carol's answer is cached under the hash, the silent device shares it.
      expect(supports(caps.featuresOf('bob@localhost/crashed'), 'audio')).toBe('yes');
      expect(caps.isSilent('bob@localhost/crashed')).toBe(false);
    });
  });

  it('tells audio-only devices from video ones, and unknown ones from both', () => {
    const audioOnly = new Set(CALL_FEATURES.filter((f) => !f.endsWith(':video')));
    expect(supports(audioOnly, 'audio')).toBe('yes');
    expect(supports(audioOnly, 'video')).toBe('no');
    expect(supports(undefined, 'audio')).toBe('unknown');
  });
});
