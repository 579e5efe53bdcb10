// XEP-0215: reading the server's STUN/TURN list, and choosing what a browser
// can use. Vectors: the XEP's examples and Prosody 0.12's mod_turn_external.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Element, parseXml, xml } from '../src/jingle/index.ts';
import { IqError } from '../src/xmpp/connection.ts';
import {
  chooseIceServers,
  createExternalServices,
  NS_EXTDISCO_1,
  NS_EXTDISCO_2,
  parseServices,
  type ServiceRequester,
} from '../src/xmpp/external-services.ts';

const vector = (name: string) => parseXml(readFileSync(new URL(`./vectors/extdisco/${name}.xml`, import.meta.url), 'utf8').replace(/<!--[\s\S]*?-->/g, '').trim());
const servicesOf = (iq: Element, ns = NS_EXTDISCO_2) => iq.getChild('services', ns)!;
const NOW = Date.parse('2026-12-02T14:00:00Z');

describe('parseServices', () => {
  it('reads every service of the XEP-0215 example', () => {
    const { services, malformed } = parseServices(servicesOf(vector('xep0215-services-result')));
    expect(malformed).toBe(0);
    expect(services.map((s) => `${s.type} ${s.host}:${s.port}/${s.transport}`)).toEqual([
      'stun stun.shakespeare.lit:9998/udp',
      'turn relay.shakespeare.lit:9999/udp',
      'stun 192.0.2.1:8888/udp',
      'turn 192.0.2.1:8889/udp',
      'ftp ftp.shakespeare.lit:20/tcp',
    ]);
    expect(services[1]).toMatchObject({ username: 'nb78932lkjlskjfdb7g8', password: 'jj929jkj5sadjfj93v3n', restricted: false });
  });

  it('reads Prosody’s expiry and restricted flag', () => {
    const { services } = parseServices(servicesOf(vector('prosody-0.12-turn-external')));
    expect(services[2]).toMatchObject({ type: 'turn', expires: Date.parse('2026-12-02T15:07:35Z'), restricted: true, username: '1796224055' });
  });

  it('reads the older namespace the same way', () => {
    const el = xml('services', { xmlns: NS_EXTDISCO_1 }, xml('service', { type: 'stun', host: 'stun.example.org', port: '3478' }));
    expect(parseServices(el).services).toEqual([{ type: 'stun', host: 'stun.example.org', port: 3478, restricted: false }]);
  });

  it('leaves out and counts entries without a type or host, or with a bad port or expiry', () => {
    const el = xml(
      'services',
      { xmlns: NS_EXTDISCO_2 },
      xml('service', { type: 'stun' }),
      xml('service', { host: 'a.example' }),
      xml('service', { type: 'turn', host: 'b.example', port: 'abc' }),
      xml('service', { type: 'turn', host: 'c.example', port: '70000' }),
      xml('service', { type: 'turn', host: 'd.example', expires: 'tomorrow' }),
      xml('service', { type: 'STUN', host: 'e.example', transport: 'UDP' }),
    );
    const { services, malformed } = parseServices(el);
    expect(malformed).toBe(5);
    expect(services).toEqual([{ type: 'stun', host: 'e.example', transport: 'udp', restricted: false }]);
  });
});

describe('chooseIceServers', () => {
  it('gives the browser the XEP example’s STUN and TURN servers, not its FTP server', () => {
    const choice = chooseIceServers(parseServices(servicesOf(vector('xep0215-services-result'))).services, NOW, NS_EXTDISCO_2);
    expect(choice.iceServers).toEqual([
      { urls: 'stun:stun.shakespeare.lit:9998' },
      { urls: 'turn:relay.shakespeare.lit:9999?transport=udp', username: 'nb78932lkjlskjfdb7g8', credential: 'jj929jkj5sadjfj93v3n' },
      { urls: 'stun:192.0.2.1:8888' },
      { urls: 'turn:192.0.2.1:8889?transport=udp', username: 'auu98sjl2wk3e9fjdsl7', credential: '93jn3bakj9s832lrjbbz' },
    ]);
    expect(choice.relays).toBe(2);
    expect(choice.skipped).toEqual([{ service: 'ftp ftp.shakespeare.lit:20/tcp', why: 'not a STUN or TURN service' }]);
  });

  it('takes Prosody’s TURN over UDP and TCP, and leaves out STUN over TCP', () => {
    const choice = chooseIceServers(parseServices(servicesOf(vector('prosody-0.12-turn-external'))).services, NOW, NS_EXTDISCO_2);
    expect(choice.iceServers.map((s) => s.urls)).toEqual(['stun:127.0.0.1:33478', 'turn:127.0.0.1:33478?transport=udp', 'turn:127.0.0.1:33478?transport=tcp']);
    expect(choice.skipped).toEqual([{ service: 'stun 127.0.0.1:33478/tcp', why: 'browsers ask STUN over UDP only' }]);
    expect(choice.expires).toBe(Date.parse('2026-12-02T15:07:35Z'));
  });

  it('leaves out expired credentials, TURN without credentials and TURN over DTLS; brackets IPv6', () => {
    const services = parseServices(
      xml(
        'services',
        { xmlns: NS_EXTDISCO_2 },
        xml('service', { type: 'turn', host: 'old.example', username: 'u', password: 'p', expires: '2026-12-02T13:59:59Z' }),
        xml('service', { type: 'turn', host: 'open.example', port: '3478' }),
        xml('service', { type: 'turns', host: 'dtls.example', transport: 'udp', username: 'u', password: 'p' }),
        xml('service', { type: 'turns', host: 'tls.example', username: 'u', password: 'p' }),
        xml('service', { type: 'turn', host: '2001:db8::1', port: '3478', transport: 'tcp', username: 'u', password: 'p' }),
        xml('service', { type: 'turn', host: 'x.example', transport: 'sctp', username: 'u', password: 'p' }),
      ),
    ).services;
    const choice = chooseIceServers(services, NOW, NS_EXTDISCO_2);
    expect(choice.iceServers.map((s) => s.urls)).toEqual(['turns:tls.example:5349?transport=tcp', 'turn:[2001:db8::1]:3478?transport=tcp']);
    expect(choice.skipped.map((s) => s.why)).toEqual([
      'its credentials have expired',
      'TURN without credentials',
      'browsers cannot use TURN over DTLS',
      'unknown transport sctp',
    ]);
  });
});

/** A server that answers XEP-0215 with `answers[ns]`, or an error where there is none. */
function server(answers: Partial<Record<string, (iq: Element) => Element>>): ServiceRequester & { asked: string[] } {
  const asked: string[] = [];
  return {
    jid: 'bard@shakespeare.lit/globe',
    asked,
    async request(iq) {
      const payload = iq.children[0] as Element;
      asked.push(`${iq.attrs.to} ${payload.name} ${payload.attrs.xmlns}`);
      const answer = answers[`${payload.name} ${payload.attrs.xmlns}`];
      if (!answer) throw new IqError('service-unavailable');
      return answer(iq);
    },
  };
}

describe('createExternalServices', () => {
  const xepList = () => vector('xep0215-services-result');

  it('asks the user’s domain with extdisco:2, and falls back to extdisco:1', async () => {
    const older = server({ [`services ${NS_EXTDISCO_1}`]: () => xml('iq', { type: 'result' }, xml('services', { xmlns: NS_EXTDISCO_1 }, xml('service', { type: 'stun', host: 'stun.shakespeare.lit' }))) });
    const choice = await createExternalServices(older, { now: () => NOW }).refresh();
    expect(older.asked).toEqual([`shakespeare.lit services ${NS_EXTDISCO_2}`, `shakespeare.lit services ${NS_EXTDISCO_1}`]);
    expect(choice).toMatchObject({ source: NS_EXTDISCO_1, iceServers: [{ urls: 'stun:stun.shakespeare.lit:3478' }] });
  });

  it('says none when the server has neither', async () => {
    const choice = await createExternalServices(server({}), { now: () => NOW }).refresh();
    expect(choice).toMatchObject({ source: 'none', iceServers: [], relays: 0 });
    expect(choice.unanswered).toBeUndefined();
  });

  it('asks for the credentials of a restricted service listed without them (XEP-0215 §3.3)', async () => {
    const restricted = server({
      [`services ${NS_EXTDISCO_2}`]: () => xml('iq', { type: 'result' }, xml('services', { xmlns: NS_EXTDISCO_2 }, xml('service', { type: 'turn', host: 'turn.shakespeare.lit', restricted: '1' }))),
      [`credentials ${NS_EXTDISCO_2}`]: (iq) => {
        expect((iq.children[0] as Element).getChild('service')!.attrs).toEqual({ host: 'turn.shakespeare.lit', type: 'turn' });
        return vector('xep0215-credentials-result');
      },
    });
    const choice = await createExternalServices(restricted, { now: () => NOW }).refresh();
    expect(choice.iceServers).toEqual([{ urls: 'turn:turn.shakespeare.lit:3478?transport=udp', username: 'nb78932lkjlskjfdb7g8', credential: 'jj929jkj5sadjfj93v3n' }]);
  });

  it('reuses a fresh list for a call, and asks again once it is old or about to expire', async () => {
    let now = NOW;
    let answered = 0;
    const expiring = server({
      [`services ${NS_EXTDISCO_2}`]: () => {
        answered++;
        return vector('prosody-0.12-turn-external');
      },
    });
    const services = createExternalServices(expiring, { now: () => now });
    await services.refresh();
    await services.forCall();
    expect(answered).toBe(1);
    now += 31_000;
    await services.forCall();
    expect(answered).toBe(2);
    // Credentials of the vector expire at 15:07:35; within a minute of that, ask again.
    now = Date.parse('2026-12-02T15:07:00Z');
    await services.refresh();
    await services.forCall();
    expect(answered).toBe(4);
  });

  it('keeps the last valid list when the server does not answer in time, and says so when there is none', async () => {
    let down = false;
    const flaky: ServiceRequester = {
      jid: 'bard@shakespeare.lit/globe',
      async request() {
        if (down) throw new IqError('remote-server-timeout');
        return xepList();
      },
    };
    const services = createExternalServices(flaky, { now: () => NOW });
    down = true;
    expect(await services.refresh()).toMatchObject({ source: 'none', unanswered: true });
    down = false;
    const first = await services.refresh();
    down = true;
    expect(await services.refresh()).toBe(first);
  });

  it('asks once when a call and a refresh ask at the same time', async () => {
    const once = server({ [`services ${NS_EXTDISCO_2}`]: () => xepList() });
    const services = createExternalServices(once, { now: () => NOW });
    const [a, b] = await Promise.all([services.refresh(), services.forCall()]);
    expect(a).toBe(b);
    expect(once.asked).toHaveLength(1);
  });
});
