// `npm start`: the lab. Prosody on 127.0.0.1, the app's dev server, and one
// login link per demo account. Ctrl-C stops everything it started.
import { startAppServer } from './app-server.mjs';
import { DEMO_ACCOUNTS, LabError, assertPortFree, ensureProsody, loginLink, startProsody } from './prosody.mjs';

const ports = {
  c2s: Number(process.env.LAB_C2S_PORT ?? 5222),
  http: Number(process.env.LAB_HTTP_PORT ?? 5280),
  app: Number(process.env.LAB_APP_PORT ?? 5173),
};
const dir = process.env.LAB_DIR ?? '.lab';

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

try {
  ensureProsody();
  await assertPortFree(ports.c2s, 'XMPP client port');
  await assertPortFree(ports.http, 'Prosody HTTP/WebSocket');
  await assertPortFree(ports.app, 'the app');
  process.stdout.write('Starting Prosody… ');
  const prosody = await startProsody({ dir, c2sPort: ports.c2s, httpPort: ports.http });
  started.push(prosody.stop);
  prosody.child.once('exit', (code) => {
    if (stopping) return;
    console.error(`\nProsody stopped unexpectedly (exit code ${code}); see ${dir}/prosody.log.`);
    void stopAll(1);
  });
  console.log(`on 127.0.0.1:${ports.c2s} (XMPP) and :${ports.http} (WebSocket)`);
  process.stdout.write('Starting the app… ');
  const app = await startAppServer({ port: ports.app, xmppHttpPort: ports.http });
  started.push(app.stop);
  console.log(app.origin);
  console.log('\nOpen one link per browser window (or profile) to log in:');
  for (const account of DEMO_ACCOUNTS) console.log(`  ${account.name.padEnd(6)} ${loginLink(app.origin, account)}`);
  console.log(`\nNative clients: log in as alice@localhost, bob@localhost or carol@localhost (password = user name) on 127.0.0.1:${ports.c2s}.`);
  console.log('Press Ctrl-C to stop.');
} catch (err) {
  console.error(err instanceof LabError ? err.message : `The lab failed to start: ${err?.message ?? err}`);
  await stopAll(1);
}
