// hotlists.alert_latency_ms: the time from a read to its alert on screen, as the app itself measures it (a User
// Timing measure per alert, from the moment the tracker ends a vehicle pass to the alert's first frame: encoding
// the crop and overview, sealing and storing the read in the backend worker, matching, rendering). The whole app
// (production build, backend worker, IndexedDB, engine worker) with Chromium's fake camera playing the fixture
// video at 1280×720, 30 fps, every plate of it on a loaded stolen-vehicle list. One loop of the video: 4 alerts.
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startServer } from '../../../scripts/serve.ts';
import { CHROMIUM_PATH, fakeCameraArgs } from '../../browser.ts';
import { VIDEO_PASSES } from '../../fixtures/plates.ts';
import { writeFixtureY4m } from '../../fixtures/video.ts';
import { signInNewOperator } from '../../e2e/pages/admin.ts';
import { ADMIN, AuthPage } from '../../e2e/pages/auth.ts';
import { alertLatencies, driveThroughVideo, loadHotList, useFrontCamera } from '../../e2e/pages/patrol.ts';
import { ShellPage } from '../../e2e/pages/shell.ts';
import { percentile, round, type Report } from '../figure';

const APP = resolve('dist-bench-app');
const HARNESS = resolve('dist-e2e-harness');
const VIDEO = resolve('dist-bench-fixtures/camera-720p30.y4m');

function build(args: string[]): void {
  execFileSync('npx', ['vite', 'build', ...args, '--logLevel', 'error'], { stdio: 'inherit' });
}

export async function run(report: Report): Promise<void> {
  build(['--outDir', APP, '--emptyOutDir']);
  if (!existsSync(VIDEO)) {
    build(['--config', 'tests/e2e/harness/vite.config.ts']);
    console.error('bench alerts: writing the 1280×720 30 fps fixture video…');
    await writeFixtureY4m(VIDEO, HARNESS, { width: 1280, height: 720, fps: 30 });
  }
  const server = await startServer({ root: APP, port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: fakeCameraArgs(VIDEO),
  });
  try {
    const context = await browser.newContext({
      baseURL: server.url,
      permissions: ['camera', 'geolocation'],
      geolocation: { latitude: 38.5816, longitude: -121.4944, accuracy: 8 },
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
    const shell = new ShellPage(page);
    const auth = new AuthPage(page);
    await shell.open();
    const made = await auth.setup();
    await auth.signIn(ADMIN.username, ADMIN.password, made.authenticator);
    await shell.waitReady();
    await loadHotList(
      page,
      VIDEO_PASSES.map((p) => p.text),
    );
    await signInNewOperator(page, auth);
    await useFrontCamera(page);
    await page.getByRole('button', { name: 'Start capture' }).click();
    console.error('bench alerts: one loop of the fixture video with every plate listed…');
    const seen = await driveThroughVideo(page);
    const latencies = await alertLatencies(page);
    console.error(
      `bench alerts: each alert, in order: ${latencies.map((ms) => Math.round(ms)).join(', ')} ms`,
    );
    if (latencies.length === 0)
      throw new Error(`no alert was measured (alerts seen: ${seen.join(' ') || 'none'})`);
    report({
      bench: 'hotlists.alert_latency_ms',
      value: round(percentile(latencies, 50), 0),
      unit: 'ms',
      n: latencies.length,
    });
    report({
      bench: 'hotlists.alert_latency_ms_max',
      value: round(Math.max(...latencies), 0),
      unit: 'ms',
      n: latencies.length,
    });
  } finally {
    await browser.close();
    await server.close();
  }
}
