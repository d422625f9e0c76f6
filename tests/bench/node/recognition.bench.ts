// Recognition figures on the dev photos (../shared/data/us-plates-dev, or ALPR_DEV_DATA): the real engine in
// Chromium, wasm, 1 thread (the measurement), then as the app runs it (wasm threads 'auto'), through
// `npm run eval`'s code. Skipped, saying so, when the data is not there. Since pack 0.6.0 the shipped detector and
// reader have trained on these photos and crops, so read_pct is a figure on seen data; the held-out figures come from
// packs trained on one half (`npm run eval -- --half a|b`, models/README.md). The timings are unaffected.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { runEval } from '../../../scripts/eval.ts';
import { round, type Report } from '../figure';

export async function run(report: Report): Promise<void> {
  const data = resolve(process.env['ALPR_DEV_DATA'] ?? '../shared/data/us-plates-dev');
  if (!existsSync(resolve(data, 'labels.csv'))) {
    console.error(`bench recognition: no dev data at ${data} (set ALPR_DEV_DATA); skipped`);
    return;
  }
  const f = await runEval({
    data,
    threads: 1,
    backend: 'wasm',
    misses: 'dist-eval/bench-misses.csv',
    log: () => undefined,
  });
  report({ bench: 'recognition.read_pct', value: f.pct, unit: 'pct', n: f.n });
  report({ bench: 'recognition.ms_p50', value: f.msP50, unit: 'ms', n: f.n });
  report({ bench: 'recognition.ms_p95', value: f.msP95, unit: 'ms', n: f.n });
  report({
    bench: 'recognition.detect_recall_pct',
    value: round((f.detectRecall ?? 0) * 100, 1),
    unit: 'pct',
    n: f.n,
  });
  report({ bench: 'recognition.model_mb', value: round((f.modelBytes ?? 0) / 1e6, 2), unit: 'MB', n: 1 });
  // The same photos as the app reads them: one wasm thread per core, up to 4 (the engine's 'auto').
  const app = await runEval({ data, threads: 'auto', backend: 'wasm', noBuild: true, log: () => undefined });
  report({ bench: 'recognition.ms_p50_app', value: app.msP50, unit: 'ms', n: app.n });
}
