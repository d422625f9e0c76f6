// The production server: serves the built app (dist/) with cross-origin isolation and the strict CSP.
// `npm start` runs it after building; PORT (default 4173) and HOST (default 127.0.0.1) override.
// Guarantees: only GET/HEAD; no path escapes the root; the service worker and HTML are never cached by HTTP
// (so updates are seen), hashed assets are cached for a year.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SECURITY_HEADERS } from './headers.ts';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface ServeOptions {
  root: string;
  port?: number;
  host?: string;
}

function cacheControl(path: string): string {
  if (path.startsWith('/assets/')) return 'public, max-age=31536000, immutable';
  return 'no-cache';
}

async function resolveFile(root: string, urlPath: string): Promise<{ file: string; path: string } | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  const file = resolve(root, rel);
  if (file !== root && !file.startsWith(root + sep)) return null;
  try {
    const s = await stat(file);
    if (s.isFile()) return { file, path: decoded };
    if (s.isDirectory()) {
      const index = join(file, 'index.html');
      if ((await stat(index).catch(() => null))?.isFile())
        return { file: index, path: `${decoded}/index.html` };
    }
  } catch {
    // fall through
  }
  // Single-page app: extension-less paths get the shell; missing files stay 404.
  if (!extname(rel)) return { file: join(root, 'index.html'), path: '/index.html' };
  return null;
}

export function startServer(options: ServeOptions): Promise<RunningServer> {
  const root = resolve(options.root);
  const headers = SECURITY_HEADERS.production;
  const server: Server = createServer((req, res) => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' })
        .end('Method not allowed');
      return;
    }
    const urlPath = (req.url ?? '/').split('?')[0]!.split('#')[0]!;
    void resolveFile(root, urlPath).then(
      async (found) => {
        if (!found) {
          res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
          res.end('Not found');
          return;
        }
        const s = await stat(found.file);
        res.writeHead(200, {
          'Content-Type': MIME[extname(found.file).toLowerCase()] ?? 'application/octet-stream',
          'Content-Length': String(s.size),
          'Cache-Control': cacheControl(found.path),
        });
        if (req.method === 'HEAD') {
          res.end();
          return;
        }
        createReadStream(found.file)
          .on('error', () => res.destroy())
          .pipe(res);
      },
      () => {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Server error');
      },
    );
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4173, options.host ?? '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolvePromise({
        url: `http://localhost:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const root = resolve(process.env['APP_ROOT'] ?? 'dist');
  const port = Number(process.env['PORT'] ?? 4173);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a port number; got ${process.env['PORT']}`);
    process.exit(2);
  }
  const exists = await stat(join(root, 'index.html')).catch(() => null);
  if (!exists) {
    console.error(`No built app in ${root}: run "npm run build" first (npm start does both).`);
    process.exit(2);
  }
  try {
    const server = await startServer({ root, port, host: process.env['HOST'] ?? '127.0.0.1' });
    console.log(`ALPR field unit served from ${root} at ${server.url} (Ctrl+C stops)`);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    console.error(
      err.code === 'EADDRINUSE'
        ? `Port ${port} is in use: set PORT to another port.`
        : `Server failed: ${err.message}`,
    );
    process.exit(1);
  }
}
