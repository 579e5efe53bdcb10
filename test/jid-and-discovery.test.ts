// The XRD form needs a real DOMParser (happy-dom's parses XML as HTML); the
// end-to-end login without a WebSocket URL covers it in Chromium.
import { describe, expect, it } from 'vitest';
import { websocketFromHostMeta } from '../src/xmpp/discovery.ts';
import { bareJid, parseAccountJid, parseJid, sameJid } from '../src/xmpp/jid.ts';

describe('JIDs', () => {
  it('accepts an account address and lower-cases its local part', () => {
    expect(parseAccountJid('Alice@localhost')).toMatchObject({ local: 'alice', domain: 'localhost', bare: 'alice@localhost' });
  });

  it.each(['alice', '@localhost', 'alice@', 'al ice@localhost', '', 'alice@.localhost'])('refuses %j as an account address', (text) => {
    expect(parseAccountJid(text)).toBeUndefined();
  });

  it('keeps resources that contain slashes', () => {
    expect(parseJid('bob@localhost/phone/2')?.resource).toBe('phone/2');
    expect(bareJid('bob@localhost/phone')).toBe('bob@localhost');
    expect(sameJid('Bob@localhost/a', 'bob@localhost/a')).toBe(true);
    expect(sameJid('bob@localhost/a', 'bob@localhost/b')).toBe(false);
  });
});

describe('XEP-0156 host-meta', () => {
  it('finds the WebSocket link in a JSON document', () => {
    const json = JSON.stringify({ links: [{ rel: 'urn:xmpp:alt-connections:websocket', href: 'wss://example.org/ws' }] });
    expect(websocketFromHostMeta(json)).toBe('wss://example.org/ws');
  });

  it('finds nothing in a document without one', () => {
        expect(websocketFromHostMeta('{not json')).toBeUndefined();
  });
});
