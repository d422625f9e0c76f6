// Node-side figures for the policy core: how fast a policy document validates (done on every load and import).
import { DEFAULT_POLICY, validatePolicy } from '../../../src/core/policy';
import { round, type Report } from '../figure';

export async function run(report: Report): Promise<void> {
  const doc: unknown = JSON.parse(JSON.stringify(DEFAULT_POLICY));
  for (let i = 0; i < 200; i++) validatePolicy(doc); // warm-up
  const n = 5000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    if (!validatePolicy(doc).ok) throw new Error('default policy failed validation');
  }
  const seconds = (performance.now() - t0) / 1000;
  report({ bench: 'policy.validate_per_s', value: round(n / seconds, 0), unit: 'per_s', n });
}
