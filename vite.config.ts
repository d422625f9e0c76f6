import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { SECURITY_HEADERS } from './scripts/headers.ts';
import { modelPacks } from './scripts/model-packs.ts';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};
// BUILD_ID distinguishes deployments of the same version (CI sets it; otherwise the build time).
const buildId = process.env['BUILD_ID'] ?? new Date().toISOString();

export default defineConfig({
  define: {
    __APP_VERSION__: JSON.stringify(pkg.version),
    __BUILD_ID__: JSON.stringify(buildId),
  },
  plugins: [
    svelte(),
    modelPacks(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        id: '/',
        name: 'ALPR Field Unit',
        short_name: 'ALPR',
        description: 'Automated License Plate Reader field unit for California law-enforcement agencies.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        background_color: '#0b1f3a',
        theme_color: '#0b1f3a',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      injectManifest: {
        rollupFormat: 'iife',
        // The app, its wasm runtimes and model packs: everything needed to run a shift offline.
        globPatterns: ['**/*.{html,js,css,svg,png,ico,webmanifest,wasm,onnx,json}'],
        globIgnores: ['**/*.map'],
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  server: { headers: SECURITY_HEADERS.dev },
  preview: { headers: SECURITY_HEADERS.production, port: 4173 },
  build: { target: 'es2022', sourcemap: true },
});
