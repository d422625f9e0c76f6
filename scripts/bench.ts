// `npm run bench [-- area…]`: runs the benchmarks and prints each figure as one JSON line
// {"bench":"<area>.<name>","value":…,"unit":"ms|per_s|MB|pct","n":…}. Node areas live in tests/bench/node,
// browser areas in tests/bench/browser (run in Debian's Chromium against a production-mode build, served with the
// app's own headers so cross-origin isolation matches the app). Progress goes to stderr; figures to stdout.
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumAvailable } from '../tests/browser.ts';
import type { BenchFigure } from '../tests/bench/figure.ts';
import { startServer } from './serve.ts';

const BENCH = resolve('tests/bench');
const areasIn = (dir: string) =>
  readdirSync(resolve(BENCH, dir))
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.slice(0, -'.bench.ts'.length));

const nodeAreas = areasIn('node');
const browserAreas = areasIn('browser');
const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const known = new Set([...nodeAreas, ...browserAreas]);
for (const area of requested) {
  if (!known.has(area)) {
    console.error(`Unknown benchmark area "${area}". Areas: ${[...known].sort().join(', ')}`);
    process.exit(2);
  }
}
const wanted = (area: string) => requested.length === 0 || requested.includes(area);

let failures = 0;
const print = (f: BenchFigure) => console.log(JSON.stringify(f));

for (const area of nodeAreas.filter(wanted)) {
  console.error(`bench: ${area} (node)`);
  try {
    const mod = (await import(pathToFileURL(resolve(BENCH, 'node', `${area}.bench.ts`)).href)) as {
      run: (report: (f: BenchFigure) => void) => Promise<void>;
    };
    await mod.run(print);
  } catch (e) {
    failures++;
    console.error(`bench ${area} failed: ${(e as Error).stack ?? e}`);
  }
}

const browserWanted = browserAreas.filter(wanted);
if (browserWanted.length > 0) {
  if (!chromiumAvailable()) {
    console.error(
      `Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium (npm test does it as root).`,
    );
    process.exit(1);
  }
  console.error('bench: building the benchmark page…');
  execFileSync('npx', ['vite', 'build', '--config', resolve(BENCH, 'vite.config.ts')], { stdio: 'inherit' });
  const server = await startServer({ root: resolve('dist-bench'), port: 0 });
  // Precise heap figures (and a callable gc) for the memory benchmarks.
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, '--enable-precise-memory-info', '--js-flags=--expose-gc'],
  });
  try {
    for (const area of browserWanted) {
      console.error(`bench: ${area} (Chromium)`);
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
      page.on('console', (m) => m.type() === 'error' && console.error(`[page console] ${m.text()}`));
      await page.goto(`${server.url}/?area=${encodeURIComponent(area)}`);
      const result = await page.evaluate(() => window.benchDone!);
      result.figures.forEach(print);
      if (result.error) {
        failures++;
        console.error(`bench ${area} failed: ${result.error}`);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}
process.exit(failures ? 1 : 0);
