// The signed-in session of this device (one officer at a time). Guarantees: the unlocked keys live only here, in
// worker memory; an idle session locks itself (keys dropped) after the policy's minutes, and only the same user's
// credentials unlock it; a blocked user's session can do nothing but the 'session'-level handlers.
import type { AgencyPolicy } from '../core/policy';
import { idleLockAt } from '../core/policy/rules';
import type { Blocker } from '../core/security/access';
import type { Role } from '../core/security/permissions';
import type { UserRow } from '../store/db';
import type { UnlockedKeys } from '../store/vault';

export interface Session {
  user: UserRow;
  /** Null while the screen is locked. */
  keys: UnlockedKeys | null;
  blockers: Blocker[];
  /** The second factor is not enrolled yet: the session may only enrol it. */
  mustEnrolSecondFactor: boolean;
  signedInAt: number;
  lastInteractionAt: number;
}

export interface SessionSummary {
  userId: string;
  username: string;
  name: string;
  roles: Role[];
  agency: string;
  locked: boolean;
  blockers: Blocker[];
  mustEnrolSecondFactor: boolean;
  idleLockMinutes: number;
  signedInAt: number;
}

export class SessionHolder {
  private session: Session | null = null;

  /** The session as of `now`, locking it first if it has been idle too long. */
  current(policy: AgencyPolicy, now: number): Session | null {
    const s = this.session;
    if (s && s.keys && now >= idleLockAt(policy, s.lastInteractionAt)) s.keys = null;
    return s;
  }

  /** The session as the dispatcher last checked it (no idle evaluation): for code that runs after `authorize`. */
  peek(): Session | null {
    return this.session;
  }

  start(session: Session): void {
    this.session = session;
  }

  end(): void {
    this.session = null;
  }

  touch(now: number): void {
    if (this.session?.keys) this.session.lastInteractionAt = now;
  }

  static summary(s: Session, policy: AgencyPolicy): SessionSummary {
    return {
      userId: s.user.id,
      username: s.user.username,
      name: s.user.name,
      roles: s.user.roles,
      agency: s.user.agency,
      locked: s.keys === null,
      blockers: s.blockers,
      mustEnrolSecondFactor: s.mustEnrolSecondFactor,
      idleLockMinutes: policy.signIn.idleLockMinutes,
      signedInAt: s.signedInAt,
    };
  }
}
