import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const API = 'http://127.0.0.1:8787';

/**
 * The host answers only to its own name and refuses POSTs from other origins (DNS rebinding, CSRF),
 * so the proxy presents the dev page's requests as the host's own: its Host, its Origin, no Referer.
 */
const proxied = {
  target: API,
  changeOrigin: true,
  configure: (proxy: {
    on(
      event: 'proxyReq',
      cb: (req: { setHeader(name: string, value: string): void; removeHeader(name: string): void }) => void,
    ): unknown;
  }) => {
    proxy.on('proxyReq', (req) => {
      req.setHeader('origin', API);
      req.removeHeader('referer');
    });
  },
};

/**
 * index.html carries the production CSP (script-src 'self'). The dev server needs an inline
 * React Refresh preamble and a websocket for HMR, so the meta tag is relaxed while serving only;
 * the built HTML keeps the strict policy and has no inline scripts.
 */
function devCsp(): Plugin {
  return {
    name: 'eclectyc-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(
        /(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")/,
        (_m, a: string, policy: string, z: string) =>
          a +
          policy
            .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
            .replace("connect-src 'self'", "connect-src 'self' ws: http://127.0.0.1:* http://localhost:*") +
          z,
      );
    },
  };
}

export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react(), devCsp()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    port: 5173,
    strictPort: false,
    proxy: {
      '/rpc': proxied,
      '/auth': proxied,
      '/upload': proxied,
      '/events': proxied,
    },
  },
});
