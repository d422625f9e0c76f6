// May this user use the system right now? Pure: the store supplies the facts, the policy supplies the rules.
// A user with any blocker can sign in only to see why (and to acknowledge the policy themselves).
import type { AgencyPolicy } from '../policy/document';
import { isAccountInactive, isTrainingCurrent, trainingExpiresAt } from '../policy/rules';

export type UserStatus = 'active' | 'locked' | 'deactivated';

export interface AccessFacts {
  status: UserStatus;
  /** Completion time of the most recent training that counts (after the last job-title change or reactivation). */
  trainingCompletedAt: number | null;
  /** Highest policy revision the user acknowledged. */
  acknowledgedRevision: number | null;
  lastActiveAt: number | null;
  createdAt: number;
}

export type Blocker =
  | { kind: 'deactivated'; message: string }
  | { kind: 'locked'; message: string }
  | { kind: 'inactive'; message: string }
  | { kind: 'training-missing'; message: string }
  | { kind: 'training-expired'; message: string; expiredAt: number }
  | { kind: 'policy-not-acknowledged'; message: string; revision: number };

const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function accessBlockers(facts: AccessFacts, policy: AgencyPolicy, now: number): Blocker[] {
  const out: Blocker[] = [];
  if (facts.status === 'deactivated') {
    out.push({
      kind: 'deactivated',
      message: 'This account is deactivated. An administrator must reactivate it.',
    });
  }
  if (facts.status === 'locked') {
    out.push({
      kind: 'locked',
      message: 'This account is locked after failed sign-ins. An administrator must unlock it.',
    });
  }
  if (isAccountInactive(policy, facts.lastActiveAt ?? facts.createdAt, now)) {
    out.push({
      kind: 'inactive',
      message: `This account was not used for ${policy.accounts.inactivitySuspendDays} days and is suspended. An administrator must review it.`,
    });
  }
  if (facts.trainingCompletedAt === null) {
    out.push({
      kind: 'training-missing',
      message: 'No ALPR training is on record. Training is required before any use.',
    });
  } else if (!isTrainingCurrent(policy, facts.trainingCompletedAt, now)) {
    const expiredAt = trainingExpiresAt(policy, facts.trainingCompletedAt);
    out.push({
      kind: 'training-expired',
      expiredAt,
      message: `ALPR training expired on ${fmt(expiredAt)}. Renewed training must be recorded before any use.`,
    });
  }
  if ((facts.acknowledgedRevision ?? 0) < policy.revision) {
    out.push({
      kind: 'policy-not-acknowledged',
      revision: policy.revision,
      message: `Read and acknowledge the agency ALPR policy (revision ${policy.revision}) before use.`,
    });
  }
  return out;
}
