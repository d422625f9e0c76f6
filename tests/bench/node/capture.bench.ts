// Live-capture figures: Chromium's fake camera plays the project's fixture video at 1280×720, 30 fps (4 vehicle
// passes every 16 s), into the real capture pipeline and engine worker (the harness page), with an in-memory
// backend double so only capture is measured. CAPTURE_BENCH_S sets the run length (default 48 s = 3 loops; the
// issue's memory check wants 1800); CAPTURE_THREADS the engine's wasm threads (default: the engine's own).
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startServer } from '../../../scripts/serve.ts';
import { CHROMIUM_PATH, fakeCameraArgs } from '../../browser.ts';
import { VIDEO_PASSES, VIDEO_SECONDS } from '../../fixtures/plates.ts';
import { writeFixtureY4m } from '../../fixtures/video.ts';
import { percentile, round, type Report } from '../figure';

const HARNESS = resolve('dist-e2e-harness');
const VIDEO = resolve('dist-bench-fixtures/camera-720p30.y4m');

export async function run(report: Report): Promise<void> {
  const seconds = Number(process.env['CAPTURE_BENCH_S'] ?? 48);
  const threads = process.env['CAPTURE_THREADS'] ? Number(process.env['CAPTURE_THREADS']) : undefined;
  execFileSync(
    'npx',
    ['vite', 'build', '--config', 'tests/e2e/harness/vite.config.ts', '--logLevel', 'error'],
    {
      stdio: 'inherit',
    },
  );
  console.error('bench capture: writing the 1280×720 30 fps fixture video…');
  await writeFixtureY4m(VIDEO, HARNESS, { width: 1280, height: 720, fps: 30 });
  const server = await startServer({ root: HARNESS, port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...fakeCameraArgs(VIDEO), '--enable-precise-memory-info'],
  });
  try {
    const context = await browser.newContext({ permissions: ['camera'] });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
    await page.goto(server.url);
    console.error(`bench capture: capturing for ${seconds} s…`);
    // A short dedupe window so every loop's passes count as passes.
    const r = await page.evaluate(([s, t]) => window.harness.captureBench(s, 2, t), [
      seconds,
      threads,
    ] as const);
    const loops = r.elapsed / VIDEO_SECONDS;
    const expectedPasses = Math.floor(loops) * VIDEO_PASSES.length;
    const read = r.stored.filter((x) => VIDEO_PASSES.some((p) => p.text === x.plate)).length;
    report({
      bench: 'capture.processed_fps',
      value: round(r.stats.processed / r.elapsed, 1),
      unit: 'per_s',
      n: r.stats.processed,
    });
    report({
      bench: 'capture.dropped_pct',
      value: round(
        (100 * r.stats.dropped) / Math.max(1, r.stats.processed + r.stats.dropped + r.stats.skipped),
        1,
      ),
      unit: 'pct',
      n: r.stats.dropped,
    });
    report({
      bench: 'capture.pass_recall_pct',
      value: round((100 * Math.min(read, expectedPasses)) / Math.max(1, expectedPasses), 1),
      unit: 'pct',
      n: expectedPasses,
    });
    report({
      bench: 'capture.reads_per_s',
      value: round(r.stored.length / r.elapsed, 2),
      unit: 'per_s',
      n: r.stored.length,
    });
    report({
      bench: 'capture.long_task_ms_p95',
      value: r.longTasks.length ? round(percentile(r.longTasks, 95), 0) : 0,
      unit: 'ms',
      n: r.longTasks.length,
    });
    report({
      bench: 'capture.memory_growth_mb',
      value: round((r.heapEnd - r.heapStart) / 1e6, 1),
      unit: 'MB',
      n: Math.round(r.elapsed),
    });
    // Whether the engine is the limit: the share of the run its worker spent on frames, and each frame's cost as
    // the page waits for it (round trip, including the wait behind the frame before it) and as the worker spends it.
    const roundTrips = r.engineMs.map((x) => x.roundTrip);
    report({
      bench: 'capture.engine_busy_pct',
      value: round((100 * r.engineMs.reduce((s, x) => s + x.worker, 0)) / 1000 / r.elapsed, 1),
      unit: 'pct',
      n: roundTrips.length,
    });
    report({
      bench: 'capture.frame_ms_p50',
      value: round(percentile(roundTrips, 50), 0),
      unit: 'ms',
      n: roundTrips.length,
    });
    // The worker's time per frame, and its split as the engine reports it.
    for (const part of ['worker', 'detect', 'read', 'images'] as const) {
      report({
        bench: `capture.frame_${part}_ms_p50`,
        value: round(
          percentile(
            r.engineMs.map((x) => x[part]),
            50,
          ),
          0,
        ),
        unit: 'ms',
        n: roundTrips.length,
      });
    }
    if (r.stored.length) {
      const crop = r.stored.reduce((s, x) => s + x.cropBytes, 0) / r.stored.length;
      const overview = r.stored.reduce((s, x) => s + x.overviewBytes, 0) / r.stored.length;
      report({ bench: 'capture.crop_kb', value: round(crop / 1024, 1), unit: 'KB', n: r.stored.length });
      report({
        bench: 'capture.overview_kb',
        value: round(overview / 1024, 1),
        unit: 'KB',
        n: r.stored.length,
      });
    }
    console.error(
      `bench capture: delivered ${r.delivered.width}×${r.delivered.height}; reads ${r.stored.map((x) => x.plate).join(' ')}`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}
