// Native clients (Conversations, Dino) always negotiate TLS: a login as theirs,
// through STARTTLS on the client port and through direct TLS (XEP-0368),
// verifying the server's certificate against the lab's CA, and refusing it
// against any other.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect as tcpConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { type TLSSocket, connect as tlsConnect, rootCertificates } from 'node:tls';
import { expect, test } from '@playwright/test';
import { ensureLabCertificates } from '../scripts/certs.mjs';
import { TEST_LAB } from './lab-ports.ts';

const DOMAIN = 'localhost';
const labCa = () => readFile(join(TEST_LAB.dir, 'ca', 'ca.crt'), 'utf8');

/** Text from the server, read until what a step waits for arrives (or the stream fails, or 5 s pass). */
class Wire {
  private text = '';
  private waiting?: () => void;
  private closed?: Error;

  constructor(readonly socket: Socket | TLSSocket) {
    // No setEncoding: STARTTLS hands this very socket to TLS afterwards.
    const decoder = new StringDecoder('utf8');
    socket.on('data', (chunk: Buffer) => {
      this.text += decoder.write(chunk);
      this.waiting?.();
    });
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('the server closed the connection')));
  }

  private fail(err: Error) {
    this.closed ??= err;
    this.waiting?.();
  }

  send(xml: string) {
    this.socket.write(xml);
  }

  /** Consumes the text up to and including the first match of `pattern`. */
  async read(pattern: RegExp, what: string): Promise<RegExpMatchArray> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const match = this.text.match(pattern);
      if (match) {
        this.text = this.text.slice(match.index! + match[0].length);
        return match;
      }
      const failure = /<stream:error>[\s\S]*?<\/stream:error>|<failure[\s\S]*?(<\/failure>|\/>)/.exec(this.text)?.[0];
      if (failure) throw new Error(`waiting for ${what}, the server said ${failure}`);
      if (this.closed) throw new Error(`waiting for ${what}: ${this.closed.message}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`waiting for ${what}: nothing in 5 s (got ${JSON.stringify(this.text.slice(0, 200))})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiting = undefined;
    }
  }

  /** Opens a stream to the lab's domain and returns its features. */
  async open(): Promise<string> {
    this.send(`<?xml version='1.0'?><stream:stream to='${DOMAIN}' version='1.0' xml:lang='en' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`);
    await this.read(/<stream:stream[^>]*>/, 'the stream header');
    return (await this.read(/<stream:features[\s\S]*?<\/stream:features>/, 'the stream features'))[0];
  }
}

interface Trust {
  ca: string | string[];
  servername?: string;
}

/** Resolves once the TLS handshake verified the server's certificate against `ca` for `servername`. */
function handshake(socket: TLSSocket): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    socket.once('secureConnect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** A native client's STARTTLS: features → <starttls/> → <proceed/> → TLS on the same socket. */
async function startTls(trust: Trust): Promise<TLSSocket> {
  const tcp = tcpConnect(TEST_LAB.c2sPort, '127.0.0.1');
  const wire = new Wire(tcp);
  const features = await wire.open();
  expect(features, 'the client port offers STARTTLS').toContain(`<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'`);
  wire.send(`<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>`);
  await wire.read(/<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'\s*\/>/, '<proceed/>');
  tcp.removeAllListeners('data');
  tcp.removeAllListeners('close');
  tcp.removeAllListeners('error');
  return handshake(tlsConnect({ socket: tcp, ca: trust.ca, servername: trust.servername ?? DOMAIN }));
}

/** Direct TLS (XEP-0368): TLS first, on the second port, with the ALPN name XMPP clients send. */
function directTls(trust: Trust): Promise<TLSSocket> {
  return handshake(tlsConnect({ host: '127.0.0.1', port: TEST_LAB.c2sTlsPort, ca: trust.ca, servername: trust.servername ?? DOMAIN, ALPNProtocols: ['xmpp-client'] }));
}

/** SASL PLAIN and resource binding over an encrypted stream; returns the JID the server bound. */
async function logIn(socket: TLSSocket, user: string, password: string): Promise<string> {
  const wire = new Wire(socket);
  const features = await wire.open();
  expect(features).toContain('<mechanism>PLAIN</mechanism>');
  expect(features, 'no second STARTTLS inside TLS').not.toContain('<starttls');
  const plain = Buffer.from(`\0${user}\0${password}`).toString('base64');
  wire.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${plain}</auth>`);
  await wire.read(/<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'\s*(\/>|>[\s\S]*?<\/success>)/, 'SASL success');
  expect(await wire.open()).toContain(`<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'`);
  wire.send(`<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>native</resource></bind></iq>`);
  const [, jid] = await wire.read(/<iq[^>]*id=['"]bind1['"][^>]*>[\s\S]*?<jid>([^<]+)<\/jid>[\s\S]*?<\/iq>/, 'the bound JID');
  wire.send('</stream:stream>');
  await wire.read(/<\/stream:stream>/, 'the end of the stream');
  socket.end();
  return jid!;
}

const ways = [
  { name: 'STARTTLS on the client port', connect: startTls },
  { name: 'direct TLS (XEP-0368) on the second port', connect: directTls },
];

for (const way of ways) {
  test(`a native client logs in through ${way.name}, trusting the lab's CA`, async () => {
    const socket = await way.connect({ ca: await labCa() });
    expect(socket.authorized).toBe(true);
    expect(socket.getPeerCertificate().subjectaltname).toContain('DNS:localhost');
    expect(await logIn(socket, 'alice', 'alice')).toBe('alice@localhost/native');
  });

  test(`through ${way.name}, a client that does not trust the lab's CA, or wants another name, refuses the server`, async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'jingle-lab-other-ca-'));
    try {
      const otherCa = await ensureLabCertificates({ dir: elsewhere, dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], log: () => undefined });
      const refusals = [
        // Another lab's CA.
        { ca: await readFile(otherCa.caFile, 'utf8') },
        // Only the public CAs a client trusts out of the box.
        { ca: [...rootCertificates] },
      ];
      for (const trust of refusals) {
        await expect(way.connect(trust)).rejects.toMatchObject({ code: expect.stringMatching(/^(UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN)$/) });
      }
      // The right CA, but a name the certificate is not for: the client refuses
      // it, or (direct TLS, where the name goes in SNI) Prosody does first.
      await expect(way.connect({ ca: await labCa(), servername: 'jingle-lab.example' })).rejects.toMatchObject({
        code: expect.stringMatching(/^(ERR_TLS_CERT_ALTNAME_INVALID|ERR_SSL_TLSV1_UNRECOGNIZED_NAME)$/),
      });
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });
}
