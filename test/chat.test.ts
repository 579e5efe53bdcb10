import { describe, expect, it } from 'vitest';
import { type Element, parseXml } from '../src/jingle/index.ts';
import { type ChatConnection, type ChatOptions, createChat, MAX_BODY_LENGTH } from '../src/xmpp/chat.ts';
import type { Connection } from '../src/xmpp/connection.ts';
import { FakeSignalling } from './fakes.ts';

// What createChat needs, the app's Connection has.
const _connectionIsEnough: ChatConnection = {} as Connection;

const NOW = Date.parse('2024-05-01T12:00:00Z');

/** Ids handed out in this order, then id-1, id-2… */
function ids(...first: string[]): () => string {
  let n = 0;
  return () => first.shift() ?? `id-${++n}`;
}

/**
 * Chat over a fake connection signed in as `jid`, so that the XEPs' examples
 * are delivered as they are written.
 */
function lab(jid: string, options: ChatOptions = {}) {
  const signalling = Object.defineProperty(new FakeSignalling(), 'jid', { value: jid });
  const time = { now: NOW };
  const chat = createChat(signalling, { clock: { now: () => time.now }, newId: ids(), ...options });
  const deliver = (stanza: string) => signalling.deliver(stanza.trim());
  const changes: string[] = [];
  chat.onChange((bare) => changes.push(bare));
  /** The archive answers a query: these result messages, then the IQ result with its <fin/>. */
  const archiveHolds = (results: string[], fin = FIN) => {
    signalling.answer = async () => {
      for (const result of results) deliver(result);
      return parseXml(fin.trim());
    };
  };
  const sentMessages = () => signalling.sent.filter((s) => s.name === 'message');
  return { signalling, chat, time, deliver, changes, archiveHolds, sentMessages };
}

const NS_RECEIPTS = 'urn:xmpp:receipts';
const states = (entries: readonly { state?: string }[]) => entries.map((e) => e.state);

describe('sending a message (XEP-0184)', () => {
  const OURS = 'northumberland@shakespeare.lit/westminster';
  const KING = 'kingrichard@royalty.england.lit';
  const BODY = "My lord, dispatch; read o'er these articles.";
  // XEP-0184 Example 4: the receipt for XEP-0184 Example 3.
  const RECEIPT = `
<message
    from='kingrichard@royalty.england.lit/throne'
    id='bi29sg183b4v'
    to='northumberland@shakespeare.lit/westminster'>
  <received xmlns='urn:xmpp:receipts' id='richard2-4.1.247'/>
</message>`;

  it('sends a chat message to the bare JID, asking for a receipt and carrying an origin-id', async () => {
    const { chat, signalling } = lab(OURS, { newId: ids('richard2-4.1.247') });
    await chat.send(`${KING}/throne`, BODY);
    const [message] = signalling.sent as [Element];
    expect(message.attrs).toEqual({ type: 'chat', to: KING, id: 'richard2-4.1.247' });
    expect(message.getChildText('body')).toBe(BODY);
    expect(message.getChild('request', NS_RECEIPTS)).toBeDefined();
    expect(message.getChild('origin-id', 'urn:xmpp:sid:0')?.attrs.id).toBe('richard2-4.1.247');
  });

  it('marks a message sent once the server has it, and delivered when the contact’s receipt arrives', async () => {
    const { chat, deliver } = lab(OURS, { newId: ids('richard2-4.1.247') });
    const sending = chat.send(KING, BODY);
    expect(chat.conversation(KING)).toEqual([{ id: 'richard2-4.1.247', direction: 'out', body: BODY, at: NOW, state: 'sending' }]);
    expect((await sending).state).toBe('sent');
    deliver(RECEIPT);
    expect(states(chat.conversation(KING))).toEqual(['delivered']);
  });

  it('stays delivered when the receipt overtakes the server’s confirmation', async () => {
    const { chat, deliver } = lab(OURS, { newId: ids('richard2-4.1.247') });
    const sending = chat.send(KING, BODY);
    deliver(RECEIPT);
    expect((await sending).state).toBe('delivered');
  });

  it('ignores a receipt from anyone but the contact', async () => {
    const { chat, deliver } = lab(OURS, { newId: ids('richard2-4.1.247') });
    await chat.send(KING, BODY);
    deliver(RECEIPT.replace("from='kingrichard@royalty.england.lit/throne'", "from='bolingbroke@royalty.england.lit/throne'"));
    expect(states(chat.conversation(KING))).toEqual(['sent']);
  });

  it('marks a message failed when it cannot be sent', async () => {
    const { chat, signalling } = lab(OURS);
    signalling.down = true;
    expect((await chat.send(KING, BODY)).state).toBe('failed');
    expect(states(chat.conversation(KING))).toEqual(['failed']);
  });

  it('marks a message failed when it comes back with an error', async () => {
    const { chat, deliver } = lab(OURS, { newId: ids('richard2-4.1.247') });
    await chat.send(KING, BODY);
    deliver(`
<message from='kingrichard@royalty.england.lit' to='northumberland@shakespeare.lit/westminster' type='error' id='richard2-4.1.247'>
  <error type='cancel'><remote-server-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>
</message>`);
    expect(states(chat.conversation(KING))).toEqual(['failed']);
  });
});

describe('receiving a message', () => {
  const OURS = 'kingrichard@royalty.england.lit/throne';
  const NORTHUMBERLAND = 'northumberland@shakespeare.lit';
  // XEP-0184 Example 3.
  const CONTENT = `
<message
    from='northumberland@shakespeare.lit/westminster'
    id='richard2-4.1.247'
    to='kingrichard@royalty.england.lit/throne'>
  <body>My lord, dispatch; read o'er these articles.</body>
  <request xmlns='urn:xmpp:receipts'/>
</message>`;

  it('shows the message and answers its receipt request to the device that sent it', () => {
    const { chat, deliver, sentMessages, changes } = lab(OURS, { newId: ids('bi29sg183b4v') });
    deliver(CONTENT);
    expect(chat.conversation(NORTHUMBERLAND)).toEqual([
      { id: 'richard2-4.1.247', direction: 'in', body: "My lord, dispatch; read o'er these articles.", at: NOW },
    ]);
    expect(changes).toEqual([NORTHUMBERLAND]);
    // XEP-0184 Example 4, but for the 'from' our server adds.
    const [receipt] = sentMessages() as [Element];
    expect(receipt.attrs).toEqual({ to: 'northumberland@shakespeare.lit/westminster', id: 'bi29sg183b4v' });
    expect(receipt.getChildElements().map((c) => [c.name, c.getNS(), c.attrs.id])).toEqual([['received', NS_RECEIPTS, 'richard2-4.1.247']]);
  });

  it('answers a chat message with a chat receipt', () => {
    const { deliver, sentMessages } = lab(OURS);
    deliver(CONTENT.replace('<message', "<message type='chat'"));
    expect(sentMessages()[0]?.attrs.type).toBe('chat');
  });

  it('sends no receipt to a stranger, though the message is shown', () => {
    const { chat, deliver, sentMessages } = lab(OURS, { isTrusted: (bare) => bare !== NORTHUMBERLAND });
    deliver(CONTENT);
    expect(chat.conversation(NORTHUMBERLAND)).toHaveLength(1);
    expect(sentMessages()).toEqual([]);
  });

  it('neither shows nor acknowledges a groupchat or headline message', () => {
    const { chat, deliver, sentMessages } = lab(OURS);
    deliver(CONTENT.replace('<message', "<message type='groupchat'"));
    deliver(CONTENT.replace('<message', "<message type='headline'"));
    expect(chat.conversation(NORTHUMBERLAND)).toEqual([]);
    expect(sentMessages()).toEqual([]);
  });

  it('ignores a message without a body, such as a chat state', () => {
    const { chat, deliver, changes } = lab(OURS);
    deliver(`<message from='northumberland@shakespeare.lit/westminster' type='chat' id='cs1'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>`);
    expect(chat.conversation(NORTHUMBERLAND)).toEqual([]);
    expect(changes).toEqual([]);
  });

  it('shows a message delivered twice once', () => {
    const { chat, deliver } = lab(OURS);
    deliver(CONTENT);
    deliver(CONTENT);
    expect(chat.conversation(NORTHUMBERLAND)).toHaveLength(1);
  });

  it('cuts a body longer than 10,000 characters, with an ellipsis', () => {
    const { chat, deliver } = lab(OURS);
    deliver(`<message from='northumberland@shakespeare.lit/westminster' type='chat'><body>${'a'.repeat(50_000)}</body></message>`);
    const [entry] = chat.conversation(NORTHUMBERLAND);
    expect(entry?.body).toHaveLength(MAX_BODY_LENGTH);
    expect(entry?.body.endsWith('a…')).toBe(true);
  });

  it('keeps markup in a body as text', () => {
    const { chat, deliver } = lab(OURS);
    deliver(`<message from='northumberland@shakespeare.lit/westminster' type='chat'><body>&lt;img src=x onerror=alert(1)&gt; &amp;</body></message>`);
    expect(chat.conversation(NORTHUMBERLAND)[0]?.body).toBe('<img src=x onerror=alert(1)> &');
  });

  // XEP-0203 Example 1.
  const OFFLINE = `
<message
    from='romeo@montague.net/orchard'
    to='juliet@capulet.com'
    type='chat'>
  <body>
    O blessed, blessed night! I am afeard.
    Being in night, all this is but a dream,
    Too flattering-sweet to be substantial.
  </body>
  <delay xmlns='urn:xmpp:delay'
     from='capulet.com'
     stamp='2002-09-10T23:08:25Z'>
    Offline Storage
  </delay>
</message>`;

  it('dates a message that waited while we were offline by its delay stamp', () => {
    const { chat, deliver } = lab('juliet@capulet.com/balcony');
    deliver(OFFLINE);
    expect(chat.conversation('romeo@montague.net')[0]?.at).toBe(Date.parse('2002-09-10T23:08:25Z'));
  });

  it('dates a message with a malformed delay stamp at its arrival', () => {
    const { chat, deliver } = lab('juliet@capulet.com/balcony');
    deliver(OFFLINE.replace('2002-09-10T23:08:25Z', '2002-13-45T23:08:25Z'));
    deliver(OFFLINE.replace('2002-09-10T23:08:25Z', 'last Tuesday').replace("type='chat'", "type='chat' id='2'"));
    expect(chat.conversation('romeo@montague.net').map((e) => e.at)).toEqual([NOW, NOW]);
  });

  it('does not let a delay stamp place a message in the future', () => {
    const { chat, deliver } = lab('juliet@capulet.com/balcony');
    deliver(OFFLINE.replace('2002-09-10T23:08:25Z', '2999-01-01T00:00:00Z'));
    expect(chat.conversation('romeo@montague.net')[0]?.at).toBe(NOW);
  });
});

describe('copies from our other devices (XEP-0280)', () => {
  const JULIET = 'juliet@capulet.example';
  // XEP-0280 Example 10.
  const RECEIVED = `
<message xmlns='jabber:client'
         from='romeo@montague.example'
         to='romeo@montague.example/home'
         type='chat'>
  <received xmlns='urn:xmpp:carbons:2'>
    <forwarded xmlns='urn:xmpp:forward:0'>
      <message xmlns='jabber:client'
               from='juliet@capulet.example/balcony'
               to='romeo@montague.example/garden'
               type='chat'>
        <body>What man art thou that, thus bescreen'd in night, so stumblest on my counsel?</body>
        <thread>0e3141cd80894871a68e6fe6b1ec56fa</thread>
      </message>
    </forwarded>
  </received>
</message>`;
  // XEP-0280 Example 13.
  const SENT = `
<message xmlns='jabber:client'
        from='romeo@montague.example'
        to='romeo@montague.example/garden'
        type='chat'>
  <sent xmlns='urn:xmpp:carbons:2'>
    <forwarded xmlns='urn:xmpp:forward:0'>
      <message xmlns='jabber:client'
               to='juliet@capulet.example/balcony'
               from='romeo@montague.example/home'
               type='chat'>
        <body>Neither, fair saint, if either thee dislike.</body>
        <thread>0e3141cd80894871a68e6fe6b1ec56fa</thread>
      </message>
    </forwarded>
  </sent>
</message>`;
  // XEP-0280 Example 11.
  const SPOOFED = `
<message xmlns='jabber:client'
         from='tybalt@capulet.example/home'
         to='romeo@montague.example'
         type='chat'>
  <received xmlns='urn:xmpp:carbons:2'>
    <forwarded xmlns='urn:xmpp:forward:0'>
      <message xmlns='jabber:client'
               from='juliet@capulet.example/balcony'
               to='romeo@montague.example/garden'
               type='chat'>
        <body>Thou shall meet me tonite, at our house's hall!</body>
      </message>
    </forwarded>
  </received>
</message>`;

  it('shows a message the contact sent to another of our devices, without acknowledging it here', () => {
    const { chat, deliver, sentMessages } = lab('romeo@montague.example/home', { newId: ids('e1') });
    deliver(RECEIVED);
    expect(chat.conversation(JULIET)).toEqual([
      { id: 'e1', direction: 'in', body: "What man art thou that, thus bescreen'd in night, so stumblest on my counsel?", at: NOW },
    ]);
    expect(sentMessages()).toEqual([]);
  });

  it('shows a message we sent from another device, as sent', () => {
    const { chat, deliver } = lab('romeo@montague.example/garden');
    deliver(SENT);
    expect(chat.conversation(JULIET)).toMatchObject([{ direction: 'out', body: 'Neither, fair saint, if either thee dislike.', state: 'sent' }]);
  });

  it('marks a message from another device delivered when a copy of its receipt reaches us', () => {
    const { chat, deliver } = lab('romeo@montague.example/garden');
    deliver(SENT.replace("from='romeo@montague.example/home'", "from='romeo@montague.example/home' id='n1'"));
    deliver(RECEIVED.replace(/<body>.*<\/body>/, `<received xmlns='urn:xmpp:receipts' id='n1'/>`));
    expect(states(chat.conversation(JULIET))).toEqual(['delivered']);
  });

  it('ignores a carbon that does not come from our own account', () => {
    const { chat, deliver, changes } = lab('romeo@montague.example/garden');
    deliver(SPOOFED);
    expect(chat.conversation(JULIET)).toEqual([]);
    expect(chat.conversation('tybalt@capulet.example')).toEqual([]);
    expect(changes).toEqual([]);
  });

  it('ignores a sent carbon that forwards someone else’s message as ours', () => {
    const { chat, deliver } = lab('romeo@montague.example/garden');
    deliver(RECEIVED.replace(/received xmlns='urn:xmpp:carbons:2'/, "sent xmlns='urn:xmpp:carbons:2'").replace('</received>', '</sent>'));
    expect(chat.conversation(JULIET)).toEqual([]);
  });
});

// XEP-0313 Example 4.
const FIN = `
<iq type='result' id='juliet1'>
  <fin xmlns='urn:xmpp:mam:2'>
    <set xmlns='http://jabber.org/protocol/rsm'>
      <first index='0'>28482-98726-73623</first>
      <last>09af3-cc343-b409f</last>
    </set>
  </fin>
</iq>`;

describe('history from our archive (XEP-0313)', () => {
  const JULIET = 'juliet@capulet.lit/chamber';
  const ROMEO = 'romeo@montague.lit';
  // XEP-0313 Example 17, the two messages.
  const FROM_ROMEO = `
<message id='aeb213' to='juliet@capulet.lit/chamber'>
  <result xmlns='urn:xmpp:mam:2' queryid='f27' id='28482-98726-73623'>
    <forwarded xmlns='urn:xmpp:forward:0'>
      <delay xmlns='urn:xmpp:delay' stamp='2010-07-10T23:08:25Z'/>
      <message xmlns='jabber:client'
               to='juliet@capulet.lit/balcony'
               from='romeo@montague.lit/orchard'
               type='chat'>
        <body>Call me but love, and I'll be new baptized; Henceforth I never will be Romeo.</body>
      </message>
    </forwarded>
  </result>
</message>`;
  const FROM_JULIET = `
<message id='aeb214' to='juliet@capulet.lit/chamber'>
  <result xmlns='urn:xmpp:mam:2' queryid='f27' id='5d398-28273-f7382'>
    <forwarded xmlns='urn:xmpp:forward:0'>
      <delay xmlns='urn:xmpp:delay' stamp='2010-07-10T23:09:32Z'/>
      <message xmlns='jabber:client'
               to='romeo@montague.lit/orchard'
               from='juliet@capulet.lit/balcony'
               type='chat' id='8a54s'>
        <body>What man art thou that thus bescreen'd in night so stumblest on my counsel?</body>
      </message>
    </forwarded>
  </result>
</message>`;
  // XEP-0313 Example 1: the same message as FROM_ROMEO, received live.
  const LIVE = `
<message to='juliet@capulet.lit/balcony'
         from='romeo@montague.lit/orchard'
         type='chat'>
  <body>Call me but love, and I'll be new baptized; Henceforth I never will be Romeo.</body>
  <stanza-id xmlns='urn:xmpp:sid:0'
             by='juliet@capulet.lit'
             id='28482-98726-73623' />
</message>`;

  it('asks our own account for the latest page of the conversation with the contact', async () => {
    const { chat, signalling, archiveHolds } = lab(JULIET, { newId: ids('f27') });
    archiveHolds([]);
    await chat.loadHistory(`${ROMEO}/orchard`);
    const [iq] = signalling.sent as [Element];
    expect(iq.attrs).toEqual({ type: 'set' });
    const query = iq.getChild('query', 'urn:xmpp:mam:2');
    expect(query?.attrs.queryid).toBe('f27');
    const fields = query?.getChild('x', 'jabber:x:data')?.getChildren('field').map((f) => [f.attrs.var, f.attrs.type, f.getChildText('value')]);
    expect(fields).toEqual([['FORM_TYPE', 'hidden', 'urn:xmpp:mam:2'], ['with', undefined, ROMEO]]);
    const rsm = query?.getChild('set', 'http://jabber.org/protocol/rsm');
    expect(rsm?.getChildText('max')).toBe('50');
    expect(rsm?.getChild('before')?.children).toEqual([]);
  });

  it('adds the latest page in time order among what was said live', async () => {
    const { chat, deliver, archiveHolds, changes } = lab(JULIET, { newId: ids('f27') });
    deliver(`<message from='romeo@montague.lit/orchard' type='chat' id='r2'><body>Wait!</body><delay xmlns='urn:xmpp:delay' stamp='2010-07-10T23:09:00Z'/></message>`);
    archiveHolds([FROM_ROMEO, FROM_JULIET]);
    expect(await chat.loadHistory(ROMEO)).toEqual({ added: 2, complete: false });
    expect(chat.conversation(ROMEO).map((e) => [e.direction, e.body.slice(0, 12), new Date(e.at).toISOString(), e.state, e.fromArchive])).toEqual([
      ['in', 'Call me but ', '2010-07-10T23:08:25.000Z', undefined, true],
      ['in', 'Wait!', '2010-07-10T23:09:00.000Z', undefined, undefined],
      ['out', 'What man art', '2010-07-10T23:09:32.000Z', 'sent', true],
    ]);
    expect(changes).toEqual([ROMEO, ROMEO]);
  });

  it('does not add again what the conversation already shows', async () => {
    const { chat, deliver, archiveHolds } = lab(JULIET, { newId: ids('8a54s', 'f27') });
    deliver(LIVE);
    await chat.send(ROMEO, 'What man art thou that thus bescreen’d in night so stumblest on my counsel?');
    archiveHolds([FROM_ROMEO, FROM_JULIET]);
    expect(await chat.loadHistory(ROMEO)).toEqual({ added: 0, complete: false });
    expect(chat.conversation(ROMEO).map((e) => [e.direction, e.fromArchive])).toEqual([
      ['in', undefined],
      ['out', undefined],
    ]);
  });

  it('keeps two messages that share a message id but not a stanza-id', async () => {
    const { chat, deliver, archiveHolds } = lab(JULIET, { newId: ids('f27') });
    deliver(LIVE.replace("type='chat'", "type='chat' id='1'").replace('28482-98726-73623', 'another-archive-id'));
    archiveHolds([FROM_ROMEO.replace("type='chat'", "type='chat' id='1'")]);
    expect(await chat.loadHistory(ROMEO)).toMatchObject({ added: 1 });
  });

  it('sends no receipt for an archived message that asked for one', async () => {
    const { chat, archiveHolds, sentMessages } = lab(JULIET, { newId: ids('f27') });
    archiveHolds([FROM_ROMEO.replace('</body>', `</body><request xmlns='urn:xmpp:receipts'/>`)]);
    await chat.loadHistory(ROMEO);
    expect(sentMessages()).toEqual([]);
  });

  it('ignores an archive result for a query that is not ours', async () => {
    const { chat, archiveHolds } = lab(JULIET, { newId: ids('f27') });
    archiveHolds([FROM_ROMEO.replace("queryid='f27'", "queryid='f28'"), FROM_JULIET]);
    expect(await chat.loadHistory(ROMEO)).toMatchObject({ added: 1 });
    expect(chat.conversation(ROMEO).map((e) => e.direction)).toEqual(['out']);
  });

  it('ignores an archive result that does not come from our own account', async () => {
    const { chat, archiveHolds } = lab(JULIET, { newId: ids('f27') });
    archiveHolds([FROM_ROMEO.replace("<message id='aeb213'", "<message from='romeo@montague.lit/orchard' id='aeb213'")]);
    expect(await chat.loadHistory(ROMEO)).toMatchObject({ added: 0 });
  });

  it('ignores an archive result that comes after the end of its query', async () => {
    const { chat, deliver, archiveHolds } = lab(JULIET, { newId: ids('f27') });
    archiveHolds([]);
    await chat.loadHistory(ROMEO);
    deliver(FROM_ROMEO);
    expect(chat.conversation(ROMEO)).toEqual([]);
  });

  it('says when the page reaches the start of the archive', async () => {
    const { chat, archiveHolds } = lab(JULIET);
    // XEP-0313 Example 22.
    archiveHolds([], `
<iq type='result' id='u29303'>
  <fin xmlns='urn:xmpp:mam:2' complete='true'>
    <set xmlns='http://jabber.org/protocol/rsm'>
      <first index='0'>23452-4534-1</first>
      <last>390-2342-22</last>
      <count>16</count>
    </set>
  </fin>
</iq>`);
    expect(await chat.loadHistory(ROMEO)).toEqual({ added: 0, complete: true });
  });

  it('loads the latest page again after a session that could not resume', async () => {
    const { chat, signalling, archiveHolds } = lab(JULIET, { newId: ids('q1', 'f27') });
    archiveHolds([]);
    await chat.loadHistory(ROMEO);
    archiveHolds([FROM_ROMEO]);
    signalling.rebind();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(signalling.sent.filter((s) => s.name === 'iq')).toHaveLength(2);
    expect(chat.conversation(ROMEO).map((e) => e.body.slice(0, 7))).toEqual(['Call me']);
  });
});

describe('malformed input', () => {
  it('drops malformed messages without throwing', () => {
    const { chat, deliver, changes } = lab('juliet@capulet.lit/chamber');
    const junk = [
      `<message/>`,
      `<message type='chat'><body>from nobody</body></message>`,
      `<message from='@@' type='chat'><body>not a JID</body></message>`,
      `<message from='romeo@montague.lit/orchard' type='chat'><body/></message>`,
      `<message from='romeo@montague.lit/orchard' type='chat'><body>   </body></message>`,
      `<message from='romeo@montague.lit/orchard' to='not a jid' type='chat'><body>hi</body></message>`,
      `<message from='romeo@montague.lit/orchard'><received xmlns='urn:xmpp:receipts'/></message>`,
      `<message from='romeo@montague.lit/orchard'><received xmlns='urn:xmpp:receipts' id='unknown'/></message>`,
      `<message from='romeo@montague.lit/orchard' type='error'/>`,
      `<message from='juliet@capulet.lit'><received xmlns='urn:xmpp:carbons:2'/></message>`,
      `<message from='juliet@capulet.lit'><sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'/></sent></message>`,
      `<message from='juliet@capulet.lit'><sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message type='chat'><body>to nobody</body></message></forwarded></sent></message>`,
      `<message><result xmlns='urn:xmpp:mam:2'/></message>`,
      `<message><result xmlns='urn:xmpp:mam:2' queryid='f27' id='x'><forwarded xmlns='urn:xmpp:forward:0'/></result></message>`,
      `<presence from='romeo@montague.lit/orchard'><body>not a message</body></presence>`,
    ];
    for (const stanza of junk) expect(() => deliver(stanza), stanza).not.toThrow();
    expect(chat.conversation('romeo@montague.lit')).toEqual([]);
    expect(changes).toEqual([]);
  });
});

describe('listeners', () => {
  it('tells listeners which conversation changed, until they unsubscribe', () => {
    const { chat, deliver } = lab('juliet@capulet.lit/chamber');
    const heard: string[] = [];
    const unsubscribe = chat.onChange((bare) => heard.push(bare));
    deliver(`<message from='romeo@montague.lit/orchard' type='chat' id='1'><body>one</body></message>`);
    unsubscribe();
    deliver(`<message from='romeo@montague.lit/orchard' type='chat' id='2'><body>two</body></message>`);
    expect(heard).toEqual(['romeo@montague.lit']);
  });
});
