import { describe, expect, it } from 'vitest';
import { CALL_FEATURES, supports } from '../src/call/capabilities.ts';
import { parseXml, xml, type Element } from '../src/jingle/index.ts';
import { capsHash, createCaps, type DiscoInfo, KNOWN_HASHES_KEPT, storedHashes } from '../src/xmpp/caps.ts';
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

/** Settles until `done()` holds: an answer's hash is checked with Web Crypto, which takes what it takes on a busy machine. */
async function until(done: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5_000;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await settle();
  }
}

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
      await until(() => caps.featuresOf(`bob@localhost/${resource}`) !== undefined, `what bob@localhost/${resource} supports`);
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

  describe('hashes kept from an earlier visit', () => {
    const peer: DiscoInfo = { identities: [{ category: 'client', type: 'phone' }], features: [...CALL_FEATURES] };
    const memory = () => {
      const items = new Map<string, string>();
      return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
    };
    const presence = (from: string, ver: string) => `<presence from='${from}'><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='${ver}'/></presence>`;

    it('keeps a verified hash, and a later visit knows a device with it at once, asking nothing', async () => {
      const storage = memory();
      const ver = await capsHash(peer);
      const first = fakeConnection(peer);
      const firstCaps = createCaps(first.connection, { identities: [], features: [] }, { known: storedHashes(storage, 'caps') });
      first.deliver(presence('bob@localhost/a', ver));
      await until(() => firstCaps.featuresOf('bob@localhost/a') !== undefined, 'what bob@localhost/a supports');
      expect(first.queries).toHaveLength(1);

      const later = fakeConnection(peer);
      const caps = createCaps(later.connection, { identities: [], features: [] }, { known: storedHashes(storage, 'caps') });
      later.deliver(presence('bob@localhost/phone', ver));
      expect(supports(caps.featuresOf('bob@localhost/phone'), 'video')).toBe('yes');
      await settle();
      expect(later.queries).toEqual([]);
    });

    it('keeps no hash that its answer does not hash to', async () => {
      const storage = memory();
      const { connection, deliver } = fakeConnection(peer);
      createCaps(connection, { identities: [], features: [] }, { known: storedHashes(storage, 'caps') });
      deliver(presence('carol@localhost/x', 'forged='));
      await settle();
      await settle();
      expect(storedHashes(storage, 'caps').load().size).toBe(0);
    });

    it('reads nothing from a damaged store, and keeps only the newest hashes', () => {
      const storage = memory();
      storage.setItem('caps', '{not json');
      expect(storedHashes(storage, 'caps').load().size).toBe(0);
      storage.setItem('caps', JSON.stringify([['ok', ['a']], ['bad', 'x'], [1, []]]));
      expect([...storedHashes(storage, 'caps').load().keys()]).toEqual(['ok']);
      const store = storedHashes(storage, 'caps');
      for (let i = 0; i <= KNOWN_HASHES_KEPT; i++) store.save(`v${i}`, ['f']);
      const kept = store.load();
      expect(kept.size).toBe(KNOWN_HASHES_KEPT);
      expect(kept.has('v0')).toBe(false);
      expect(kept.has(`v${KNOWN_HASHES_KEPT}`)).toBe(true);
    });
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

  describe('a crowd of devices coming online together', () => {
    const presence = (from: string, ver: string) => `<presence from='${from}'><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='${ver}'/></presence>`;
    /** Device `i` says it can make calls, and one thing of its own, so that each has its own hash. */
    const infoOf = (i: number): DiscoInfo => ({ identities: [{ category: 'client', type: 'pc' }], features: [...CALL_FEATURES, `urn:x-test:device:${i}`] });

    /** A connection whose devices answer after a moment, each with `answers(jid)`, counting the queries out at once. */
    function crowdConnection(answers: (jid: string) => DiscoInfo) {
      const stanzaListeners: ((s: Element) => void)[] = [];
      const queries: string[] = [];
      const load = { now: 0, most: 0 };
      const release: (() => void)[] = [];
      const connection = {
        jid: 'alice@localhost/me',
        status: 'online',
        send: async () => undefined,
        request: async (iq: Element) => {
          const to = iq.attrs.to ?? '';
          queries.push(`${to} ${iq.getChild('query')?.attrs.node ?? ''}`);
          load.most = Math.max(load.most, ++load.now);
          await new Promise<void>((resolve) => release.push(resolve));
          load.now--;
          const info = answers(to);
          return xml('iq', { type: 'result' }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' },
            info.identities.map((i) => xml('identity', { category: i.category, type: i.type })),
            info.features.map((f) => xml('feature', { var: f }))));
        },
        handleIqGet: () => undefined,
        handleIqSet: () => undefined,
        on: (event: string, listener: (s: Element) => void) => {
          if (event === 'stanza') stanzaListeners.push(listener);
          return () => undefined;
        },
        stop: async () => undefined,
      } as unknown as Connection;
      /** The devices asked answer, one turn of the event loop later, until no query has come for a few turns. */
      const answerAll = async () => {
        for (let quiet = 0, i = 0; quiet < 5 && i < 2000; i++) {
          quiet = release.length || load.now ? 0 : quiet + 1;
          release.splice(0).forEach((go) => go());
          await settle();
        }
      };
      return { connection, queries, load, answerAll, deliver: (s: string) => stanzaListeners.forEach((l) => l(parseXml(s))) };
    }

    it('asks each of 200 new hashes once, never more than four at a time, in the order they came', async () => {
      const devices = Array.from({ length: 200 }, (_, i) => ({ jid: `c${i}@localhost/phone`, info: infoOf(i) }));
      const vers = await Promise.all(devices.map((d) => capsHash(d.info)));
      const { connection, queries, load, answerAll, deliver } = crowdConnection((jid) => devices.find((d) => d.jid === jid)!.info);
      const caps = createCaps(connection, { identities: [], features: [] });
      devices.forEach((d, i) => deliver(presence(d.jid, vers[i]!)));
      await settle();
      expect(queries).toHaveLength(4);
      await answerAll();
      expect(load.most).toBe(4);
      expect(queries).toEqual(devices.map((d, i) => `${d.jid} n#${vers[i]}`));
      expect(devices.every((d) => supports(caps.featuresOf(d.jid), 'video') === 'yes')).toBe(true);
    });

    it('takes the limit it is given', async () => {
      const { connection, load, answerAll, deliver } = crowdConnection(() => infoOf(0));
      createCaps(connection, { identities: [], features: [] }, { inFlight: 2 });
      for (let i = 0; i < 20; i++) deliver(presence(`c${i}@localhost/phone`, `ver${i}=`));
      await answerAll();
      expect(load.most).toBe(2);
    });

    it('asks a hash that many contacts’ devices share once, though its query waited its turn', async () => {
      const shared = infoOf(999);
      const ver = await capsHash(shared);
      const { connection, queries, answerAll, deliver } = crowdConnection((jid) => (jid.startsWith('s') ? shared : infoOf(Number(jid.slice(1, jid.indexOf('@'))))));
      const caps = createCaps(connection, { identities: [], features: [] });
      // Ten others come first, so the shared hash's first query waits behind them.
      const others = await Promise.all(Array.from({ length: 10 }, async (_, i) => ({ jid: `o${i}@localhost/phone`, ver: await capsHash(infoOf(i)) })));
      others.forEach((o) => deliver(presence(o.jid, o.ver)));
      for (let i = 0; i < 50; i++) deliver(presence(`s${i}@localhost/phone`, ver));
      await answerAll();
      expect(queries.filter((q) => q.endsWith(`#${ver}`))).toEqual([`s0@localhost/phone n#${ver}`]);
      expect(queries).toHaveLength(11);
      for (let i = 0; i < 50; i++) expect(supports(caps.featuresOf(`s${i}@localhost/phone`), 'audio')).toBe('yes');
    });

    it('does not ask a device that went offline while it waited its turn', async () => {
      const { connection, queries, answerAll, deliver } = crowdConnection(() => infoOf(0));
      const caps = createCaps(connection, { identities: [], features: [] });
      for (let i = 0; i < 10; i++) deliver(presence(`c${i}@localhost/phone`, `ver${i}=`));
      await settle();
      deliver(`<presence from='c7@localhost/phone' type='unavailable'/>`);
      await answerAll();
      expect(queries.map((q) => q.split(' ')[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 8, 9].map((i) => `c${i}@localhost/phone`));
      expect(caps.featuresOf('c7@localhost/phone')).toBeUndefined();
    });
  });

  it('tells audio-only devices from video ones, and unknown ones from both', () => {
    const audioOnly = new Set(CALL_FEATURES.filter((f) => !f.endsWith(':video')));
    expect(supports(audioOnly, 'audio')).toBe('yes');
    expect(supports(audioOnly, 'video')).toBe('no');
    expect(supports(undefined, 'audio')).toBe('unknown');
  });
});
