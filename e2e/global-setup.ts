// Starts a fresh Prosody and the app for the end-to-end tests; stops them after.
import { rm } from 'node:fs/promises';
import { startAppServer } from '../scripts/app-server.mjs';
import { ensureProsody, startProsody } from '../scripts/prosody.mjs';
import { STRANGERS, TEST_LAB } from './lab-ports.ts';

export default async function globalSetup(): Promise<() => Promise<void>> {
  ensureProsody();
  await rm(TEST_LAB.dir, { recursive: true, force: true });
  const prosody = await startProsody({ dir: TEST_LAB.dir, c2sPort: TEST_LAB.c2sPort, httpPort: TEST_LAB.httpPort, extraAccounts: STRANGERS });
  const app = await startAppServer({ port: TEST_LAB.appPort, xmppHttpPort: TEST_LAB.httpPort });
  return async () => {
    await app.stop();
    await prosody.stop();
  };
}
