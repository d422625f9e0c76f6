import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../policy/document';
import { DAY_MS } from '../policy/rules';
import { accessBlockers, type AccessFacts } from './access';

const NOW = Date.UTC(2026, 10, 1);
const good: AccessFacts = {
  status: 'active',
  trainingCompletedAt: NOW - 100 * DAY_MS,
  acknowledgedRevision: DEFAULT_POLICY.revision,
  lastActiveAt: NOW - DAY_MS,
  createdAt: NOW - 400 * DAY_MS,
};
const kinds = (facts: Partial<AccessFacts>) =>
  accessBlockers({ ...good, ...facts }, DEFAULT_POLICY, NOW).map((b) => b.kind);

describe('access blockers', () => {
  it('lets a trained, active user who acknowledged the policy in', () => {
    expect(kinds({})).toEqual([]);
  });

  it.each<[Partial<AccessFacts>, string]>([
    [{ status: 'deactivated' }, 'deactivated'],
    [{ status: 'locked' }, 'locked'],
    [{ trainingCompletedAt: null }, 'training-missing'],
    [{ trainingCompletedAt: NOW - 731 * DAY_MS }, 'training-expired'],
    [{ acknowledgedRevision: null }, 'policy-not-acknowledged'],
    [{ acknowledgedRevision: 0 }, 'policy-not-acknowledged'],
    [{ lastActiveAt: NOW - 366 * DAY_MS }, 'inactive'],
    [{ lastActiveAt: null, createdAt: NOW - 400 * DAY_MS }, 'inactive'],
  ])('blocks %j with %s', (facts, kind) => {
    expect(kinds(facts)).toContain(kind);
  });

  it('names the date training expired', () => {
    const [b] = accessBlockers({ ...good, trainingCompletedAt: Date.UTC(2024, 0, 1) }, DEFAULT_POLICY, NOW);
    expect(b?.message).toContain('2025-12-31');
  });
});
