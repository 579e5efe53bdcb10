// Starts the Vite dev server of the app, proxying /xmpp-websocket to Prosody.
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function startAppServer({ port, xmppHttpPort }) {
  process.env.JINGLE_LAB_XMPP_HTTP_PORT = String(xmppHttpPort);
  const server = await createServer({
    root,
    configFile: `${root}/vite.config.ts`,
    logLevel: 'warn',
    clearScreen: false,
    server: { port, strictPort: true, host: '127.0.0.1' },
  });
  await server.listen();
  return {
    origin: `http://localhost:${port}`,
    stop: () => server.close(),
  };
}
