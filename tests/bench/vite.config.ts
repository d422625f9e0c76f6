// Builds the in-browser benchmark page (tests/bench/browser) the way the app is built: ES workers, same defines.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: resolve(import.meta.dirname, 'browser'),
  define: { __APP_VERSION__: JSON.stringify('bench'), __BUILD_ID__: JSON.stringify('bench') },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { outDir: resolve(import.meta.dirname, '../../dist-bench'), emptyOutDir: true, target: 'es2022' },
  logLevel: 'error',
});
