// Builds the app twice (two deployments) before the end-to-end tests, so they always test the current code.
import { execFileSync } from 'node:child_process';
import { writeFixtureWebm, writeFixtureY4m } from '../fixtures/video';
import {
  BUILD_DIR,
  BUILD_ID,
  FIXTURE_CAMERA,
  FIXTURE_CLIP,
  FIXTURE_VIDEO,
  HARNESS_DIR,
  NEXT_BUILD_DIR,
  NEXT_BUILD_ID,
} from './builds';

function build(outDir: string, buildId: string, config: string[] = []): void {
  try {
    execFileSync(
      'npx',
      ['vite', 'build', ...config, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'],
      {
        stdio: 'pipe',
        env: { ...process.env, BUILD_ID: buildId },
      },
    );
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer };
    const output = `${err.stdout?.toString() ?? ''}${err.stderr?.toString() ?? ''}`;
    throw new Error(`Building ${outDir} failed:\n${output}`, { cause: e });
  }
}

export default async function globalSetup(): Promise<void> {
  if (process.env['E2E_SKIP_BUILD'] === '1') return;
  build(BUILD_DIR, BUILD_ID);
  build(NEXT_BUILD_DIR, NEXT_BUILD_ID);
  build(HARNESS_DIR, 'harness', ['--config', 'tests/e2e/harness/vite.config.ts']);
  // The camera's video and the same scenes as a dash-cam clip, both drawn by the harness page.
  await Promise.all([
    writeFixtureY4m(FIXTURE_CAMERA, HARNESS_DIR, FIXTURE_VIDEO),
    writeFixtureWebm(FIXTURE_CLIP, HARNESS_DIR, FIXTURE_VIDEO),
  ]);
}
