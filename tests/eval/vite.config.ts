// Builds the eval page (tests/eval/page) the way the app is built: ES workers, the model packs under /models/.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { modelPacks } from '../../scripts/model-packs.ts';

export default defineConfig({
  root: resolve(import.meta.dirname, 'page'),
  define: { __APP_VERSION__: JSON.stringify('eval'), __BUILD_ID__: JSON.stringify('eval') },
  plugins: [modelPacks(resolve(import.meta.dirname, '../../models'))],
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { outDir: resolve(import.meta.dirname, '../../dist-eval'), emptyOutDir: true, target: 'es2022' },
  logLevel: 'error',
});
