// Vite plugin: ships the model packs in models/<pack>/ (a directory with a manifest.json) under /models/<pack>/.
// Only the files a manifest lists are served or emitted: training scripts and anything else in models/ stay out.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';

interface PackFiles {
  pack: string;
  files: string[];
}

export function listPacks(root: string): PackFiles[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'manifest.json')))
    .map((d) => {
      const manifest = JSON.parse(readFileSync(join(root, d.name, 'manifest.json'), 'utf8')) as {
        files?: { name: string }[];
      };
      return { pack: d.name, files: ['manifest.json', ...(manifest.files ?? []).map((f) => f.name)] };
    });
}

export function modelPacks(root = resolve('models')): Plugin {
  return {
    name: 'alpr-model-packs',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const m = /^\/models\/([A-Za-z0-9._-]+)\/([A-Za-z0-9._-]+)$/.exec(req.url?.split('?')[0] ?? '');
        const pack = m && listPacks(root).find((p) => p.pack === m[1]);
        if (!m || !pack || !pack.files.includes(m[2]!)) return next();
        res.setHeader(
          'Content-Type',
          m[2]!.endsWith('.json') ? 'application/json' : 'application/octet-stream',
        );
        res.end(readFileSync(join(root, m[1]!, m[2]!)));
      });
    },
    generateBundle() {
      for (const { pack, files } of listPacks(root)) {
        for (const file of files) {
          this.emitFile({
            type: 'asset',
            fileName: `models/${pack}/${file}`,
            source: readFileSync(join(root, pack, file)),
          });
        }
      }
    },
  };
}
