import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const API = 'http://127.0.0.1:8787';

/** The host refuses POSTs whose Origin is not itself (CSRF guard), so the proxy drops the dev origin. */
const proxied = {
  target: API,
  changeOrigin: true,
  configure: (proxy: { on(event: 'proxyReq', cb: (req: { removeHeader(name: string): void }) => void): unknown }) => {
    proxy.on('proxyReq', (req) => req.removeHeader('origin'));
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
      '/upload': proxied,
      '/events': proxied,
    },
  },
});
