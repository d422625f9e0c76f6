// Browser figures for the shell: the cost of one UI → backend-worker call (comlink + handler + IndexedDB).
import { startBackend } from '../../../src/ui/backend';
import { median, percentile, round, type Report } from '../figure';

export async function run(report: Report): Promise<void> {
  const backend = startBackend();
  await backend.call('app.status', {}); // start-up: worker boot, database open, device initialisation
  for (let i = 0; i < 20; i++) await backend.call('app.status', {});

  const reads: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    await backend.call('settings.get', {});
    reads.push(performance.now() - t0);
  }
  report({ bench: 'shell.worker_call_ms', value: round(median(reads)), unit: 'ms', n: reads.length });
  report({
    bench: 'shell.worker_call_p95_ms',
    value: round(percentile(reads, 95)),
    unit: 'ms',
    n: reads.length,
  });

  const writes: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    await backend.call('settings.update', { theme: i % 2 ? 'night' : 'day' });
    writes.push(performance.now() - t0);
  }
  report({ bench: 'shell.settings_save_ms', value: round(median(writes)), unit: 'ms', n: writes.length });
}
