// Builds the store-layer and engine harness page the e2e tests drive in Chromium.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { modelPacks } from '../../../scripts/model-packs.ts';

export default defineConfig({
  root: import.meta.dirname,
  define: { __APP_VERSION__: JSON.stringify('harness'), __BUILD_ID__: JSON.stringify('harness') },
  plugins: [modelPacks(resolve(import.meta.dirname, '../../../models'))],
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: {
    outDir: resolve(import.meta.dirname, '../../../dist-e2e-harness'),
    emptyOutDir: true,
    target: 'es2022',
  },
  logLevel: 'error',
});
