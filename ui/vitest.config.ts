import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// Component tests run in node: state classes directly, components through svelte/server's render.
// No browser and no database here; the real-browser checks live in test/e2e.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [svelte()],
  test: {
    name: 'ui',
    include: ['test/**/*.test.ts'],
    environment: 'node',
    expect: { requireAssertions: true },
  },
});
