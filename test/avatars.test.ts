import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseXml, xml, type Element } from '../src/jingle/index.ts';
import { type AvatarConnection, AvatarRejected, type AvatarStorage, createAvatars } from '../src/xmpp/avatars.ts';
import { IqError, type Connection } from '../src/xmpp/connection.ts';
import { FakeSignalling } from './fakes.ts';

// What createAvatars needs, the app's Connection has.
const _connectionIsEnough: AvatarConnection = {} as Connection;

const crc32 = (bytes: Uint8Array) => {
  let c = ~0;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
};

/** A real one-pixel PNG of this colour, so that each colour has its own bytes and hash. */
function png(red: number, green = 0, blue = 0): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return new Uint8Array(Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, red, green, blue]))),
    chunk('IEND', new Uint8Array()),
  ]));
}

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const url = (bytes: Uint8Array) => `data:image/png;base64,${base64(bytes)}`;
/** Base64 as vCards carry it: in lines, indented. */
const wrapped = (bytes: Uint8Array) => `\n        ${base64(bytes).match(/.{1,20}/g)!.join('\n        ')}\n      `;

const RED = png(255);
const GREEN = png(0, 255);
const BLUE = png(0, 0, 255);

function memoryStorage(): AvatarStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

// XEP-0153 Example 3, with the hash of our own image.
const presence = (from: string, photo: string | null) =>
  `<presence from='${from}'><x xmlns='vcard-temp:x:update'>${photo === null ? '<photo/>' : `<photo>${photo}</photo>`}</x></presence>`;

// XEP-0153 Example 5, the vCard the server returns on behalf of the user.
const vCardResult = (from: string, photo: string, type = 'image/png') => `
<iq from='${from}' to='alice@localhost/desk' type='result' id='vc2'>
  <vCard xmlns='vcard-temp'>
    <BDAY>1476-06-09</BDAY>
    <ADR><CTRY>Italy</CTRY><LOCALITY>Verona</LOCALITY><HOME/></ADR>
    <NICKNAME/>
    <N><GIVEN>Juliet</GIVEN><FAMILY>Capulet</FAMILY></N>
    <EMAIL><USERID>jcapulet@shakespeare.lit</USERID></EMAIL>
    <PHOTO>
      <TYPE>${type}</TYPE>
      <BINVAL>${photo}</BINVAL>
    </PHOTO>
  </vCard>
</iq>`;

// XEP-0084 Example 4, the metadata notification.
const metadataNotification = (from: string, id: string, infos = `<info bytes='${RED.length}' height='64' id='${id}' type='image/png' width='64'/>`) => `
<message to='alice@localhost/desk' from='${from}'>
  <event xmlns='http://jabber.org/protocol/pubsub#event'>
    <items node='urn:xmpp:avatar:metadata'>
      <item id='${id}'>
        <metadata xmlns='urn:xmpp:avatar:metadata'>${infos}</metadata>
      </item>
    </items>
  </event>
  <addresses xmlns='http://jabber.org/protocol/address'>
    <address type='replyto' jid='${from}/chamber'/>
  </addresses>
</message>`;

// XEP-0084 Example 6, the PEP service returning the data item.
const dataResult = (from: string, id: string, data: string) => `
<iq type='result' from='${from}' to='alice@localhost/desk' id='retrieve1'>
  <pubsub xmlns='http://jabber.org/protocol/pubsub'>
    <items node='urn:xmpp:avatar:data'>
      <item id='${id}'>
        <data xmlns='urn:xmpp:avatar:data'>${data}</data>
      </item>
    </items>
  </pubsub>
</iq>`;

/**
 * Avatars over a fake connection whose contacts' servers answer from `vcards`
 * (bare JID → vCard result) and `items` (bare JID and item id → data result);
 * what is not there is item-not-found.
 */
function lab(storage: AvatarStorage | null = memoryStorage(), options: { limit?: number } = {}) {
  const signalling = new FakeSignalling();
  const vcards = new Map<string, string>();
  const items = new Map<string, string>();
  let failure: string | undefined;
  signalling.answer = async (iq) => {
    if (failure) throw new IqError(failure);
    const to = iq.attrs.to ?? '';
    const id = iq.getChild('pubsub', 'http://jabber.org/protocol/pubsub')?.getChild('items')?.getChild('item')?.attrs.id;
    const reply = iq.attrs.type === 'get' && iq.getChild('vCard', 'vcard-temp') ? vcards.get(to) : id ? items.get(`${to} ${id}`) : `<iq type='result'/>`;
    if (!reply) throw new IqError('item-not-found');
    return parseXml(reply.trim());
  };
  const avatars = createAvatars(signalling, { storage, ...options });
  const deliver = (stanza: string) => signalling.deliver(stanza.trim());
  /** The IQs we sent, in short: `vCard bob@localhost`, `data bob@localhost <id>`, `publish <node>`. */
  const asked = () =>
    signalling.sent.map((iq: Element) => {
      const pubsub = iq.getChild('pubsub', 'http://jabber.org/protocol/pubsub');
      if (iq.getChild('vCard', 'vcard-temp')) return `vCard ${iq.attrs.type} ${iq.attrs.to ?? ''}`.trim();
      const publish = pubsub?.getChild('publish');
      if (publish) return `publish ${publish.attrs.node} ${iq.attrs.to}`;
      return `data ${iq.attrs.to} ${pubsub?.getChild('items')?.getChild('item')?.attrs.id}`;
    });
  return { signalling, avatars, vcards, items, deliver, asked, fail: (condition: string | undefined) => void (failure = condition) };
}

describe('contacts’ avatars', () => {
  it('shows the vCard photo a presence names, fetched from the contact’s bare JID', async () => {
    const { avatars, vcards, deliver, asked } = lab();
    vcards.set('juliet@capulet.com', vCardResult('juliet@capulet.com', wrapped(RED)));
    deliver(presence('juliet@capulet.com/balcony', sha1(RED)));
    await avatars.idle();
    expect(asked()).toEqual(['vCard get juliet@capulet.com']);
    expect(avatars.avatarOf('juliet@capulet.com')).toBe(url(RED));
    expect(avatars.avatarOf('juliet@capulet.com/balcony')).toBe(url(RED));
  });

  it('takes the hash in upper case as well', async () => {
    const { avatars, vcards, deliver } = lab();
    vcards.set('bob@localhost', vCardResult('bob@localhost', base64(RED)));
    deliver(presence('bob@localhost/phone', sha1(RED).toUpperCase()));
    await avatars.idle();
    expect(avatars.avatarOf('bob@localhost')).toBe(url(RED));
  });

  it('fetches a vCard photo once per hash, however many devices and contacts name it', async () => {
    const { avatars, vcards, deliver, asked } = lab();
    vcards.set('bob@localhost', vCardResult('bob@localhost', base64(RED)));
    vcards.set('carol@localhost', vCardResult('carol@localhost', base64(RED)));
    deliver(presence('bob@localhost/phone', sha1(RED)));
    deliver(presence('bob@localhost/laptop', sha1(RED)));
    deliver(presence('carol@localhost/desk', sha1(RED)));
    await avatars.idle();
    deliver(presence('bob@localhost/phone', sha1(RED)));
    await avatars.idle();
    expect(asked()).toEqual(['vCard get bob@localhost']);
    expect(avatars.avatarOf('carol@localhost')).toBe(url(RED));
  });

  it('fetches the avatars of 200 contacts coming online together at most four at a time, each once', async () => {
    const { signalling, avatars, vcards, deliver, asked } = lab();
    const answer = signalling.answer;
    let inFlight = 0;
    let most = 0;
    signalling.answer = async (iq) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      return answer(iq);
    };
    const images = Array.from({ length: 200 }, (_, i) => png(i % 256, Math.floor(i / 256) + 1));
    images.forEach((image, i) => vcards.set(`c${i}@localhost`, vCardResult(`c${i}@localhost`, base64(image))));
    images.forEach((image, i) => deliver(presence(`c${i}@localhost/phone`, sha1(image))));
    await avatars.idle();
    expect(most).toBe(4);
    expect(asked()).toEqual(images.map((_, i) => `vCard get c${i}@localhost`));
    expect(images.every((image, i) => avatars.avatarOf(`c${i}@localhost`) === url(image))).toBe(true);
  });

  it('shows an image fetched in an earlier session without fetching it again', async () => {
    const storage = memoryStorage();
    const before = lab(storage);
    before.vcards.set('bob@localhost', vCardResult('bob@localhost', base64(RED)));
    before.deliver(presence('bob@localhost/phone', sha1(RED)));
    await before.avatars.idle();

    const after = lab(storage);
    after.deliver(presence('bob@localhost/phone', sha1(RED)));
    await after.avatars.idle();
    expect(after.asked()).toEqual([]);
    expect(after.avatars.avatarOf('bob@localhost')).toBe(url(RED));
  });

  it('fetches the XEP-0084 data item by its id from the contact’s bare JID', async () => {
    const { avatars, items, deliver, signalling } = lab();
    items.set(`juliet@capulet.lit ${sha1(RED)}`, dataResult('juliet@capulet.lit', sha1(RED), base64(RED)));
    deliver(metadataNotification('juliet@capulet.lit', sha1(RED)));
    await avatars.idle();
    // XEP-0084 Example 5.
    expect(signalling.sent[0]!.toString()).toBe(
      `<iq type="get" to="juliet@capulet.lit"><pubsub xmlns="http://jabber.org/protocol/pubsub"><items node="urn:xmpp:avatar:data"><item id="${sha1(RED)}"/></items></pubsub></iq>`,
    );
    expect(avatars.avatarOf('juliet@capulet.lit')).toBe(url(RED));
  });

  it('prefers the XEP-0084 avatar to the vCard photo', async () => {
    const { avatars, vcards, items, deliver } = lab();
    vcards.set('bob@localhost', vCardResult('bob@localhost', base64(RED)));
    items.set(`bob@localhost ${sha1(GREEN)}`, dataResult('bob@localhost', sha1(GREEN), base64(GREEN)));
    deliver(presence('bob@localhost/phone', sha1(RED)));
    deliver(metadataNotification('bob@localhost', sha1(GREEN)));
    await avatars.idle();
    expect(avatars.avatarOf('bob@localhost')).toBe(url(GREEN));
    deliver(presence('bob@localhost/phone', sha1(RED)));
    expect(avatars.avatarOf('bob@localhost')).toBe(url(GREEN));
  });

  it('does not fetch the vCard photo of a contact whose XEP-0084 avatar is at hand', async () => {
    const { avatars, vcards, items, deliver, asked } = lab();
    vcards.set('bob@localhost', vCardResult('bob@localhost', base64(RED)));
    items.set(`bob@localhost ${sha1(GREEN)}`, dataResult('bob@localhost', sha1(GREEN), base64(GREEN)));
    deliver(metadataNotification('bob@localhost', sha1(GREEN)));
    await avatars.idle();
    deliver(presence('bob@localhost/phone', sha1(RED)));
    await avatars.idle();
    expect(asked()).toEqual([`data bob@localhost ${sha1(GREEN)}`]);
  });

  it('falls back to the vCard photo when the contact disables its XEP-0084 avatar', async () => {
    const { avatars, vcards, items, deliver } = lab();
    vcards.set('bob@localhost', vCardResult('bob@localhost', base64(RED)));
    items.set(`bob@localhost ${sha1(GREEN)}`, dataResult('bob@localhost', sha1(GREEN), base64(GREEN)));
    deliver(metadataNotification('bob@localhost', sha1(GREEN)));
    deliver(presence('bob@localhost/phone', sha1(RED)));
    await avatars.idle();
    // XEP-0084 Example 12: an empty <metadata/>.
    deliver(metadataNotification('bob@localhost', sha1(GREEN), ''));
    await avatars.idle();
    expect(avatars.avatarOf('bob@localhost')).toBe(url(RED));
  });

  it('picks, of several formats, the one held at the data node', async () => {
    const { avatars, items, deliver, asked } = lab();
    items.set(`juliet@capulet.lit ${sha1(RED)}`, dataResult('juliet@capulet.lit', sha1(RED), base64(RED)));
    // XEP-0084 Example 13, the PNG's id ours.
    deliver(metadataNotification('juliet@capulet.lit', sha1(RED), `
      <info bytes='12345' height='64' id='${sha1(RED)}' type='image/png' width='64'/>
      <info bytes='12345' height='64' id='e279f80c38f99c1e7e53e262b440993b2f7eea57' type='image/png' url='http://avatars.example.org/happy.png' width='64'/>
      <info bytes='23456' height='64' id='357a8123a30844a3aa99861b6349264ba67a5694' type='image/gif' url='http://avatars.example.org/happy.gif' width='64'/>
      <info bytes='78912' height='64' id='03a179fe37bd5d6bf9c2e1e592a14ae7814e31da' type='image/mng' url='http://avatars.example.org/happy.mng' width='64'/>`));
    await avatars.idle();
    expect(asked()).toEqual([`data juliet@capulet.lit ${sha1(RED)}`]);
    expect(avatars.avatarOf('juliet@capulet.lit')).toBe(url(RED));
  });

  it('rejects an image whose SHA-1 is not the announced hash', async () => {
    const { avatars, vcards, deliver } = lab();
    vcards.set('bob@localhost', vCardResult('bob@localhost', base64(BLUE)));
    deliver(presence('bob@localhost/phone', sha1(RED)));
    await avatars.idle();
    expect(avatars.avatarOf('bob@localhost')).toBeUndefined();
  });

  it('rejects an XEP-0084 image whose SHA-1 is not its id', async () => {
    const { avatars, items, deliver } = lab();
    items.set(`bob@localhost ${sha1(RED)}`, dataResult('bob@localhost', sha1(RED), base64(BLUE)));
    deliver(metadataNotification('bob@localhost', sha1(RED)));
    await avatars.idle();
    expect(avatars.avatarOf('bob@localhost')).toBeUndefined();
  });

  it('rejects an image over 256 KB, though its hash matches', async () => {
    const { avatars, vcards, deliver } = lab();
    const huge = new Uint8Array(256 * 1024 + 1);
    huge.set(RED);
    vcards.set('bob@localhost', vCardResult('bob@localhost', base64(huge)));
    deliver(presence('bob@localhost/phone', sha1(huge)));
    await avatars.idle();
    expect(avatars.avatarOf('bob@localhost')).toBeUndefined();
  });

  it('does not fetch an XEP-0084 image announced as over 256 KB', async () => {
    const { avatars, deliver, asked } = lab();
    deliver(metadataNotification('bob@localhost', sha1(RED), `<info bytes='300000' id='${sha1(RED)}' type='image/png'/>`));
    await avatars.idle();
    expect(asked()).toEqual([]);
  });

  it('rejects an image that is not PNG, JPEG, WebP or GIF, whatever its TYPE says', async () => {
    const { avatars, vcards, deliver } = lab();
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>');
    vcards.set('bob@localhost', vCardResult('bob@localhost', base64(svg), 'image/png'));
    deliver(presence('bob@localhost/phone', sha1(svg)));
    await avatars.idle();
    expect(avatars.avatarOf('bob@localhost')).toBeUndefined();
  });

  it('shows no avatar once presence carries an empty <photo/>', async () => {
    const { avatars, vcards, deliver } = lab();
    vcards.set('bob@localhost', vCardResult('bob@localhost', base64(RED)));
    deliver(presence('bob@localhost/phone', sha1(RED)));
    await avatars.idle();
    deliver(presence('bob@localhost/phone', null));
    expect(avatars.avatarOf('bob@localhost')).toBeUndefined();
  });

  it.each([
    ['without the update element', `<presence from='bob@localhost/phone'/>`],
    ['with an update element but no <photo/> (XEP-0153 Example 6)', `<presence from='bob@localhost/phone'><x xmlns='vcard-temp:x:update'/></presence>`],
    ['going unavailable', `<presence from='bob@localhost/phone' type='unavailable'/>`],
  ])('keeps the avatar on a presence %s', async (_, stanza) => {
    const { avatars, vcards, deliver, asked } = lab();
    vcards.set('bob@localhost', vCardResult('bob@localhost', base64(RED)));
    deliver(presence('bob@localhost/phone', sha1(RED)));
    await avatars.idle();
    deliver(stanza);
    await avatars.idle();
    expect(avatars.avatarOf('bob@localhost')).toBe(url(RED));
    expect(asked()).toHaveLength(1);
  });

  it.each(['item-not-found', 'service-unavailable', 'remote-server-timeout'])('takes %s as no avatar', async (condition) => {
    const { avatars, deliver, fail } = lab();
    fail(condition);
    deliver(presence('bob@localhost/phone', sha1(RED)));
    deliver(metadataNotification('bob@localhost', sha1(GREEN)));
    await avatars.idle();
    expect(avatars.avatarOf('bob@localhost')).toBeUndefined();
  });

  it('tries a failed fetch once more, and no more, in a session', async () => {
    const { avatars, vcards, deliver, asked, fail } = lab();
    fail('service-unavailable');
    for (let i = 0; i < 2; i++) {
      deliver(presence('bob@localhost/phone', sha1(RED)));
      await avatars.idle();
    }
    fail(undefined);
    vcards.set('bob@localhost', vCardResult('bob@localhost', base64(RED)));
    deliver(presence('bob@localhost/phone', sha1(RED)));
    await avatars.idle();
    expect(asked()).toEqual(['vCard get bob@localhost', 'vCard get bob@localhost']);
    expect(avatars.avatarOf('bob@localhost')).toBeUndefined();
  });

  it.each([
    ['a presence without from', `<presence><x xmlns='vcard-temp:x:update'><photo>${sha1(RED)}</photo></x></presence>`],
    ['a photo that is not a SHA-1', presence('bob@localhost/phone', 'not-a-hash')],
    ['a presence from no JID', presence('@/', sha1(RED))],
    ['a room occupant’s presence', `<presence from='room@muc.localhost/bob'><x xmlns='http://jabber.org/protocol/muc#user'/><x xmlns='vcard-temp:x:update'><photo>${sha1(RED)}</photo></x></presence>`],
    ['an event without items', `<message from='bob@localhost'><event xmlns='http://jabber.org/protocol/pubsub#event'/></message>`],
    ['an <info/> without id', metadataNotification('bob@localhost', sha1(RED), `<info bytes='10' type='image/png'/>`)],
    ['an <info/> with bytes that are not a number', metadataNotification('bob@localhost', sha1(RED), `<info bytes='lots' id='${sha1(RED)}' type='image/png'/>`)],
    ['an <item/> without metadata', `<message from='bob@localhost'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='urn:xmpp:avatar:metadata'><item id='x'/></items></event></message>`],
    ['an error message', `<message from='bob@localhost' type='error'><event xmlns='http://jabber.org/protocol/pubsub#event'/></message>`],
  ])('ignores %s without throwing', async (_, stanza) => {
    const { avatars, deliver, asked } = lab();
    expect(() => deliver(stanza)).not.toThrow();
    await avatars.idle();
    expect(asked()).toEqual([]);
  });

  it.each([
    ['BINVAL that is not base64', vCardResult('bob@localhost', '!!not base64!!')],
    ['a vCard without PHOTO', `<iq type='result'><vCard xmlns='vcard-temp'><FN>Bob</FN></vCard></iq>`],
    ['a result without vCard', `<iq type='result'/>`],
  ])('shows no avatar for a vCard answer with %s', async (_, reply) => {
    const { avatars, vcards, deliver } = lab();
    vcards.set('bob@localhost', reply);
    deliver(presence('bob@localhost/phone', sha1(RED)));
    await avatars.idle();
    expect(avatars.avatarOf('bob@localhost')).toBeUndefined();
  });

  it('tells listeners the bare JID whose avatar changed', async () => {
    const { avatars, vcards, deliver } = lab();
    const changed: string[] = [];
    avatars.onChange((jid) => changed.push(jid));
    vcards.set('bob@localhost', vCardResult('bob@localhost', base64(RED)));
    deliver(presence('bob@localhost/phone', sha1(RED)));
    await avatars.idle();
    deliver(presence('bob@localhost/phone', sha1(RED)));
    deliver(presence('bob@localhost/phone', null));
    expect(changed).toEqual(['bob@localhost', 'bob@localhost']);
  });
});

describe('the avatar cache', () => {
  it('keeps at most its limit of images, the oldest dropped first', async () => {
    const storage = memoryStorage();
    const first = lab(storage, { limit: 2 });
    for (const [who, image] of [['bob', RED], ['carol', GREEN], ['dave', BLUE]] as const) {
      first.vcards.set(`${who}@localhost`, vCardResult(`${who}@localhost`, base64(image)));
      first.deliver(presence(`${who}@localhost/x`, sha1(image)));
      await first.avatars.idle();
    }
    expect(JSON.parse(storage.items.get('jingle-lab.avatars')!)).toEqual([sha1(GREEN), sha1(BLUE)]);

    const next = lab(storage, { limit: 2 });
    for (const [who, image] of [['bob', RED], ['carol', GREEN], ['dave', BLUE]] as const) next.deliver(presence(`${who}@localhost/x`, sha1(image)));
    await next.avatars.idle();
    expect(next.asked()).toEqual(['vCard get bob@localhost']);
  });

  it('shows avatars for the session when the storage refuses to keep them', async () => {
    const full: AvatarStorage = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('quota exceeded', 'QuotaExceededError');
      },
    };
    const { avatars, vcards, deliver } = lab(full);
    vcards.set('bob@localhost', vCardResult('bob@localhost', base64(RED)));
    deliver(presence('bob@localhost/phone', sha1(RED)));
    await avatars.idle();
    expect(avatars.avatarOf('bob@localhost')).toBe(url(RED));
  });

  it('ignores what it did not write in the storage', async () => {
    const storage = memoryStorage();
    storage.items.set(`jingle-lab.avatar.${sha1(RED)}`, 'javascript:alert(1)');
    const { avatars, vcards, deliver, asked } = lab(storage);
    vcards.set('bob@localhost', vCardResult('bob@localhost', base64(RED)));
    deliver(presence('bob@localhost/phone', sha1(RED)));
    await avatars.idle();
    expect(asked()).toEqual(['vCard get bob@localhost']);
    expect(avatars.avatarOf('bob@localhost')).toBe(url(RED));
  });

  it('works without a storage at all', async () => {
    const { avatars, vcards, deliver } = lab(null);
    vcards.set('bob@localhost', vCardResult('bob@localhost', base64(RED)));
    deliver(presence('bob@localhost/phone', sha1(RED)));
    await avatars.idle();
    expect(avatars.avatarOf('bob@localhost')).toBe(url(RED));
  });
});

describe('our own avatar', () => {
  it('publishes XEP-0084 data, then metadata, then the vCard photo, and returns the hash', async () => {
    const { avatars, vcards, asked, signalling } = lab();
    // The vCard we already have: its other fields must survive.
    vcards.set('', `<iq type='result'><vCard xmlns='vcard-temp'><FN>Alice</FN><PHOTO><TYPE>image/png</TYPE><BINVAL>${base64(BLUE)}</BINVAL></PHOTO></vCard></iq>`);
    expect(await avatars.publish(RED, 'image/png')).toBe(sha1(RED));
    expect(asked()).toEqual(['publish urn:xmpp:avatar:data alice@localhost', 'publish urn:xmpp:avatar:metadata alice@localhost', 'vCard get', 'vCard set']);
    const [data, metadata, , vCardSet] = signalling.sent as [Element, Element, Element, Element];
    // XEP-0084 Examples 1 and 3.
    const item = (iq: Element) => iq.getChild('pubsub')!.getChild('publish')!.getChild('item')!;
    expect(item(data).attrs.id).toBe(sha1(RED));
    expect(item(data).getChild('data', 'urn:xmpp:avatar:data')!.getText()).toBe(base64(RED));
    expect(item(metadata).attrs.id).toBe(sha1(RED));
    expect(item(metadata).getChild('metadata', 'urn:xmpp:avatar:metadata')!.getChild('info')!.attrs).toEqual({ id: sha1(RED), type: 'image/png', bytes: String(RED.length) });
    // XEP-0153 Example 1.
    const vCard = vCardSet.getChild('vCard', 'vcard-temp')!;
    expect(vCard.getChildText('FN')).toBe('Alice');
    expect(vCard.getChildren('PHOTO')).toHaveLength(1);
    expect(vCard.getChild('PHOTO')!.getChildText('TYPE')).toBe('image/png');
    expect(vCard.getChild('PHOTO')!.getChildText('BINVAL')!.replace(/\s/g, '')).toBe(base64(RED));
  });

  it('writes a new vCard when the server has none', async () => {
    const { avatars, signalling } = lab();
    await avatars.publish(RED, 'image/png');
    const vCard = signalling.sent.at(-1)!.getChild('vCard', 'vcard-temp')!;
    expect(vCard.getChildElements().map((c) => c.name)).toEqual(['PHOTO']);
  });

  it('hands the XEP-0153 <x/> with the new hash to the presence hook', async () => {
    const signalling = new FakeSignalling();
    const updates: string[] = [];
    const avatars = createAvatars(signalling, { storage: null, announce: (x) => updates.push(x.toString()) });
    await avatars.publish(RED, 'image/png');
    expect(updates).toEqual([`<x xmlns="vcard-temp:x:update"><photo>${sha1(RED)}</photo></x>`]);
  });

  it('builds the presence <x/> for a hash, for no avatar, and while not ready', () => {
    const { avatars } = lab();
    expect(avatars.presenceElement(sha1(RED)).toString()).toBe(`<x xmlns="vcard-temp:x:update"><photo>${sha1(RED)}</photo></x>`);
    expect(avatars.presenceElement(null).toString()).toBe('<x xmlns="vcard-temp:x:update"><photo/></x>');
    expect(avatars.presenceElement(undefined).toString()).toBe('<x xmlns="vcard-temp:x:update"/>');
  });

  it('shows our avatar once published, and does not fetch it back when the server notifies it', async () => {
    const { avatars, deliver, asked } = lab();
    await avatars.publish(RED, 'image/png');
    deliver(metadataNotification('alice@localhost', sha1(RED)));
    deliver(presence('alice@localhost/phone', sha1(RED)));
    await avatars.idle();
    expect(avatars.avatarOf('alice@localhost')).toBe(url(RED));
    expect(asked().filter((a) => a.startsWith('data') || a === 'vCard get alice@localhost')).toEqual([]);
  });

  it('uploads an image only once in a session', async () => {
    const { avatars, asked } = lab();
    await avatars.publish(RED, 'image/png');
    await avatars.publish(RED, 'image/png');
    expect(asked()).toHaveLength(4);
  });

  it('still publishes the vCard photo on a server without PEP', async () => {
    const { avatars, signalling, asked } = lab();
    signalling.answer = async (iq) => {
      if (iq.getChild('pubsub')) throw new IqError('feature-not-implemented');
      return xml('iq', { type: 'result' });
    };
    expect(await avatars.publish(RED, 'image/png')).toBe(sha1(RED));
    expect(asked()).toEqual(['publish urn:xmpp:avatar:data alice@localhost', 'vCard get', 'vCard set']);
  });

  it('fails when neither XEP-0084 nor the vCard takes the image', async () => {
    const { avatars, fail } = lab();
    fail('forbidden');
    await expect(avatars.publish(RED, 'image/png')).rejects.toMatchObject({ condition: 'forbidden' });
  });

  it.each([
    ['an image said to be another type', RED, 'image/jpeg'],
    ['bytes that are no image', new TextEncoder().encode('hello'), 'image/png'],
    ['an image over 256 KB', (() => { const b = new Uint8Array(300_000); b.set(RED); return b; })(), 'image/png'],
  ] as const)('refuses to publish %s', async (_, bytes, type) => {
    const { avatars, asked } = lab();
    await expect(avatars.publish(bytes, type)).rejects.toBeInstanceOf(AvatarRejected);
    expect(asked()).toEqual([]);
  });
});
