// Builds the store-layer harness page the e2e tests drive in Chromium.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  define: { __APP_VERSION__: JSON.stringify('harness'), __BUILD_ID__: JSON.stringify('harness') },
  worker: { format: 'es' },
  build: {
    outDir: resolve(import.meta.dirname, '../../../dist-e2e-harness'),
    emptyOutDir: true,
    target: 'es2022',
  },
  logLevel: 'error',
});
