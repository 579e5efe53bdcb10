// The lab's CA and server certificate (scripts/certs.mjs): what they cover,
// that the CA is made once and kept, and that a certificate missing an
// address in use is replaced from the same CA.
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer } from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureLabCertificates } from '../scripts/certs.mjs';

let dir: string;
let lines: string[];
const log = (line: string) => lines.push(line);
const ensure = (dnsNames: string[], ipAddresses: string[], where = dir) => ensureLabCertificates({ dir: where, dnsNames, ipAddresses, log });
const cert = async (file: string) => new X509Certificate(await readFile(file, 'utf8'));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jingle-lab-certs-'));
  lines = [];
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('ensureLabCertificates', () => {
  it('makes a CA and a server certificate signed by it for exactly the names and addresses given', async () => {
    const made = await ensure(['jingle-lab.test', 'localhost'], ['10.77.0.1', '127.0.0.1']);
    expect(made).toMatchObject({ caCreated: true, server: 'new', caFile: join(dir, 'ca', 'ca.crt'), certFile: join(dir, 'certs', 'server.crt') });
    expect(lines).toEqual([]);
    const ca = await cert(made.caFile);
    const server = await cert(made.certFile);
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.subjectAltName).toBe('DNS:jingle-lab.test, DNS:localhost, IP Address:10.77.0.1, IP Address:127.0.0.1');
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.publicKey.asymmetricKeyDetails).toMatchObject({ namedCurve: 'prime256v1' });
    expect(server.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1']));
    // The keys are for their owner's eyes only.
    expect((await stat(join(dir, 'ca', 'ca.key'))).mode & 0o077).toBe(0);
    expect((await stat(made.keyFile)).mode & 0o077).toBe(0);
    // What Chromium's --ignore-certificate-errors-spki-list wants: SHA-256 of the DER SubjectPublicKeyInfo, base64.
    expect(made.spkiHash).toBe(createHash('sha256').update(server.publicKey.export({ type: 'spki', format: 'der' })).digest('base64'));
  });

  it('keeps the CA and the certificate while they cover what is in use', async () => {
    const first = await ensure(['jingle-lab.test', 'localhost'], ['10.77.0.1', '127.0.0.1']);
    const files = async () => Promise.all([first.caFile, join(dir, 'ca', 'ca.key'), first.certFile, first.keyFile].map((f) => readFile(f, 'utf8')));
    const before = await files();
    const again = await ensure(['jingle-lab.test', 'localhost'], ['10.77.0.1', '127.0.0.1']);
    // Loopback mode after LAN mode: the LAN certificate covers it too.
    const loopback = await ensure(['localhost'], ['127.0.0.1']);
    expect(again).toMatchObject({ caCreated: false, server: 'kept', spkiHash: first.spkiHash });
    expect(loopback).toMatchObject({ caCreated: false, server: 'kept', spkiHash: first.spkiHash });
    expect(await files()).toEqual(before);
    expect(lines).toEqual([]);
  });

  it('issues a new certificate from the same CA, with one line saying so, when an address in use is not covered', async () => {
    const first = await ensure(['jingle-lab.test', 'localhost'], ['192.168.1.20', '127.0.0.1']);
    const caBefore = await readFile(first.caFile, 'utf8');
    // The machine's LAN address changed.
    const moved = await ensure(['jingle-lab.test', 'localhost'], ['192.168.7.5', '127.0.0.1']);
    expect(moved).toMatchObject({ caCreated: false, server: 'reissued' });
    expect(moved.spkiHash).not.toBe(first.spkiHash);
    expect(await readFile(first.caFile, 'utf8')).toBe(caBefore);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/did not cover 192\.168\.7\.5; issued a new one from the same CA \(nothing to trust again\)/);
    const server = await cert(moved.certFile);
    expect(server.subjectAltName).toBe('DNS:jingle-lab.test, DNS:localhost, IP Address:192.168.7.5, IP Address:127.0.0.1');
    expect(server.verify((await cert(first.caFile)).publicKey)).toBe(true);
    // A new DNS name is a reason too.
    await ensure(['jingle-lab.example', 'localhost'], ['192.168.7.5', '127.0.0.1']);
    expect(lines[1]).toMatch(/did not cover jingle-lab\.example;/);
  });

  it('replaces a CA it cannot use, and says to trust the new one', async () => {
    await ensure(['localhost'], ['127.0.0.1']);
    await writeFile(join(dir, 'ca', 'ca.crt'), 'not a certificate\n');
    const made = await ensure(['localhost'], ['127.0.0.1']);
    expect(made).toMatchObject({ caCreated: true, server: 'reissued' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cannot be used .*made a new one: trust .*ca\.crt again\./);
    expect((await cert(made.certFile)).verify((await cert(made.caFile)).publicKey)).toBe(true);
  });

  it('gives a server that a TLS client trusting only the lab’s CA accepts by name and by address, and one trusting another CA refuses', async () => {
    const made = await ensure(['jingle-lab.test', 'localhost'], ['127.0.0.1']);
    const other = await ensure(['jingle-lab.test', 'localhost'], ['127.0.0.1'], join(dir, 'elsewhere'));
    const text = (file: string) => readFile(file, 'utf8');
    const [key, certificate, ca, otherCa] = await Promise.all([text(made.keyFile), text(made.certFile), text(made.caFile), text(other.caFile)]);
    const server = createServer({ key, cert: certificate }, (socket) => socket.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const handshake = (options: { ca: string; servername?: string }) =>
      new Promise<void>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port, ...options }, () => {
          socket.destroy();
          resolve();
        });
        socket.once('error', reject);
      });
    try {
      await handshake({ ca, servername: 'jingle-lab.test' });
      await handshake({ ca, servername: 'localhost' });
      // No name: the client checks the address it connected to.
      await handshake({ ca });
      await expect(handshake({ ca: otherCa, servername: 'jingle-lab.test' })).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
      await expect(handshake({ ca, servername: 'example.org' })).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    } finally {
      server.close();
    }
  });
});
