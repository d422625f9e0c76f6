// `npm test`: every check in order — lint and format, svelte-check, tsc per runtime, unit tests, end-to-end
// tests in Debian's Chromium — then one closing line "N passed, N failed" over all of them. Each static check
// counts as one test; Vitest and Playwright contribute their own counts. Exit code 1 on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CHROMIUM_PATH } from '../tests/browser.ts';

interface StepResult {
  name: string;
  passed: number;
  failed: number;
  seconds: number;
}

const CACHE = resolve('.cache/test');
const results: StepResult[] = [];
const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.error) console.error(`Could not run ${cmd}: ${r.error.message}`);
  return r.status ?? 1;
}

function wanted(group: string): boolean {
  return only.length === 0 || only.includes(group);
}

function step(group: string, name: string, fn: () => { passed: number; failed: number }): void {
  if (!wanted(group)) return;
  console.log(`\n=== ${name}`);
  const t0 = performance.now();
  let counts: { passed: number; failed: number };
  try {
    counts = fn();
  } catch (e) {
    console.error(`${name} could not run: ${(e as Error).message}`);
    counts = { passed: 0, failed: 1 };
  }
  results.push({ name, ...counts, seconds: (performance.now() - t0) / 1000 });
}

/** A command that is one check: exit 0 is one pass, anything else one failure. */
function check(cmd: string, args: string[]): { passed: number; failed: number } {
  return run(cmd, args) === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Debian packages the browser tests need: the browser, and the fonts the plate fixtures are drawn with. */
const DEBIAN_PACKAGES = ['chromium', 'fonts-liberation', 'fonts-dejavu-core'];

function missingPackages(): string[] {
  return DEBIAN_PACKAGES.filter((pkg) => {
    if (pkg === 'chromium' && existsSync(CHROMIUM_PATH)) return false;
    return (
      spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).stdout?.includes(
        'install ok installed',
      ) !== true
    );
  });
}

/** Debian's Chromium (at CHROMIUM_PATH or /usr/bin/chromium) and the fixture fonts; installed with apt when root. */
function ensureChromium(): boolean {
  const missing = missingPackages();
  if (missing.length === 0) return true;
  if (process.getuid?.() === 0 && !process.env['CHROMIUM_PATH']) {
    console.log(`Missing Debian packages: installing ${missing.join(', ')} (about a minute)…`);
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    if (
      run('apt-get', ['update', '-qq'], env) === 0 &&
      run('apt-get', ['install', '-y', '-qq', ...missing], env) === 0
    ) {
      if (missingPackages().length === 0) return true;
    }
    console.error('Installing the packages with apt-get failed (see above).');
    return false;
  }
  console.error(
    `Missing: ${missing.join(', ')}. The end-to-end tests need Debian's Chromium and fonts:\n` +
      `  sudo apt-get update && sudo apt-get install -y ${DEBIAN_PACKAGES.join(' ')}\n` +
      'or set CHROMIUM_PATH to a Chromium binary.',
  );
  return false;
}

rmSync(CACHE, { recursive: true, force: true });
mkdirSync(CACHE, { recursive: true });
const bin = (name: string) => join('node_modules', '.bin', name);

step('lint', 'lint (eslint, zero warnings)', () => check(bin('eslint'), ['--max-warnings', '0', '.']));
step('lint', 'format (prettier --check)', () =>
  check(bin('prettier'), ['--check', '--log-level', 'warn', '.']),
);
step('types', 'svelte-check --fail-on-warnings', () =>
  check(bin('svelte-check'), ['--fail-on-warnings', '--tsconfig', './tsconfig.json', '--output', 'human']),
);
for (const runtime of ['core', 'worker', 'sw', 'node']) {
  step('types', `tsc (${runtime} runtime)`, () => check(bin('tsc'), ['-p', `tsconfig.${runtime}.json`]));
}

step('unit', 'unit tests (vitest)', () => {
  const out = join(CACHE, 'vitest.json');
  const code = run(bin('vitest'), [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
  ]);
  const report = readJson<{ numPassedTests: number; numFailedTests: number; numTotalTestSuites: number }>(
    out,
  );
  if (!report) return { passed: 0, failed: 1 };
  // A suite that failed to load has no failed tests but a non-zero exit: count it.
  return { passed: report.numPassedTests, failed: report.numFailedTests || (code === 0 ? 0 : 1) };
});

step('e2e', 'end-to-end tests (playwright, Chromium)', () => {
  if (!ensureChromium()) return { passed: 0, failed: 1 };
  const out = join(CACHE, 'playwright.json');
  const code = run(bin('playwright'), ['test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
  const report = readJson<{ stats: { expected: number; unexpected: number; flaky: number } }>(out);
  if (!report) return { passed: 0, failed: 1 };
  const failed = report.stats.unexpected;
  return { passed: report.stats.expected + report.stats.flaky, failed: failed || (code === 0 ? 0 : 1) };
});

console.log('\n=== summary');
for (const r of results) {
  const mark = r.failed ? 'FAIL' : 'ok  ';
  console.log(`${mark} ${r.name}: ${r.passed} passed, ${r.failed} failed (${r.seconds.toFixed(1)} s)`);
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || results.length === 0 ? 1 : 0);
