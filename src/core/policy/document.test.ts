import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  parsePolicy,
  parsePolicyJson,
  POLICY_SCHEMA_VERSION,
  PolicyValidationError,
  validatePolicy,
  type AgencyPolicy,
} from './document';

/** A deep copy of the defaults with one change applied. */
function withChange(change: (p: Record<string, unknown> & AgencyPolicy) => void): unknown {
  const copy = JSON.parse(JSON.stringify(DEFAULT_POLICY)) as Record<string, unknown> & AgencyPolicy;
  change(copy);
  return copy;
}

function issuesOf(value: unknown): { path: string; message: string }[] {
  const r = validatePolicy(value);
  return r.ok ? [] : r.issues;
}

describe('agency policy document', () => {
  it('accepts the built-in defaults and returns a copy, not the same object', () => {
    const r = validatePolicy(DEFAULT_POLICY);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.policy).toEqual(DEFAULT_POLICY);
      expect(r.policy).not.toBe(DEFAULT_POLICY);
    }
  });

  it('defaults follow POLICY.md: 5 attempts, 15 minute lock, daily lists, 30-day local entries, 3-year log', () => {
    expect(DEFAULT_POLICY.signIn.maxFailedAttempts).toBe(5);
    expect(DEFAULT_POLICY.signIn.idleLockMinutes).toBe(15);
    expect(DEFAULT_POLICY.hotLists.refreshIntervalHours).toBe(24);
    expect(DEFAULT_POLICY.hotLists.localEntryMaxDays).toBe(30);
    expect(DEFAULT_POLICY.retention.accessLogDays).toBeGreaterThanOrEqual(1095);
    expect(DEFAULT_POLICY.training.intervalDays).toBeLessThanOrEqual(730);
  });

  it.each<[string, (p: AgencyPolicy & Record<string, unknown>) => void, string]>([
    [
      'a retention period that is not a number',
      (p) => ((p.retention as Record<string, unknown>)['nonHitReadDays'] = '90'),
      'retention.nonHitReadDays',
    ],
    [
      'non-hit reads kept longer than 2 years',
      (p) => (p.retention.nonHitReadDays = 800),
      'retention.nonHitReadDays',
    ],
    ['an access log kept under 3 years', (p) => (p.retention.accessLogDays = 365), 'retention.accessLogDays'],
    [
      'training older than 2 years still allowed',
      (p) => (p.training.intervalDays = 1000),
      'training.intervalDays',
    ],
    [
      'hot lists refreshed less than daily',
      (p) => (p.hotLists.refreshIntervalHours = 48),
      'hotLists.refreshIntervalHours',
    ],
    ['lockout switched off', (p) => (p.signIn.maxFailedAttempts = 0), 'signIn.maxFailedAttempts'],
    ['a fractional idle lock', (p) => (p.signIn.idleLockMinutes = 2.5), 'signIn.idleLockMinutes'],
    [
      'sharing with a federal agency',
      (p) => ((p.sharing.allowedRecipientKinds as string[])[0] = 'federal-agency'),
      'sharing.allowedRecipientKinds[0]',
    ],
    [
      'a repeated purpose category',
      (p) => p.purpose.categories.push({ ...p.purpose.categories[0]! }),
      'purpose.categories[8]',
    ],
    [
      'a purpose category with a bad id',
      (p) => (p.purpose.categories[0]!.id = 'Bad Id!'),
      'purpose.categories[0].id',
    ],
    ['no purpose categories', (p) => (p.purpose.categories = []), 'purpose.categories'],
    ['a missing section', (p) => delete (p as Record<string, unknown>)['audit'], 'audit'],
    [
      'a missing field',
      (p) => delete (p.signIn as Record<string, unknown>)['idleLockMinutes'],
      'signIn.idleLockMinutes',
    ],
    [
      'an unknown (misspelt) field',
      (p) => ((p.retention as Record<string, unknown>)['nonHitDays'] = 30),
      'retention.nonHitDays',
    ],
    ['an impossible date', (p) => (p.effectiveFrom = '2026-02-30'), 'effectiveFrom'],
    ['a date in the wrong format', (p) => (p.reviewedOn = '01/02/2026'), 'reviewedOn'],
    [
      'a case-number pattern that does not compile',
      (p) => (p.purpose.caseNumberPattern = '(['),
      'purpose.caseNumberPattern',
    ],
    [
      'a case-number pattern that accepts nothing',
      (p) => (p.purpose.caseNumberPattern = '.*'),
      'purpose.caseNumberPattern',
    ],
    ['hits kept shorter than non-hits', (p) => (p.retention.hitReadDays = 30), 'retention.hitReadDays'],
  ])('rejects %s, naming the field', (_label, change, path) => {
    const issues = issuesOf(withChange(change));
    expect(issues.map((i) => i.path)).toContain(path);
    for (const issue of issues) expect(issue.message.length).toBeGreaterThan(5);
  });

  it('rejects a document from a newer schema with one clear message', () => {
    const issues = issuesOf(withChange((p) => ((p as Record<string, unknown>)['schemaVersion'] = 2)));
    expect(issues).toEqual([
      { path: 'schemaVersion', message: expect.stringContaining(`${POLICY_SCHEMA_VERSION}`) },
    ]);
  });

  it('rejects things that are not documents at all', () => {
    for (const bad of [null, 42, 'policy', []]) {
      expect(issuesOf(bad)[0]?.path).toBe('(document)');
    }
  });

  it('parsePolicy throws a PolicyValidationError whose message names every bad field', () => {
    const bad = withChange((p) => {
      p.signIn.maxFailedAttempts = 99;
      p.audit.intervalDays = 1;
    });
    expect(() => parsePolicy(bad)).toThrow(PolicyValidationError);
    try {
      parsePolicy(bad);
    } catch (e) {
      expect((e as Error).message).toMatch(/signIn\.maxFailedAttempts/);
      expect((e as Error).message).toMatch(/audit\.intervalDays/);
      expect((e as PolicyValidationError).issues).toHaveLength(2);
    }
  });

  it('parsePolicyJson reports malformed JSON as a validation error', () => {
    expect(() => parsePolicyJson('{"schemaVersion": 1,')).toThrow(/not valid JSON/);
    expect(parsePolicyJson(JSON.stringify(DEFAULT_POLICY)).revision).toBe(DEFAULT_POLICY.revision);
  });
});
