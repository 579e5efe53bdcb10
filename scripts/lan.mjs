// LAN mode (`npm start -- --lan`): the same lab on this machine's network
// address, for a phone or another computer. Native clients need TLS and a
// domain that is not "localhost"; a browser elsewhere needs HTTPS for its
// camera and microphone. So: Prosody with STARTTLS and direct TLS on
// 127.0.0.1 and the address, the app over HTTPS, coturn relaying from the
// address, all with the lab's own CA to trust once per device.
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import QRCode from 'qrcode';
import { startAppServer } from './app-server.mjs';
import { ensureLabCertificates, shortPath } from './certs.mjs';
import { newTurnSecret, startCoturn } from './coturn.mjs';
import { DEMO_ACCOUNTS, LabError, assertPortFree, loginLink, startProsody } from './prosody.mjs';

/** The demo accounts' domain in LAN mode: a name native clients accept, reserved (RFC 2606) so it is nobody's. */
export const LAN_DOMAIN = 'jingle-lab.test';

const LOOPBACK = '127.0.0.1';
const isIPv4 = (a) => a.family === 'IPv4' || a.family === 4;

/**
 * The address LAN mode serves on, and the interface it belongs to:
 * `LAB_LAN_ADDRESS` when set (it must be one of this machine's), otherwise
 * the first IPv4 address that is neither loopback nor link-local.
 * @returns {{ address: string, interface: string }}
 */
export function lanAddress(env = process.env, interfaces = networkInterfaces()) {
  const all = Object.entries(interfaces).flatMap(([name, addresses]) => (addresses ?? []).map((a) => ({ ...a, name })));
  const wanted = env.LAB_LAN_ADDRESS?.trim();
  if (wanted) {
    if (isIP(wanted) !== 4) throw new LabError(`LAB_LAN_ADDRESS=${wanted} is not an IPv4 address; set it to one of this machine's.`);
    const found = all.find((a) => a.address === wanted);
    if (!found) {
      const own = all.filter((a) => isIPv4(a) && !a.internal).map((a) => a.address);
      throw new LabError(`LAB_LAN_ADDRESS=${wanted} is not an address of this machine (${own.length ? `it has ${own.join(', ')}` : 'it has none but loopback'}).`);
    }
    return { address: wanted, interface: found.name };
  }
  const found = all.find((a) => isIPv4(a) && !a.internal && !a.address.startsWith('169.254.'));
  if (!found) throw new LabError('LAN mode found no network address on this machine: connect it to a network, or set LAB_LAN_ADDRESS to its address.');
  return { address: found.address, interface: found.name };
}

/**
 * Starts the lab in LAN mode: the CA and a certificate for `domain`,
 * localhost, 127.0.0.1 and `address` (a new one from the same CA when the
 * address changed); coturn on `address` and 127.0.0.1, relaying from
 * `address`; Prosody on both with STARTTLS on `ports.c2s` and direct TLS on
 * `ports.c2sTls`, refusing unencrypted native clients; and the app over HTTPS
 * on `address`, its WebSocket through the same origin. Every port is checked
 * first on every address it needs. `stop()` ends what it started; so do the
 * functions it pushes onto `started` as each part runs, for a Ctrl-C that
 * comes before it returns. `watch` as startAppServer's.
 * @param {{ dir: string, address: string, domain?: string, ports: { c2s: number, c2sTls: number, http: number, app: number, turn: number }, log?: (line: string) => void, started?: (() => Promise<void>)[], watch?: boolean }} options
 */
export async function startLanLab({ dir, address, domain = LAN_DOMAIN, ports, log = console.log, started = [], watch = true }) {
  const addresses = [...new Set([address, LOOPBACK])];
  for (const host of addresses) {
    await assertPortFree(ports.c2s, 'XMPP client port', host);
    await assertPortFree(ports.c2sTls, 'XMPP direct TLS', host);
  }
  await assertPortFree(ports.http, 'Prosody HTTP/WebSocket');
  await assertPortFree(ports.app, 'the app', address);
  const certs = await ensureLabCertificates({ dir, dnsNames: [domain, 'localhost'], ipAddresses: addresses, log });

  const stops = [];
  const track = (part) => {
    stops.push(part.stop);
    started.push(part.stop);
    return part;
  };
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
  };
  try {
    const secret = newTurnSecret();
    const coturn = track(await startCoturn({ dir: `${dir}/turn`, addresses, port: ports.turn, secret, realm: domain }));
    const prosody = track(await startProsody({
      dir,
      domain,
      interfaces: addresses,
      c2sPort: ports.c2s,
      httpPort: ports.http,
      tls: { certificate: certs.certFile, key: certs.keyFile, port: ports.c2sTls },
      requireEncryption: true,
      turn: { host: address, port: ports.turn, secret },
    }));
    const https = { cert: certs.certFile, key: certs.keyFile };
    const app = track(await startAppServer({ host: address, port: ports.app, xmppHttpPort: ports.http, https, caFile: certs.caFile, watch }));
    return {
      address,
      domain,
      ports,
      origin: app.origin,
      certs,
      accounts: DEMO_ACCOUNTS.map((account) => ({ ...account, jid: `${account.user}@${domain}`, link: loginLink(app.origin, account, domain) })),
      prosody,
      coturn,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * What LAN mode prints: where everything is, how to trust the CA, what to
 * enter in Conversations and Dino, and per account its link and a QR code of it.
 * @param {Awaited<ReturnType<typeof startLanLab>> & { interface?: string }} lab
 */
export async function lanInstructions(lab) {
  const { address, domain, ports, origin } = lab;
  const ca = shortPath(lab.certs.caFile);
  const srv = (service, port) => `_${service}._tcp.${domain} SRV 0 0 ${port} ${domain}.`;
  const lines = [
    `Jingle Lab on ${address}${lab.interface ? ` (${lab.interface})` : ''}, domain ${domain}`,
    `  app        ${origin}`,
    `  XMPP       ${address}:${ports.c2s} (STARTTLS), ${address}:${ports.c2sTls} (direct TLS)`,
    `  STUN/TURN  ${address}:${ports.turn} (UDP and TCP)`,
    '',
    `1. On each device, trust the lab's CA once: ${ca} (also at ${origin}/ca.crt)`,
    '   browser   import it as an authority (Chromium: chrome://certificate-manager; Firefox: View Certificates → Authorities)',
    '   Android   Settings → Security → Encryption & credentials → Install a certificate → CA certificate',
    `   Debian    sudo cp ${ca} /usr/local/share/ca-certificates/jingle-lab.crt && sudo update-ca-certificates`,
    '',
    '2. Native clients log in as an account below',
    `   Conversations  host ${address}, port ${ports.c2s} (Settings → Expert settings → Extended connection settings)`,
    `   Dino           resolves ${domain} by DNS: add "${address} ${domain}" to /etc/hosts${ports.c2s === 5222 ? '' : ` (port ${ports.c2s} needs the SRV records too)`},`,
    `                  or serve ${domain} A ${address}, ${srv('xmpp-client', ports.c2s)}`,
    `                  and ${srv('xmpps-client', ports.c2sTls)}`,
    '',
    '3. Browsers open a link below (a phone can scan its code)',
  ];
  for (const account of lab.accounts) {
    const qr = await QRCode.toString(account.link, { type: 'terminal', small: true, errorCorrectionLevel: 'L' });
    lines.push('', `${account.name}: ${account.jid}, password ${account.password}`, account.link, qr.trimEnd());
  }
  return lines.join('\n');
}
