// The dispatcher's hooks for the security core: who may call what (sign-in, lock, blockers, permission, purpose),
// and the access-log entry every non-public call leaves behind.
import { can, PERMISSIONS } from '../core/security/permissions';
import { checkPurpose, type PurposeInput } from '../core/security/purpose';
import type { UnlockedKeys } from '../store/vault';
import type { BackendContext } from './context';
import type { Session } from './session';
import {
  HandlerError,
  type AnyHandler,
  type CallInfo,
  type DispatchHooks,
  type RecordedCall,
} from './registry';

function purposeOf(input: unknown): PurposeInput {
  const p = (input as { purpose?: unknown } | null)?.purpose;
  if (typeof p !== 'object' || p === null) {
    throw new HandlerError(
      'purpose-refused',
      'State the purpose: a category and a case number or last name.',
    );
  }
  const { category, reference, note } = p as Record<string, unknown>;
  if (
    typeof category !== 'string' ||
    typeof reference !== 'string' ||
    (note !== undefined && typeof note !== 'string')
  ) {
    throw new HandlerError(
      'purpose-refused',
      'State the purpose: a category and a case number or last name.',
    );
  }
  return { category, reference, ...(note === undefined ? {} : { note }) };
}

export async function authorize(
  ctx: BackendContext,
  _name: string,
  def: AnyHandler<BackendContext>,
  input: unknown,
): Promise<CallInfo> {
  if (def.access === 'public') return { purpose: null };
  const policy = await ctx.policy();
  const now = ctx.now();
  const session = ctx.sessions.current(policy, now);
  if (!session) throw new HandlerError('unauthenticated', 'Sign in first.');
  if (!session.keys) throw new HandlerError('locked', 'The screen is locked. Sign in again to continue.');
  ctx.sessions.touch(now);
  if (def.access === 'session') return { purpose: null };
  if (session.mustEnrolSecondFactor) {
    throw new HandlerError('blocked', 'Set up your second factor before using the system.');
  }
  if (session.blockers.length > 0)
    throw new HandlerError('blocked', session.blockers.map((b) => b.message).join(' '));
  const { permission, purpose } = def.access;
  if (!can(session.user.roles, permission)) {
    throw new HandlerError('forbidden', `Your roles do not allow this: ${PERMISSIONS[permission]}.`);
  }
  if (!purpose) return { purpose: null };
  const verdict = checkPurpose(purposeOf(input), policy);
  if (!verdict.ok) throw new HandlerError('purpose-refused', verdict.reasons.join(' '));
  return { purpose: verdict.purpose };
}

/**
 * The signed-in, unlocked session, for handlers behind a non-public access level: `authorize` has already checked
 * it for this call, so there is no need to read the policy again to find it.
 */
export function signedIn(ctx: BackendContext): Session & { keys: UnlockedKeys } {
  const session = ctx.sessions.peek();
  if (!session?.keys) throw new HandlerError('unauthenticated', 'Sign in first.');
  return session as Session & { keys: UnlockedKeys };
}

export async function record(ctx: BackendContext, call: RecordedCall): Promise<void> {
  if (!ctx.vault) return; // nothing can be logged (or accessed) before setup creates the vault
  const session = ctx.sessions.peek();
  const p = call.purpose;
  await ctx.log.append(ctx.vault, {
    userId: session?.user.id ?? null,
    username: session?.user.username ?? null,
    agency: session?.user.agency ?? null,
    action: call.name,
    outcome: call.outcome,
    terms: call.terms,
    purpose: p
      ? { category: p.category.id, reference: p.reference, referenceKind: p.referenceKind, note: p.note }
      : null,
    caseNumber: p?.referenceKind === 'case-number' ? p.reference : null,
    resultCount: call.resultCount,
    detail: call.detail,
  });
}

export const securityHooks: Pick<DispatchHooks<BackendContext>, 'authorize' | 'record'> = {
  authorize,
  record,
};
