// Vite config for the web app: root web/, output web/dist (served by src/server/routes/web/web-routes.ts).
// `npm run dev:web` runs the dev server on :5173; /api goes to the Mosaic at MOSAIC_API_URL
// (default http://127.0.0.1:8080, where `npm start` listens).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const webDir = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webDir,
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 5173,
    proxy: {
      // SSE must stream through the proxy unbuffered; Vite's http-proxy passes chunks as they come.
      '/api': { target: process.env.MOSAIC_API_URL ?? 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
});
