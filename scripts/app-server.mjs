// Starts the Vite dev server of the app, proxying /xmpp-websocket to Prosody.
import { fileURLToPath } from 'node:url';
import { createLogger, createServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

// A WebSocket that both ends close at once makes the proxy report a write after
// the end; that is a normal logout, not an error worth a stack trace.
function quietLogger() {
  const logger = createLogger('warn');
  const error = logger.error.bind(logger);
  logger.error = (msg, options) => {
    if (/ws proxy (socket )?error/.test(msg) && /ended by the other party|EPIPE|ECONNRESET/.test(msg)) return;
    error(msg, options);
  };
  return logger;
}

export async function startAppServer({ port, xmppHttpPort }) {
  process.env.JINGLE_LAB_XMPP_HTTP_PORT = String(xmppHttpPort);
  const server = await createServer({
    root,
    configFile: `${root}/vite.config.ts`,
    customLogger: quietLogger(),
    clearScreen: false,
    server: { port, strictPort: true, host: '127.0.0.1' },
  });
  await server.listen();
  return {
    origin: `http://localhost:${port}`,
    stop: () => server.close(),
  };
}
