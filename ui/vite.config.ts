import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
// Dev server proxies to a running API (npm start); the API itself serves ui/dist in production.
const api = process.env.CALLSTREAM_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  base: './',
  plugins: [svelte()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: {
    proxy: {
      '/graphql': { target: api, ws: true },
      '/imports': api,
      '/recordings': api,
    },
  },
});
