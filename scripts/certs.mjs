// The lab's own certificate authority and the server certificate it signs,
// so that native clients (which always negotiate TLS) and browsers on other
// machines (which need HTTPS for getUserMedia) can trust the lab once, by its
// CA, and keep trusting it when the lab's address changes.
import 'reflect-metadata'; // @peculiar/x509 needs the Reflect metadata API
import * as x509 from '@peculiar/x509';
import { X509Certificate, createHash, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

x509.cryptoProvider.set(webcrypto);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY = 24 * 3600 * 1000;
const CA_DAYS = 3650;
// Below the 398 days browsers allow publicly trusted certificates, so no
// client has a reason to refuse it.
const SERVER_DAYS = 397;
// A certificate this close to its end is replaced before a client sees it expire.
const RENEW_DAYS = 30;

const pem = (label, der) => `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').match(/.{1,64}/g).join('\n')}\n-----END ${label}-----\n`;

// A serial of 16 random bytes, positive as DER wants it.
const serial = () => {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
};

/** Keys are written readable by their owner only, and a file appears whole or not at all. */
async function writeAtomically(path, text, mode = 0o644) {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode });
  await rename(temporary, path);
}

async function newKeys() {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function privateKeyPem(key) {
  return pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key));
}

async function createCa(caDir) {
  const keys = await newKeys();
  const machine = hostname().replace(/[^A-Za-z0-9.-]/g, '') || 'this machine';
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=Jingle Lab CA on ${machine}, O=Jingle Lab`,
    notBefore: new Date(now - 3600 * 1000),
    notAfter: new Date(now + CA_DAYS * DAY),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  await writeAtomically(join(caDir, 'ca.key'), await privateKeyPem(keys.privateKey), 0o600);
  await writeAtomically(join(caDir, 'ca.crt'), cert.toString('pem'));
}

/** The CA on disk, or why it cannot sign (missing, unreadable, expiring, or its key does not match). */
async function loadCa(caDir) {
  let certPem;
  let keyPem;
  try {
    [certPem, keyPem] = await Promise.all([readFile(join(caDir, 'ca.crt'), 'utf8'), readFile(join(caDir, 'ca.key'), 'utf8')]);
  } catch (err) {
    return { problem: err.code === 'ENOENT' ? 'missing' : err.message };
  }
  try {
    const node = new X509Certificate(certPem);
    const key = createPrivateKey(keyPem);
    if (!node.ca) return { problem: 'it is not a CA certificate' };
    if (!node.checkPrivateKey(key)) return { problem: 'its key does not match it' };
    if (Date.parse(node.validTo) < Date.now() + RENEW_DAYS * DAY) return { problem: `it expires on ${node.validTo}` };
    const signingKey = await webcrypto.subtle.importKey('pkcs8', key.export({ type: 'pkcs8', format: 'der' }), ALGORITHM, false, ['sign']);
    return { node, cert: new x509.X509Certificate(certPem), signingKey };
  } catch (err) {
    return { problem: err.message };
  }
}

/** Which of the names and addresses `node` (a server certificate) does not cover, or why it is unusable. */
function serverCertProblems(node, keyPem, ca, dnsNames, ipAddresses) {
  if (!node.checkIssued(ca.node) || !node.verify(ca.node.publicKey)) return { problem: 'it was not issued by the lab’s CA' };
  if (!node.checkPrivateKey(createPrivateKey(keyPem))) return { problem: 'its key does not match it' };
  if (Date.parse(node.validTo) < Date.now() + RENEW_DAYS * DAY) return { problem: `it expires on ${node.validTo}` };
  const missing = [
    ...dnsNames.filter((name) => node.checkHost(name, { wildcards: false, subject: 'never' }) === undefined),
    ...ipAddresses.filter((ip) => node.checkIP(ip) === undefined),
  ];
  return { missing };
}

async function issueServerCert(certsDir, ca, dnsNames, ipAddresses) {
  const keys = await newKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${dnsNames[0] ?? ipAddresses[0]}, O=Jingle Lab`,
    issuer: ca.cert.subjectName,
    notBefore: new Date(now - 3600 * 1000),
    notAfter: new Date(now + SERVER_DAYS * DAY),
    publicKey: keys.publicKey,
    signingKey: ca.signingKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      // clientAuth too: Prosody presents the same certificate when it connects out.
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([...dnsNames.map((value) => ({ type: 'dns', value })), ...ipAddresses.map((value) => ({ type: 'ip', value }))]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert.publicKey),
    ],
  });
  await writeAtomically(join(certsDir, 'server.key'), await privateKeyPem(keys.privateKey), 0o600);
  // The chain a client needs besides its trusted CA: the server certificate alone.
  await writeAtomically(join(certsDir, 'server.crt'), cert.toString('pem'));
}

/** A path as a person would type it here: relative to the working directory when inside it. */
export function shortPath(path) {
  const inside = relative(process.cwd(), path);
  return inside && !inside.startsWith('..') ? inside : path;
}

/**
 * The SHA-256 hash (base64) of a certificate's public key (its DER
 * SubjectPublicKeyInfo): what Chromium's --ignore-certificate-errors-spki-list takes.
 * @param {string} certPem
 */
export function spkiHash(certPem) {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/**
 * Makes sure the lab has its CA (`<dir>/ca/ca.crt`, `ca.key`, made once and
 * then reused) and a server certificate signed by it (`<dir>/certs/server.crt`,
 * `server.key`) whose subject alternative names cover every DNS name and IP
 * address given. A server certificate that does not cover one of them (the
 * machine's address changed), or nears its end, is replaced by a new one from
 * the same CA, and `log` gets one line saying so: nobody has to trust anything
 * again. A CA that cannot sign any more is replaced too, and `log` says to
 * trust the new one.
 * @param {{ dir: string, dnsNames: string[], ipAddresses?: string[], log?: (line: string) => void }} options
 * @returns {Promise<{ caFile: string, certFile: string, keyFile: string, spkiHash: string, caCreated: boolean, server: 'new' | 'reissued' | 'kept' }>}
 */
export async function ensureLabCertificates({ dir, dnsNames, ipAddresses = [], log = console.log }) {
  dir = resolve(dir);
  const caDir = join(dir, 'ca');
  const certsDir = join(dir, 'certs');
  await mkdir(certsDir, { recursive: true });
  await mkdir(caDir, { recursive: true, mode: 0o700 });

  let caCreated = false;
  let ca = await loadCa(caDir);
  if (ca.problem) {
    if (ca.problem !== 'missing') log(`The lab's CA in ${shortPath(caDir)} cannot be used (${ca.problem}); made a new one: trust ${shortPath(join(caDir, 'ca.crt'))} again.`);
    await createCa(caDir);
    caCreated = true;
    ca = await loadCa(caDir);
    if (ca.problem) throw new Error(`The lab's new CA cannot be read back: ${ca.problem}`);
  }

  const certFile = join(certsDir, 'server.crt');
  const keyFile = join(certsDir, 'server.key');
  let server = 'kept';
  let existing;
  try {
    const [certPem, keyPem] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
    existing = serverCertProblems(new X509Certificate(certPem), keyPem, ca, dnsNames, ipAddresses);
  } catch (err) {
    existing = err.code === 'ENOENT' ? undefined : { problem: err.message };
  }
  if (!existing) {
    server = 'new';
  } else if (existing.problem || existing.missing.length) {
    server = 'reissued';
    // A new CA has just been announced: the new certificate needs no line of its own.
    if (!caCreated) {
      const why = existing.problem ?? `did not cover ${existing.missing.join(' and ')}`;
      log(`The lab's certificate ${existing.problem ? `could not be used (${why})` : why}; issued a new one from the same CA (nothing to trust again).`);
    }
  }
  if (server !== 'kept') await issueServerCert(certsDir, ca, dnsNames, ipAddresses);

  return {
    caFile: join(caDir, 'ca.crt'),
    certFile,
    keyFile,
    spkiHash: spkiHash(await readFile(certFile, 'utf8')),
    caCreated,
    server,
  };
}
