// Starts the Vite dev server of the app, proxying /xmpp-websocket to Prosody.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, createLogger, createServer, preview } from 'vite';

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

// The lab's CA at /ca.crt, so that a phone can fetch it from the app's own
// address (past the browser's warning, once) to install it.
function serveCa(caFile) {
  return {
    name: 'jingle-lab-ca',
    configureServer(server) {
      server.middlewares.use('/ca.crt', async (_req, res) => {
        res.setHeader('content-type', 'application/x-x509-ca-cert');
        res.setHeader('content-disposition', 'attachment; filename="jingle-lab-ca.crt"');
        res.end(await readFile(caFile));
      });
    },
  };
}

/**
 * Starts the app's dev server on `host:port` (127.0.0.1 unless told), its
 * /xmpp-websocket proxied to Prosody's HTTP port. With `https` (the paths of
 * a certificate and key) it serves HTTPS, and with `caFile` the lab's CA at /ca.crt.
 * `watch: false` (tests, benchmarks) neither watches the sources nor reloads
 * open pages: an edit during a run must not reload a page mid-call.
 * @param {{ port: number, xmppHttpPort: number, host?: string, https?: { cert: string, key: string }, caFile?: string, watch?: boolean }} options
 */
export async function startAppServer({ port, xmppHttpPort, host = '127.0.0.1', https, caFile, watch = true }) {
  process.env.JINGLE_LAB_XMPP_HTTP_PORT = String(xmppHttpPort);
  const server = await createServer({
    root,
    configFile: `${root}/vite.config.ts`,
    customLogger: quietLogger(),
    clearScreen: false,
    plugins: caFile ? [serveCa(caFile)] : [],
    server: {
      port,
      strictPort: true,
      host,
      ...(https && { https: { cert: await readFile(https.cert), key: await readFile(https.key) } }),
      ...(!watch && { watch: null, hmr: false }),
    },
  });
  await server.listen();
  const name = host.includes(':') ? `[${host}]` : host;
  return {
    // Plain HTTP is a secure context on localhost only; HTTPS is one anywhere.
    origin: https ? `https://${name}:${port}` : `http://localhost:${port}`,
    stop: () => server.close(),
  };
}

/**
 * Builds the app for production into `outDir` and serves that build on
 * 127.0.0.1:`port` (Vite's preview server, with the same /xmpp-websocket
 * proxy): what a deployment serves, for the benchmark's page-load figures.
 * @param {{ port: number, xmppHttpPort: number, outDir: string }} options
 */
export async function startProductionServer({ port, xmppHttpPort, outDir }) {
  process.env.JINGLE_LAB_XMPP_HTTP_PORT = String(xmppHttpPort);
  await build({ root, configFile: `${root}/vite.config.ts`, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await preview({
    root,
    configFile: `${root}/vite.config.ts`,
    logLevel: 'warn',
    customLogger: quietLogger(),
    build: { outDir },
    preview: { port, strictPort: true, host: '127.0.0.1' },
  });
  return {
    origin: `http://localhost:${port}`,
    outDir,
    stop: () => new Promise((resolveStop) => server.httpServer.close(() => resolveStop())),
  };
}
