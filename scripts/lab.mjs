// `npm start`: the lab. Prosody on 127.0.0.1, the app's dev server, and one
// login link per demo account. `npm start -- --lan` (or LAB_LAN=1) serves it
// on this machine's network address instead (scripts/lan.mjs). Ctrl-C stops
// everything it started.
import { startAppServer } from './app-server.mjs';
import { ensureLabCertificates, shortPath } from './certs.mjs';
import { ensureCoturn, newTurnSecret, startCoturn } from './coturn.mjs';
import { LAN_DOMAIN, lanAddress, lanInstructions, startLanLab } from './lan.mjs';
import { DEMO_ACCOUNTS, LabError, assertPortFree, ensureProsody, loginLink, startProsody } from './prosody.mjs';

const ports = {
  c2s: Number(process.env.LAB_C2S_PORT ?? 5222),
  c2sTls: Number(process.env.LAB_C2S_TLS_PORT ?? 5223),
  http: Number(process.env.LAB_HTTP_PORT ?? 5280),
  app: Number(process.env.LAB_APP_PORT ?? 5173),
  turn: Number(process.env.LAB_TURN_PORT ?? 3478),
};
const dir = process.env.LAB_DIR ?? '.lab';
const lan = process.argv.includes('--lan') || process.env.LAB_LAN === '1';

const started = [];
let stopping = false;
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const stop of started.reverse()) await stop().catch(() => undefined);
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

/** Every port a number of its own: two services on one port would not fail, one would just be missing. */
function checkPorts() {
  const names = { c2s: 'LAB_C2S_PORT', c2sTls: 'LAB_C2S_TLS_PORT', http: 'LAB_HTTP_PORT', app: 'LAB_APP_PORT', turn: 'LAB_TURN_PORT' };
  const seen = new Map();
  for (const [key, port] of Object.entries(ports)) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new LabError(`${names[key]}=${process.env[names[key]]} is not a port number (1–65535).`);
    if (seen.has(port)) throw new LabError(`${names[seen.get(port)]} and ${names[key]} are both ${port}; give them different ports.`);
    seen.set(port, key);
  }
}

/** Reports a server that dies while the lab runs, and stops the rest. */
function watch(child, name, logFile) {
  child.once('exit', (code) => {
    if (stopping) return;
    console.error(`\n${name} stopped unexpectedly (exit code ${code}); see ${logFile}.`);
    void stopAll(1);
  });
}

async function startLoopback() {
  await assertPortFree(ports.c2s, 'XMPP client port');
  await assertPortFree(ports.c2sTls, 'XMPP direct TLS');
  await assertPortFree(ports.http, 'Prosody HTTP/WebSocket');
  await assertPortFree(ports.app, 'the app');
  process.stdout.write('Starting coturn… ');
  const turnSecret = newTurnSecret();
  const coturn = await startCoturn({ dir: `${dir}/turn`, addresses: ['127.0.0.1'], port: ports.turn, secret: turnSecret, realm: 'localhost' });
  started.push(coturn.stop);
  watch(coturn.child, 'coturn', `${dir}/turn/coturn.log`);
  console.log(`STUN/TURN on 127.0.0.1:${ports.turn} (UDP and TCP)`);
  // STARTTLS and direct TLS for native clients, with the lab's CA (kept in the lab's folder).
  const certs = await ensureLabCertificates({ dir, dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  process.stdout.write('Starting Prosody… ');
  const prosody = await startProsody({
    dir,
    c2sPort: ports.c2s,
    httpPort: ports.http,
    turn: { host: '127.0.0.1', port: ports.turn, secret: turnSecret },
    tls: { certificate: certs.certFile, key: certs.keyFile, port: ports.c2sTls },
  });
  started.push(prosody.stop);
  watch(prosody.child, 'Prosody', `${dir}/prosody.log`);
  console.log(`on 127.0.0.1:${ports.c2s} (XMPP, STARTTLS), :${ports.c2sTls} (XMPP, direct TLS) and :${ports.http} (WebSocket)`);
  process.stdout.write('Starting the app… ');
  const app = await startAppServer({ port: ports.app, xmppHttpPort: ports.http });
  started.push(app.stop);
  console.log(app.origin);
  console.log('\nOpen one link per browser window (or profile) to log in:');
  for (const account of DEMO_ACCOUNTS) console.log(`  ${account.name.padEnd(6)} ${loginLink(app.origin, account)}`);
  console.log(`\nNative clients: log in as alice@localhost, bob@localhost or carol@localhost (password = user name) on 127.0.0.1:${ports.c2s} (STARTTLS) or :${ports.c2sTls} (direct TLS).`);
  console.log(`Trust the lab's CA in them (${shortPath(certs.caFile)}), or accept its certificate when asked. For a phone or another computer: npm start -- --lan`);
  console.log('Press Ctrl-C to stop.');
}

/** LAN mode: the lab on this machine's network address, and what to do on each device. */
async function startLan() {
  const domain = process.env.LAB_DOMAIN?.trim().toLowerCase() || LAN_DOMAIN;
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(domain)) {
    throw new LabError(`LAB_DOMAIN=${domain} is not a domain name with a dot in it, such as ${LAN_DOMAIN}.`);
  }
  const { address, interface: name } = lanAddress();
  console.log(`Starting the lab on ${address} (${name})…`);
  const lab = await startLanLab({ dir, address, domain, ports, log: (line) => console.log(line), started });
  watch(lab.coturn.child, 'coturn', `${dir}/turn/coturn.log`);
  watch(lab.prosody.child, 'Prosody', `${dir}/prosody.log`);
  console.log(`\n${await lanInstructions({ ...lab, interface: name })}\n\nPress Ctrl-C to stop.`);
}

try {
  checkPorts();
  ensureProsody();
  ensureCoturn();
  await (lan ? startLan() : startLoopback());
} catch (err) {
  console.error(err instanceof LabError ? err.message : `The lab failed to start: ${err?.message ?? err}`);
  await stopAll(1);
}
