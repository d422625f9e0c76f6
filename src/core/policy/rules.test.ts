import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type AgencyPolicy } from './document';
import { describePolicy } from './describe';
import {
  DAY_MS,
  HOUR_MS,
  hotListFreshness,
  idleLockAt,
  isAccountInactive,
  isPolicyReviewOverdue,
  isTrainingCurrent,
  localEntryExpiresAt,
  localEntryPurgeCutoff,
  readPurgeAt,
} from './rules';

const T0 = Date.UTC(2026, 0, 15);
const policy: AgencyPolicy = {
  ...DEFAULT_POLICY,
  retention: {
    ...DEFAULT_POLICY.retention,
    nonHitReadDays: 60,
    hitReadDays: 365,
    investigationLinkedDays: 1825,
  },
};

describe('policy rules', () => {
  it('purges non-hit reads, hit reads and investigation-linked reads on their own schedules', () => {
    expect(readPurgeAt(policy, { capturedAt: T0, hit: false, linkedToInvestigation: false })).toBe(
      T0 + 60 * DAY_MS,
    );
    expect(readPurgeAt(policy, { capturedAt: T0, hit: true, linkedToInvestigation: false })).toBe(
      T0 + 365 * DAY_MS,
    );
    expect(readPurgeAt(policy, { capturedAt: T0, hit: true, linkedToInvestigation: true })).toBe(
      T0 + 1825 * DAY_MS,
    );
  });

  it('training is current only inside its interval, and missing training is never current', () => {
    const interval = policy.training.intervalDays * DAY_MS;
    expect(isTrainingCurrent(policy, T0, T0 + interval - 1)).toBe(true);
    expect(isTrainingCurrent(policy, T0, T0 + interval)).toBe(false);
    expect(isTrainingCurrent(policy, undefined, T0)).toBe(false);
    expect(isTrainingCurrent(policy, T0 + DAY_MS, T0)).toBe(false); // completed in the future: not valid
  });

  it('a general list is stale once older than the refresh interval', () => {
    expect(hotListFreshness(policy, T0, T0 + 23 * HOUR_MS)).toEqual({ ageHours: 23, stale: false });
    expect(hotListFreshness(policy, T0, T0 + 25 * HOUR_MS).stale).toBe(true);
  });

  it('a shorter source interval makes a list stale sooner; a longer one never outlives the policy', () => {
    expect(hotListFreshness(policy, T0, T0 + 7 * HOUR_MS, 6).stale).toBe(true);
    expect(hotListFreshness(policy, T0, T0 + 5 * HOUR_MS, 6).stale).toBe(false);
    expect(hotListFreshness(policy, T0, T0 + 25 * HOUR_MS, 48).stale).toBe(true);
    expect(hotListFreshness(policy, T0 + HOUR_MS, T0).ageHours).toBe(0); // extracted "in the future": age 0
  });

  it('local entries never outlive the policy maximum', () => {
    expect(localEntryExpiresAt(policy, T0)).toBe(T0 + 30 * DAY_MS);
    expect(localEntryExpiresAt(policy, T0, T0 + 5 * DAY_MS)).toBe(T0 + 5 * DAY_MS);
    expect(localEntryPurgeCutoff(policy, T0)).toBe(T0 - 30 * DAY_MS);
    expect(localEntryExpiresAt(policy, T0, T0 + 90 * DAY_MS)).toBe(T0 + 30 * DAY_MS);
  });

  it('suspends unused accounts and locks idle screens on the policy schedule', () => {
    expect(isAccountInactive(policy, T0, T0 + 364 * DAY_MS)).toBe(false);
    expect(isAccountInactive(policy, T0, T0 + 365 * DAY_MS)).toBe(true);
    expect(idleLockAt(policy, T0)).toBe(T0 + 15 * 60_000);
  });

  it('flags a policy whose yearly review is overdue', () => {
    const reviewed = Date.parse(`${policy.reviewedOn}T00:00:00Z`);
    expect(isPolicyReviewOverdue(policy, reviewed + 364 * DAY_MS)).toBe(false);
    expect(isPolicyReviewOverdue(policy, reviewed + 365 * DAY_MS)).toBe(true);
  });

  it('renders the enforced numbers into the human-readable policy', () => {
    const text = describePolicy(policy)
      .flatMap((s) => [s.title, ...s.lines])
      .join('\n');
    expect(text).toContain('Reads that matched no hot list: 60 days.');
    expect(text).toContain('locks after 5 failed attempts');
    expect(text).toContain('immigration');
  });
});
