import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './serve';

/** Raw HTTP request (no URL normalisation, so traversal attempts reach the server as written). */
function get(
  port: number,
  path: string,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('production server', () => {
  let server: RunningServer;
  let secret: string;

  beforeAll(async () => {
    const base = mkdtempSync(join(tmpdir(), 'alpr-serve-'));
    const root = join(base, 'dist');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>shell</title>');
    writeFileSync(join(root, 'sw.js'), '/* sw */');
    writeFileSync(join(root, 'assets', 'app-abc.js'), 'export {}');
    writeFileSync(join(root, 'assets', 'ort.wasm'), Buffer.from([0, 97, 115, 109]));
    secret = join(base, 'secret.txt');
    writeFileSync(secret, 'TOP SECRET');
    server = await startServer({ root, port: 0 });
  });

  afterAll(() => server.close());

  it('serves every response with cross-origin isolation and the strict CSP', async () => {
    for (const path of ['/', '/assets/app-abc.js', '/missing.js']) {
      const res = await get(server.port, path);
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['cross-origin-embedder-policy']).toBe('require-corp');
      expect(String(res.headers['content-security-policy'])).toContain(
        "script-src 'self' 'wasm-unsafe-eval'",
      );
    }
  });

  it('gives wasm its MIME type, caches hashed assets and never caches the service worker', async () => {
    expect((await get(server.port, '/assets/ort.wasm')).headers['content-type']).toBe('application/wasm');
    expect((await get(server.port, '/assets/app-abc.js')).headers['cache-control']).toContain('immutable');
    expect((await get(server.port, '/sw.js')).headers['cache-control']).toBe('no-cache');
  });

  it('serves the shell for app routes but 404 for missing files', async () => {
    expect((await get(server.port, '/patrol')).body).toContain('<title>shell</title>');
    expect((await get(server.port, '/assets/nope.js')).status).toBe(404);
  });

  it('never serves a file outside its root', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
    ]) {
      const res = await get(server.port, path);
      expect(res.body, path).not.toContain('TOP SECRET');
    }
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get(server.port, '/', 'POST')).status).toBe(405);
    const head = await get(server.port, '/', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });
});
