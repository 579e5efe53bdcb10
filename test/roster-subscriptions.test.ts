import { describe, expect, it } from 'vitest';
import { type Element, parseXml, xml } from '../src/jingle/index.ts';
import { type Connection, type ConnectionStatus, type IqHandler, IqError } from '../src/xmpp/connection.ts';
import { createRoster } from '../src/xmpp/roster.ts';

// RFC 6121's own cast: Juliet is signed in, Romeo and the Nurse are others.
const JULIET = 'juliet@example.com/balcony';

/** A connection signed in as Juliet, whose server answers roster requests from `items`. */
class FakeConnection implements Connection {
  jid = JULIET;
  status: ConnectionStatus = 'online';
  readonly sent: Element[] = [];
  items = '';
  /** How the server answers our IQs: the roster for a get, an empty result otherwise. */
  answer: (iq: Element) => Promise<Element> = async (iq) =>
    iq.attrs.type === 'get' ? parseXml(`<iq type='result'><query xmlns='jabber:iq:roster'>${this.items}</query></iq>`) : xml('iq', { type: 'result' });
  private readonly sets = new Map<string, IqHandler>();
  private readonly stanzaListeners: ((stanza: Element) => void)[] = [];

  send = async (stanza: Element) => void this.sent.push(stanza);
  request = async (iq: Element) => {
    this.sent.push(iq);
    return this.answer(iq);
  };
  handleIqSet(xmlns: string, name: string, handler: IqHandler) {
    this.sets.set(`${xmlns} ${name}`, handler);
  }
  handleIqGet() {}
  on = ((event: string, listener: (stanza: Element) => void) => {
    if (event === 'stanza') this.stanzaListeners.push(listener);
    return () => undefined;
  }) as Connection['on'];
  async stop() {}

  /** A presence or message from the network. */
  deliver(stanza: string): void {
    for (const listener of this.stanzaListeners) listener(parseXml(stanza.trim()));
  }
  /** An IQ set from the network, and our answer to it. */
  receive(iq: string): Element | true {
    const element = parseXml(iq.trim());
    const query = element.getChildElements()[0];
    const handler = this.sets.get(`${query?.getNS()} ${query?.name}`);
    if (!handler) throw new Error('no handler');
    return handler(element);
  }
  /** What we sent since the last look, one line each. */
  take(): string[] {
    return this.sent.splice(0).map((s) => s.toString());
  }
}

async function juliet(items = '') {
  const connection = new FakeConnection();
  connection.items = items;
  const roster = createRoster(connection);
  let changes = 0;
  roster.onChange(() => changes++);
  await roster.start();
  connection.take();
  return { connection, roster, changes: () => changes };
}

const subscription = (roster: ReturnType<typeof createRoster>, jid: string) => roster.contacts.find((c) => c.jid === jid)?.subscription;

describe('roster pushes (RFC 6121 §2.1.6)', () => {
  // RFC 6121 Example: the server pushes the item Juliet added.
  const PUSH = `<iq id='a78b4q6ha463' type='set'><query xmlns='jabber:iq:roster'><item jid='nurse@example.com' name='Nurse'/></query></iq>`;

  it('adds the item a push from our server carries, and answers with a result', async () => {
    const { connection, roster, changes } = await juliet();
    const before = changes();
    expect(connection.receive(PUSH)).toBe(true);
    expect(roster.contacts.map((c) => [c.jid, c.name, c.subscription])).toEqual([['nurse@example.com', 'Nurse', 'none']]);
    expect(changes()).toBe(before + 1);
  });

  it('takes a push from our own bare JID or our server’s domain', async () => {
    const { connection, roster } = await juliet();
    expect(connection.receive(PUSH.replace("type='set'", "type='set' from='juliet@example.com'"))).toBe(true);
    expect(connection.receive(`<iq type='set' from='example.com'><query xmlns='jabber:iq:roster'><item jid='romeo@example.net' subscription='both'/></query></iq>`)).toBe(true);
    expect(roster.contacts.map((c) => c.jid)).toEqual(['nurse@example.com', 'romeo@example.net']);
  });

  it('updates a contact and removes one the push says is removed', async () => {
    const { connection, roster } = await juliet(`<item jid='romeo@example.net' subscription='to' name='Romeo'/><item jid='nurse@example.com' subscription='both'/>`);
    connection.receive(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='romeo@example.net' subscription='both' name='Romeo Montague'/></query></iq>`);
    connection.receive(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='nurse@example.com' subscription='remove'/></query></iq>`);
    expect(roster.contacts.map((c) => [c.jid, c.name, c.subscription])).toEqual([['romeo@example.net', 'Romeo Montague', 'both']]);
  });

  it('refuses a push from someone else, changing nothing', async () => {
    const { connection, roster } = await juliet();
    const answer = connection.receive(PUSH.replace("type='set'", "type='set' from='romeo@example.net/orchard'"));
    expect(answer).not.toBe(true);
    expect((answer as Element).getChild('service-unavailable', 'urn:ietf:params:xml:ns:xmpp-stanzas')).toBeDefined();
    expect(roster.contacts).toEqual([]);
  });

  it('refuses a push from another device of our own account', async () => {
    const { connection, roster } = await juliet();
    expect(connection.receive(PUSH.replace("type='set'", "type='set' from='juliet@example.com/chamber'"))).not.toBe(true);
    expect(roster.contacts).toEqual([]);
  });

  it('answers a malformed push without throwing, and keeps nothing of it', async () => {
    const { connection, roster } = await juliet();
    for (const item of [`<item/>`, `<item jid=''/>`, `<item jid='not a jid'/>`, `<item jid='romeo@example.net/orchard'/>`, `<other jid='romeo@example.net'/>`]) {
      expect(connection.receive(`<iq type='set'><query xmlns='jabber:iq:roster'>${item}</query></iq>`)).toBe(true);
    }
    expect(roster.contacts).toEqual([]);
  });
});

describe('subscription requests (RFC 6121 §3.1.3)', () => {
  it('lists who asks to see our presence, by bare JID, once however often they ask', async () => {
    const { connection, roster, changes } = await juliet();
    connection.deliver(`<presence from='romeo@example.net/orchard' type='subscribe'/>`);
    connection.deliver(`<presence from='romeo@example.net' type='subscribe'/>`);
    connection.deliver(`<presence from='nurse@example.com' type='subscribe'/>`);
    expect(roster.requests).toEqual(['romeo@example.net', 'nurse@example.com']);
    expect(changes()).toBe(3);
  });

  it('lists a contact already in the roster who asks', async () => {
    const { connection, roster } = await juliet(`<item jid='romeo@example.net' subscription='to'/>`);
    connection.deliver(`<presence from='romeo@example.net' type='subscribe'/>`);
    expect(roster.requests).toEqual(['romeo@example.net']);
  });

  it('drops a request its sender withdraws before we answer', async () => {
    const { connection, roster } = await juliet();
    connection.deliver(`<presence from='romeo@example.net' type='subscribe'/>`);
    connection.deliver(`<presence from='romeo@example.net/orchard' type='unsubscribe'/>`);
    expect(roster.requests).toEqual([]);
  });

  it('ignores a request from ourselves, from no one or from what is no JID', async () => {
    const { connection, roster, changes } = await juliet();
    const before = changes();
    connection.deliver(`<presence from='juliet@example.com/chamber' type='subscribe'/>`);
    connection.deliver(`<presence type='subscribe'/>`);
    connection.deliver(`<presence from='not a jid' type='subscribe'/>`);
    connection.deliver(`<presence from='romeo@' type='subscribe'/>`);
    expect(roster.requests).toEqual([]);
    expect(changes()).toBe(before);
  });

  it('does not take a request for a device coming online', async () => {
    const { connection, roster } = await juliet(`<item jid='romeo@example.net' subscription='both'/>`);
    connection.deliver(`<presence from='romeo@example.net/orchard' type='subscribe'/>`);
    expect(roster.contacts[0]!.resources).toEqual([]);
  });

  it('forgets a request answered from another of our devices', async () => {
    const { connection, roster } = await juliet();
    connection.deliver(`<presence from='romeo@example.net' type='subscribe'/>`);
    connection.receive(`<iq type='set'><query xmlns='jabber:iq:roster'><item jid='romeo@example.net' subscription='from'/></query></iq>`);
    expect(roster.requests).toEqual([]);
  });

  it('starts afresh on a new session, where the server delivers the unanswered ones again', async () => {
    const { connection, roster } = await juliet();
    connection.deliver(`<presence from='romeo@example.net' type='subscribe'/>`);
    await roster.start();
    expect(roster.requests).toEqual([]);
    connection.deliver(`<presence from='romeo@example.net' type='subscribe'/>`);
    expect(roster.requests).toEqual(['romeo@example.net']);
  });
});

describe('answering a request (RFC 6121 §3.1.4)', () => {
  it('approves, and asks back to see the presence of someone we do not see yet', async () => {
    const { connection, roster, changes } = await juliet();
    connection.deliver(`<presence from='romeo@example.net/orchard' type='subscribe'/>`);
    const before = changes();
    await roster.approve('romeo@example.net');
    expect(connection.take()).toEqual([
      `<presence to="romeo@example.net" type="subscribed"/>`,
      `<presence to="romeo@example.net" type="subscribe"/>`,
    ]);
    expect(roster.requests).toEqual([]);
    expect(changes()).toBe(before + 1);
  });

  it('approves without asking back when we see their presence already', async () => {
    const { connection, roster } = await juliet(`<item jid='romeo@example.net' subscription='to'/>`);
    connection.deliver(`<presence from='romeo@example.net' type='subscribe'/>`);
    await roster.approve('romeo@example.net');
    expect(connection.take()).toEqual([`<presence to="romeo@example.net" type="subscribed"/>`]);
  });

  it('denies with an unsubscribed', async () => {
    const { connection, roster } = await juliet();
    connection.deliver(`<presence from='romeo@example.net' type='subscribe'/>`);
    connection.deliver(`<presence from='nurse@example.com' type='subscribe'/>`);
    await roster.deny('romeo@example.net/orchard');
    expect(connection.take()).toEqual([`<presence to="romeo@example.net" type="unsubscribed"/>`]);
    expect(roster.requests).toEqual(['nurse@example.com']);
  });

  it('keeps the request when the answer could not be sent', async () => {
    const { connection, roster } = await juliet();
    connection.deliver(`<presence from='romeo@example.net' type='subscribe'/>`);
    connection.send = async () => {
      throw new Error('stream down');
    };
    await expect(roster.approve('romeo@example.net')).rejects.toThrow('stream down');
    expect(roster.requests).toEqual(['romeo@example.net']);
  });
});

describe('adding a contact', () => {
  it('sets the roster item, then asks to see their presence (RFC 6121 §2.3, §3.1.1)', async () => {
    const { connection, roster } = await juliet();
    await roster.add('nurse@example.com/chamber', ' Nurse ');
    const [set, subscribe] = connection.take();
    expect(set).toMatch(/^<iq type="set"[^>]*><query xmlns="jabber:iq:roster"><item jid="nurse@example.com" name="Nurse"\/><\/query><\/iq>$/);
    expect(subscribe).toBe(`<presence to="nurse@example.com" type="subscribe"/>`);
  });

  it('leaves the name out when none is given', async () => {
    const { connection, roster } = await juliet();
    await roster.add('nurse@example.com', '  ');
    expect(connection.take()[0]).toContain(`<item jid="nurse@example.com"/>`);
  });

  it('refuses what is not a JID, sending nothing', async () => {
    const { connection, roster } = await juliet();
    await expect(roster.add('not a jid')).rejects.toMatchObject({ name: 'IqError', condition: 'jid-malformed' });
    expect(connection.take()).toEqual([]);
  });

  it('does not ask for a subscription when the server refuses the item', async () => {
    const { connection, roster } = await juliet();
    connection.answer = async () => {
      throw new IqError('not-allowed');
    };
    await expect(roster.add('nurse@example.com')).rejects.toMatchObject({ condition: 'not-allowed' });
    expect(connection.take().filter((s) => s.startsWith('<presence'))).toEqual([]);
  });
});

describe('our own presence', () => {
  const CAPS = () => xml('c', { xmlns: 'http://jabber.org/protocol/caps', hash: 'sha-1', node: 'https://jinglelab.example', ver: 'abc=' });

  it('is announced after the roster loads, with the children given (RFC 6121 §4.2)', async () => {
    const connection = new FakeConnection();
    await createRoster(connection).start([CAPS()]);
    expect(connection.take().at(-1)).toBe(`<presence><c xmlns="http://jabber.org/protocol/caps" hash="sha-1" node="https://jinglelab.example" ver="abc="/></presence>`);
  });

  it('says away or busy with a status message, keeping the children given to start()', async () => {
    const connection = new FakeConnection();
    const roster = createRoster(connection);
    await roster.start([CAPS()]);
    connection.take();
    await roster.setPresence('dnd', ' In a meeting ');
    expect(connection.take()).toEqual([
      `<presence><show>dnd</show><status>In a meeting</status><c xmlns="http://jabber.org/protocol/caps" hash="sha-1" node="https://jinglelab.example" ver="abc="/></presence>`,
    ]);
  });

  it('has no <show/> when available, and no <status/> when the message is empty', async () => {
    const { connection, roster } = await juliet();
    await roster.setPresence('away', 'Back soon');
    await roster.setPresence('available', '');
    expect(connection.take()).toEqual([`<presence><show>away</show><status>Back soon</status></presence>`, `<presence/>`]);
  });

  it('carries new children, once given, from the next presence on', async () => {
    const { connection, roster } = await juliet();
    const photo = xml('x', { xmlns: 'vcard-temp:x:update' }, xml('photo', {}, '01b87fcd030b72895ff8e88db57ec525450f000d'));
    roster.setPresenceChildren([CAPS(), photo]);
    expect(connection.take()).toEqual([]);
    await roster.setPresence('available', '');
    expect(connection.take()).toEqual([
      `<presence><c xmlns="http://jabber.org/protocol/caps" hash="sha-1" node="https://jinglelab.example" ver="abc="/><x xmlns="vcard-temp:x:update"><photo>01b87fcd030b72895ff8e88db57ec525450f000d</photo></x></presence>`,
    ]);
  });

  it('stays as chosen when announced again on a new session', async () => {
    const { connection, roster } = await juliet();
    await roster.setPresence('away', 'Back soon');
    connection.take();
    await roster.start([CAPS()]);
    expect(connection.take().at(-1)).toBe(`<presence><show>away</show><status>Back soon</status><c xmlns="http://jabber.org/protocol/caps" hash="sha-1" node="https://jinglelab.example" ver="abc="/></presence>`);
  });
});

describe('a big roster', () => {
  const ITEMS = Array.from({ length: 1000 }, (_, i) => `<item jid='c${i}@example.net' name='Contact ${String(i).padStart(4, '0')}' subscription='both'/>`).join('');

  it('hands out the same contacts and requests while nothing changed', async () => {
    const { roster } = await juliet(ITEMS);
    expect(roster.contacts).toBe(roster.contacts);
    expect(roster.requests).toBe(roster.requests);
  });

  it('makes anew only the contact whose device came online, keeping the others and the order', async () => {
    const { connection, roster } = await juliet(ITEMS);
    const before = roster.contacts;
    connection.deliver(`<presence from='c500@example.net/phone'><show>away</show></presence>`);
    const after = roster.contacts;
    expect(after).not.toBe(before);
    expect(after.map((c) => c.jid)).toEqual(before.map((c) => c.jid));
    const changed = after.filter((c, i) => c !== before[i]);
    expect(changed.map((c) => [c.jid, c.resources.map((r) => `${r.jid} ${r.show}`)])).toEqual([['c500@example.net', ['c500@example.net/phone away']]]);
  });

  it('takes many presences into one new list, each of those contacts new once', async () => {
    const { connection, roster } = await juliet(ITEMS);
    const before = roster.contacts;
    for (let i = 0; i < 200; i++) connection.deliver(`<presence from='c${i * 5}@example.net/phone'/>`);
    const after = roster.contacts;
    expect(after.filter((c, i) => c !== before[i])).toHaveLength(200);
    expect(roster.contacts).toBe(after);
  });

  it('lists a new request as soon as it comes', async () => {
    const { connection, roster } = await juliet(ITEMS);
    const before = roster.requests;
    connection.deliver(`<presence from='romeo@example.net' type='subscribe'/>`);
    expect(roster.requests).not.toBe(before);
    expect(roster.requests).toEqual(['romeo@example.net']);
  });
});
