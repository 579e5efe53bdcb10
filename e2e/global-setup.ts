// Starts a fresh Prosody, coturn and the app for the end-to-end tests; stops them after.
import { rm } from 'node:fs/promises';
import { startAppServer } from '../scripts/app-server.mjs';
import { ensureLabCertificates } from '../scripts/certs.mjs';
import { ensureCoturn, newTurnSecret, startCoturn } from '../scripts/coturn.mjs';
import { ensureProsody, startProsody } from '../scripts/prosody.mjs';
import { STRANGERS, TEST_LAB, TURNLESS } from './lab-ports.ts';

export default async function globalSetup(): Promise<() => Promise<void>> {
  ensureProsody();
  await rm(TEST_LAB.dir, { recursive: true, force: true });
  // A CA of the run's own and a certificate for localhost: Prosody offers
  // STARTTLS on the client port and direct TLS beside it (e2e/tls.spec.ts).
  const certs = await ensureLabCertificates({ dir: TEST_LAB.dir, dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  // Node clients in the tests that take no CA option (@xmpp/client's STARTTLS)
  // trust the lab's CA, as a native client set up for the lab does. The
  // workers start after this and inherit it.
  process.env.NODE_EXTRA_CA_CERTS = certs.caFile;
  ensureCoturn();
  const secret = newTurnSecret();
  const coturn = await startCoturn({ dir: `${TEST_LAB.dir}/turn`, addresses: ['127.0.0.1'], port: TEST_LAB.turnPort, secret, realm: 'localhost' });
  const prosody = await startProsody({
    dir: TEST_LAB.dir,
    c2sPort: TEST_LAB.c2sPort,
    httpPort: TEST_LAB.httpPort,
    extraAccounts: [...STRANGERS, TURNLESS],
    turn: { host: '127.0.0.1', port: TEST_LAB.turnPort, secret },
    turnlessHost: TURNLESS.host,
    tls: { certificate: certs.certFile, key: certs.keyFile, port: TEST_LAB.c2sTlsPort },
  }).catch(async (err: unknown) => {
    await coturn.stop();
    throw err;
  });
  const app = await startAppServer({ port: TEST_LAB.appPort, xmppHttpPort: TEST_LAB.httpPort, watch: false });
  return async () => {
    await app.stop();
    await prosody.stop();
    await coturn.stop();
  };
}
