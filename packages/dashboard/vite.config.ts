import { defineConfig } from 'vite';

/**
 * The dashboard's build: a static folder (`dist/`) with relative asset paths, so the same files work at `/` of the
 * local platform's API and at the root of the CloudFront site. `TILLFLOW_DASHBOARD_API_URL` (build time) sets the
 * API's base URL; without it the API is the page's own origin (how the local platform serves it). A `config.json`
 * next to `index.html` overrides it at run time (docs/deployment.md).
 */
export default defineConfig({
  base: './',
  define: {
    __TILLFLOW_API_URL__: JSON.stringify(process.env.TILLFLOW_DASHBOARD_API_URL ?? ''),
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 300,
  },
  server: {
    proxy: Object.fromEntries(
      [
        '/analytics',
        '/trends',
        '/stores',
        '/dates',
        '/files',
        '/download-url',
        '/reports',
        '/uploads',
        '/health',
        '/local',
      ].map((p) => [p, process.env.TILLFLOW_API ?? 'http://127.0.0.1:3000']),
    ),
  },
});
