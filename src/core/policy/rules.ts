// Pure questions the rest of the system asks of the agency policy. Times are epoch milliseconds (UTC).
// Invariant: no setting is read anywhere else; screens and handlers call these functions.
import type { AgencyPolicy } from './document';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

export interface ReadRetentionInput {
  capturedAt: number;
  /** The read matched a hot list. */
  hit: boolean;
  /** The read is linked to an investigation by case number. */
  linkedToInvestigation: boolean;
}

/** When a read must be purged, unless it is on legal hold (holds are checked by the purge, not here). */
export function readPurgeAt(policy: AgencyPolicy, read: ReadRetentionInput): number {
  const r = policy.retention;
  const days = read.linkedToInvestigation
    ? r.investigationLinkedDays
    : read.hit
      ? r.hitReadDays
      : r.nonHitReadDays;
  return read.capturedAt + days * DAY_MS;
}

export function trainingExpiresAt(policy: AgencyPolicy, completedAt: number): number {
  return completedAt + policy.training.intervalDays * DAY_MS;
}

export function isTrainingCurrent(
  policy: AgencyPolicy,
  completedAt: number | undefined,
  now: number,
): boolean {
  return completedAt !== undefined && completedAt <= now && now < trainingExpiresAt(policy, completedAt);
}

export function isAccountInactive(policy: AgencyPolicy, lastActiveAt: number, now: number): boolean {
  return now - lastActiveAt >= policy.accounts.inactivitySuspendDays * DAY_MS;
}

export function idleLockAt(policy: AgencyPolicy, lastInteractionAt: number): number {
  return lastInteractionAt + policy.signIn.idleLockMinutes * MINUTE_MS;
}

export interface ListFreshness {
  ageHours: number;
  stale: boolean;
}

/**
 * A general hot list older than its refresh interval (its source's, never longer than the policy's) is stale, and
 * the officer must be told. Its age counts from when its data was extracted, or loaded when the file does not say.
 */
export function hotListFreshness(
  policy: AgencyPolicy,
  dataAt: number,
  now: number,
  intervalHours = policy.hotLists.refreshIntervalHours,
): ListFreshness {
  const ageMs = Math.max(0, now - dataAt);
  const limit = Math.min(intervalHours, policy.hotLists.refreshIntervalHours);
  return { ageHours: ageMs / HOUR_MS, stale: ageMs > limit * HOUR_MS };
}

/** The expiry of a locally entered hot plate: the requested date, never later than the policy's maximum. */
export function localEntryExpiresAt(policy: AgencyPolicy, enteredAt: number, requested?: number): number {
  const max = enteredAt + policy.hotLists.localEntryMaxDays * DAY_MS;
  return requested === undefined ? max : Math.min(requested, max);
}

/**
 * Local hot-list entries that expired before this time are deleted (POLICY.md §4: lists are deleted after their
 * retention period). Expired entries stop matching at once; this is when they leave the device.
 */
export function localEntryPurgeCutoff(policy: AgencyPolicy, now: number): number {
  return now - policy.hotLists.retentionDays * DAY_MS;
}

/** The policy itself must be reviewed at least every `reviewIntervalDays`. */
export function isPolicyReviewOverdue(policy: AgencyPolicy, now: number): boolean {
  return now >= Date.parse(`${policy.reviewedOn}T00:00:00Z`) + policy.reviewIntervalDays * DAY_MS;
}
