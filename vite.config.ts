// The app's dev server proxies /xmpp-websocket to the lab's Prosody, so the
// app is same-origin, and serves the XEP-0156 host-meta that points there.
import { defineConfig, type Plugin } from 'vite';

const xmppHttpPort = Number(process.env.JINGLE_LAB_XMPP_HTTP_PORT ?? 5280);

function hostMeta(): Plugin {
  return {
    name: 'jingle-lab-host-meta',
    configureServer(server) {
      server.middlewares.use('/.well-known/host-meta', (req, res) => {
        // Over HTTPS the dev server speaks HTTP/2, which names the host in :authority.
        const host = req.headers.host ?? req.headers[':authority'] ?? 'localhost';
        // Served over HTTPS (LAN mode), the page may only open wss://.
        const scheme = 'encrypted' in req.socket ? 'wss' : 'ws';
        res.setHeader('content-type', 'application/xrd+xml');
        res.setHeader('access-control-allow-origin', '*');
        res.end(`<?xml version="1.0" encoding="utf-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="urn:xmpp:alt-connections:websocket" href="${scheme}://${host}/xmpp-websocket"/>
</XRD>
`);
      });
    },
  };
}

export default defineConfig({
  plugins: [hostMeta()],
  server: {
    host: '127.0.0.1',
    strictPort: true,
    proxy: {
      '/xmpp-websocket': { target: `ws://127.0.0.1:${xmppHttpPort}`, ws: true },
    },
  },
  // The interop suite's StanzaJS peer page is served by the same dev server;
  // its dependencies are found up front, so its first load does not reload.
  optimizeDeps: { entries: ['index.html', 'e2e/peer/index.html'] },
  build: { target: 'es2022' },
});
