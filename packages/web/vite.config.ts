import { defineConfig } from 'vite';

// `npm run dev -w @switchyard/web` serves the dashboard with hot reload against a server on :8080.
const api = process.env.SWITCHYARD_API_URL ?? 'http://127.0.0.1:8080';
const proxied = ['/api', '/v1', '/otel', '/docs', '/health', '/ready', '/metrics'];

export default defineConfig({
  // `source` reads @switchyard/shared from its TypeScript, as the server does.
  resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The first page's budget (300 kB of gzipped JS) is checked by the browser suite, which
    // measures what Chromium downloads; this only flags a single chunk grown out of proportion.
    chunkSizeWarningLimit: 600,
    sourcemap: true,
    rollupOptions: {
      // React Query marks its modules "use client" for server-component bundlers; meaningless in an SPA.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: api, changeOrigin: false }])),
  },
});
