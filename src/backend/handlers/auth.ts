// First-run setup, sign-in with a second factor, lockout, idle lock and unlock, second-factor enrolment and policy
// acknowledgement. Every attempt, success or failure, is in the access log.
import { accessBlockers } from '../../core/security/access';
import { otpauthUri, base32Encode, verifyTotp } from '../../core/security/totp';
import { randomBytes } from '../../core/crypto/envelope';
import { ulid } from '../../core/ulid';
import {
  b64url,
  verifyAssertion,
  verifyRegistration,
  type AssertionResponse,
  type RegistrationResponse,
  type StoredWebAuthnKey,
} from '../../core/security/webauthn';
import type { UserRow } from '../../store/db';
import {
  unlockWithRecoveryCode,
  createVault,
  passwordCredential,
  sealUnderDek,
  openUnderDek,
  unlockWithPassword,
  vaultRow,
  type UnlockedKeys,
} from '../../store/vault';
import type { BackendContext } from '../context';
import { signedIn } from '../guard';
import { fields, JOB_TITLE, PASSWORD, PERSON_NAME, text, timestamp, TOTP_CODE, USERNAME } from '../input';
import { BadInputError, HandlerError, noInput, type HandlerDef } from '../registry';
import { SessionHolder, type Session, type SessionSummary } from '../session';

const ORI: Parameters<typeof text>[2] = {
  min: 9,
  max: 9,
  pattern: /^CA[0-9A-Z]{7}$/,
  patternHint: 'must be the 9-character California ORI (CA followed by 7 letters or digits)',
};
const ENROLMENT_MINUTES = 15;
const WRONG = 'Wrong username, password or code.';

export interface TotpEnrolment {
  enrolmentId: string;
  /** Base32 secret, for typing into an authenticator app when the QR code cannot be scanned. */
  secret: string;
  uri: string;
}

function offerTotp(ctx: BackendContext, label: string, userId: string | null): TotpEnrolment {
  const secret = randomBytes(20);
  const enrolmentId = ulid(ctx.now());
  for (const [id, p] of ctx.pendingTotp) if (p.expiresAt < ctx.now()) ctx.pendingTotp.delete(id);
  ctx.pendingTotp.set(enrolmentId, { secret, expiresAt: ctx.now() + ENROLMENT_MINUTES * 60_000, userId });
  return { enrolmentId, secret: base32Encode(secret), uri: otpauthUri('ALPR Field Unit', label, secret) };
}

async function takeConfirmedTotp(
  ctx: BackendContext,
  enrolmentId: string,
  code: string,
  userId: string | null,
) {
  const pending = ctx.pendingTotp.get(enrolmentId);
  if (!pending || pending.expiresAt < ctx.now() || pending.userId !== userId) {
    throw new BadInputError('The second-factor setup expired: start it again.');
  }
  const step = await verifyTotp(pending.secret, code, ctx.now(), null);
  if (step === null)
    throw new BadInputError('That code does not match: check the authenticator app and the device clock.');
  ctx.pendingTotp.delete(enrolmentId);
  return { secret: pending.secret, step };
}

async function totpCredentialRow(
  keys: UnlockedKeys,
  userId: string,
  secret: Uint8Array<ArrayBuffer>,
  step: number,
  now: number,
) {
  const id = ulid(now);
  return {
    id,
    userId,
    kind: 'totp' as const,
    data: {
      secret: await sealUnderDek(keys.dek, secret, 'credentials', id),
      lastUsedStep: step,
      confirmed: true,
    },
    createdAt: now,
  };
}

// ---- setup -----------------------------------------------------------------------------------------------------

export interface SetupStatus {
  configured: boolean;
  agency: { name: string; ori: string } | null;
}

const setupStatus: HandlerDef<Record<string, never>, SetupStatus, BackendContext> = {
  access: 'public',
  parse: noInput,
  async run(ctx) {
    const agency = await ctx.db.agency.get('agency');
    return {
      configured: !!(agency && ctx.vault),
      agency: agency ? { name: agency.name, ori: agency.ori } : null,
    };
  },
};

const setupOfferTotp: HandlerDef<{ username: string }, TotpEnrolment, BackendContext> = {
  access: 'public',
  parse: (input) => ({ username: text(fields(input, ['username']), 'username', USERNAME) }),
  async run(ctx, { username }) {
    if (ctx.vault) throw new HandlerError('conflict', 'This unit is already set up.');
    return offerTotp(ctx, username, null);
  },
};

export interface SetupInput {
  agencyName: string;
  ori: string;
  username: string;
  name: string;
  jobTitle: string;
  password: string;
  trainingCourse: string;
  trainingCompletedAt: number;
  acknowledgePolicy: true;
  enrolmentId: string;
  code: string;
}

const setupCreate: HandlerDef<SetupInput, { recoveryCode: string }, BackendContext> = {
  access: 'public',
  parse(input) {
    const o = fields(input, [
      'agencyName',
      'ori',
      'username',
      'name',
      'jobTitle',
      'password',
      'trainingCourse',
      'trainingCompletedAt',
      'acknowledgePolicy',
      'enrolmentId',
      'code',
    ]);
    if (o['acknowledgePolicy'] !== true)
      throw new BadInputError('acknowledgePolicy: the administrator must acknowledge the policy');
    return {
      agencyName: text(o, 'agencyName', { min: 3, max: 100 }),
      ori: text(o, 'ori', ORI).toUpperCase(),
      username: text(o, 'username', USERNAME),
      name: text(o, 'name', PERSON_NAME),
      jobTitle: text(o, 'jobTitle', JOB_TITLE),
      password: text(o, 'password', PASSWORD),
      trainingCourse: text(o, 'trainingCourse', { min: 3, max: 120 }),
      trainingCompletedAt: timestamp(o, 'trainingCompletedAt'),
      acknowledgePolicy: true,
      enrolmentId: text(o, 'enrolmentId', { min: 26, max: 26 }),
      code: text(o, 'code', TOTP_CODE),
    };
  },
  async run(ctx, input) {
    if (ctx.vault || (await ctx.db.agency.get('agency')))
      throw new HandlerError('conflict', 'This unit is already set up.');
    const policy = await ctx.policy();
    if (input.password.length < policy.signIn.minPasswordLength) {
      throw new BadInputError(`password must be at least ${policy.signIn.minPasswordLength} characters`);
    }
    if (input.trainingCompletedAt > ctx.now())
      throw new BadInputError('trainingCompletedAt cannot be in the future');
    const { secret, step } = await takeConfirmedTotp(ctx, input.enrolmentId, input.code, null);
    const now = ctx.now();
    const made = await createVault();
    const userId = ulid(now);
    const user: UserRow = {
      id: userId,
      username: input.username,
      name: input.name,
      jobTitle: input.jobTitle,
      roles: ['administrator'],
      agency: input.ori,
      status: 'active',
      failedAttempts: 0,
      createdAt: now,
      createdBy: 'setup',
      lastActiveAt: null,
      trainingResetAt: null,
    };
    const passwordRow = {
      id: ulid(now),
      userId,
      kind: 'password' as const,
      data: await passwordCredential(made.keys.dek, input.password),
      createdAt: now,
    };
    const totpRow = await totpCredentialRow(made.keys, userId, secret, step, now);
    await ctx.health.write(() =>
      ctx.db.transaction(
        'rw',
        [
          ctx.db.agency,
          ctx.db.keys,
          ctx.db.users,
          ctx.db.credentials,
          ctx.db.training,
          ctx.db.acknowledgements,
        ],
        async () => {
          if (await ctx.db.agency.get('agency'))
            throw new HandlerError('conflict', 'This unit is already set up.');
          await ctx.db.agency.add({
            id: 'agency',
            name: input.agencyName,
            ori: input.ori,
            state: 'CA',
            createdAt: now,
          });
          await ctx.db.keys.add(vaultRow(made.vault, now));
          await ctx.db.users.add(user);
          await ctx.db.credentials.bulkAdd([passwordRow, totpRow]);
          await ctx.db.training.add({
            id: ulid(now),
            userId,
            course: input.trainingCourse,
            completedAt: input.trainingCompletedAt,
            recordedBy: userId,
          });
          await ctx.db.acknowledgements.add({
            id: ulid(now),
            userId,
            policyRevision: policy.revision,
            at: now,
          });
        },
      ),
    );
    ctx.vault = made.vault;
    await ctx.log.append(made.vault, {
      userId,
      username: user.username,
      agency: user.agency,
      action: 'setup.create',
      outcome: 'ok',
      terms: { agency: input.agencyName, ori: input.ori },
      detail: 'Agency, first administrator and device keys created; recovery code issued.',
    });
    return { recoveryCode: made.recoveryCode };
  },
};

// ---- sign-in -----------------------------------------------------------------------------------------------------

async function logAuth(
  ctx: BackendContext,
  user: UserRow | null,
  action: string,
  outcome: 'ok' | 'refused' | 'failed',
  detail: string,
  terms?: Record<string, string>,
) {
  if (!ctx.vault) return;
  await ctx.log.append(ctx.vault, {
    userId: user?.id ?? null,
    username: user?.username ?? null,
    agency: user?.agency ?? null,
    action,
    outcome,
    terms: terms ?? null,
    detail,
  });
}

/** Check password and (when enrolled) TOTP; count a failure toward lockout. Returns the keys, or throws. */
/** The second factor offered with a sign-in or unlock: a TOTP code or a security-key assertion. */
export type SecondFactor = { code: string } | { assertion: AssertionResponse } | null;

async function checkCredentials(
  ctx: BackendContext,
  user: UserRow,
  password: string,
  factor: SecondFactor,
  action: string,
): Promise<{ keys: UnlockedKeys; enrolled: boolean }> {
  const policy = await ctx.policy();
  if (user.status === 'deactivated') {
    await logAuth(ctx, user, action, 'refused', 'account deactivated');
    throw new HandlerError('forbidden', 'This account is deactivated. An administrator must reactivate it.');
  }
  if (user.status === 'locked') {
    await logAuth(ctx, user, action, 'refused', 'account locked');
    throw new HandlerError(
      'locked',
      'This account is locked after failed sign-ins. An administrator must unlock it.',
    );
  }
  const fail = async (why: string): Promise<never> => {
    const after = await ctx.users.recordFailure(user.id, policy.signIn.maxFailedAttempts);
    await logAuth(ctx, user, action, 'failed', why);
    if (after.status === 'locked') {
      await logAuth(ctx, user, 'auth.lockout', 'ok', `locked after ${after.failedAttempts} failed attempts`);
      if (ctx.sessions.current(policy, ctx.now())?.user.id === user.id) ctx.sessions.end();
      throw new HandlerError(
        'locked',
        `${WRONG} The account is now locked after ${after.failedAttempts} failed attempts: an administrator must unlock it.`,
      );
    }
    const left = policy.signIn.maxFailedAttempts - after.failedAttempts;
    throw new HandlerError(
      'unauthenticated',
      `${WRONG} ${left} attempt${left === 1 ? '' : 's'} left before the account locks.`,
    );
  };
  const passwordCred = await ctx.users.credential(user.id, 'password');
  if (!passwordCred || !ctx.vault) return fail('no password credential');
  const keys = await unlockWithPassword(ctx.vault, passwordCred.data, password);
  if (!keys) return fail('wrong password');
  const totp = await ctx.users.credential(user.id, 'totp');
  const securityKeys = await ctx.users.webauthnKeys(user.id);
  const enrolled = !!totp?.data.confirmed || securityKeys.length > 0;
  if (!enrolled) return { keys, enrolled };
  if (factor && 'assertion' in factor) {
    const pending = ctx.pendingWebAuthn.get(`signin:${user.id}`);
    ctx.pendingWebAuthn.delete(`signin:${user.id}`);
    const stored = securityKeys.find((k) => k.data.credentialId === factor.assertion.credentialId);
    if (!pending || pending.expiresAt < ctx.now() || !stored) return fail('security key not accepted');
    try {
      const signCount = await verifyAssertion(factor.assertion, stored.data, {
        challenge: pending.challenge,
        origin: ctx.webOrigin,
        rpId: ctx.rpId,
      });
      await ctx.users.putWebAuthnKey({ ...stored, data: { ...stored.data, signCount } });
    } catch (e) {
      return fail(`security key refused: ${(e as Error).message}`);
    }
  } else if (factor && 'code' in factor && totp?.data.confirmed) {
    const secret = await openUnderDek(keys.dek, totp.data.secret, 'credentials', totp.id);
    const step = await verifyTotp(secret, factor.code, ctx.now(), totp.data.lastUsedStep);
    if (step === null) return fail('wrong or reused second-factor code');
    await ctx.users.putCredential({ ...totp, data: { ...totp.data, lastUsedStep: step } });
  } else {
    return fail('second factor missing');
  }
  return { keys, enrolled };
}

/** `factor`: null, { code } or { assertion }; the same shape the UI sends and the handler receives. */
function parseFactor(value: unknown): SecondFactor {
  if (value === undefined || value === null) return null;
  const o = fields(value, ['code', 'assertion']);
  if (o['assertion'] !== undefined) {
    const a = fields(o['assertion'], ['credentialId', 'clientDataJSON', 'authenticatorData', 'signature']);
    const b64 = { min: 1, max: 4096, pattern: /^[A-Za-z0-9_-]+$/, patternHint: 'must be base64url' };
    return {
      assertion: {
        credentialId: text(a, 'credentialId', b64),
        clientDataJSON: text(a, 'clientDataJSON', b64),
        authenticatorData: text(a, 'authenticatorData', b64),
        signature: text(a, 'signature', b64),
      },
    };
  }
  return { code: text(o, 'code', TOTP_CODE) };
}

interface SignInInput {
  username: string;
  password: string;
  factor: SecondFactor;
}

const signInInput = (input: unknown): SignInInput => {
  const o = fields(input, ['username', 'password', 'factor']);
  return {
    username: text(o, 'username', { min: 1, max: 64 }).toLowerCase(),
    password: text(o, 'password', PASSWORD),
    factor: parseFactor(o['factor']),
  };
};

const signIn: HandlerDef<SignInInput, SessionSummary, BackendContext> = {
  access: 'public',
  parse: signInInput,
  async run(ctx, { username, password, factor }) {
    if (!ctx.vault) throw new HandlerError('unauthenticated', 'This unit is not set up yet.');
    const policy = await ctx.policy();
    const user = await ctx.users.byUsername(username);
    if (!user) {
      await logAuth(ctx, null, 'auth.signIn', 'failed', 'unknown username', { username });
      throw new HandlerError('unauthenticated', WRONG);
    }
    const { keys, enrolled } = await checkCredentials(ctx, user, password, factor, 'auth.signIn');
    const now = ctx.now();
    const blockers = accessBlockers(await ctx.users.facts(user), policy, now);
    await ctx.users.recordSuccess(user.id, now);
    ctx.sessions.start({
      user: { ...user, failedAttempts: 0, lastActiveAt: now },
      keys,
      blockers,
      mustEnrolSecondFactor: !enrolled,
      signedInAt: now,
      lastInteractionAt: now,
    });
    // Hits need the hot lists in memory: build the index in the background.
    if (blockers.length === 0 && enrolled) {
      void ctx.hits.rebuild(ctx, keys);
      void ctx.refresher.tick(ctx);
    }
    await logAuth(
      ctx,
      user,
      'auth.signIn',
      'ok',
      blockers.length ? `signed in, blocked: ${blockers.map((b) => b.kind).join(', ')}` : 'signed in',
    );
    return SessionHolder.summary(ctx.sessions.current(policy, now)!, policy);
  },
};

const unlock: HandlerDef<{ password: string; factor: SecondFactor }, SessionSummary, BackendContext> = {
  access: 'public',
  parse(input) {
    const o = fields(input, ['password', 'factor']);
    return { password: text(o, 'password', PASSWORD), factor: parseFactor(o['factor']) };
  },
  async run(ctx, { password, factor }) {
    const policy = await ctx.policy();
    const session = ctx.sessions.current(policy, ctx.now());
    if (!session) throw new HandlerError('unauthenticated', 'Nobody is signed in.');
    if (session.keys) return SessionHolder.summary(session, policy);
    const user = (await ctx.users.byId(session.user.id))!;
    const { keys } = await checkCredentials(ctx, user, password, factor, 'auth.unlock');
    session.keys = keys;
    session.lastInteractionAt = ctx.now();
    if (!ctx.hits.ready) void ctx.hits.rebuild(ctx, keys);
    void ctx.refresher.tick(ctx);
    await ctx.users.recordSuccess(user.id, ctx.now());
    await logAuth(ctx, user, 'auth.unlock', 'ok', 'screen unlocked');
    return SessionHolder.summary(session, policy);
  },
};

const sessionGet: HandlerDef<Record<string, never>, SessionSummary | null, BackendContext> = {
  access: 'public',
  parse: noInput,
  async run(ctx) {
    const policy = await ctx.policy();
    const s = ctx.sessions.current(policy, ctx.now());
    return s ? SessionHolder.summary(s, policy) : null;
  },
};

export interface SignOutInput {
  /**
   * Reads made by this officer's capture that could not be stored (a full disk) and that the officer chose to give
   * up by signing out anyway: recorded in the access log with the sign-out.
   */
  unstoredReads?: number;
}

function parseSignOut(input: unknown): SignOutInput {
  if (input === undefined || input === null) return {};
  const o = fields(input, ['unstoredReads']);
  const n = o['unstoredReads'];
  if (n === undefined) return {};
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 1_000_000) {
    throw new BadInputError('unstoredReads must be a whole number from 0 to 1000000');
  }
  return { unstoredReads: n };
}

const signOut: HandlerDef<SignOutInput, null, BackendContext> = {
  access: 'public',
  parse: parseSignOut,
  async run(ctx, input) {
    const s = ctx.sessions.current(await ctx.policy(), ctx.now());
    if (s) {
      ctx.sessions.end();
      // Capture belongs to the officer who started it: it stops at sign-out (a lock keeps it running).
      const capture = ctx.capture.session;
      ctx.capture.session = null;
      ctx.hits.clear();
      const lost = input.unstoredReads
        ? `; ${input.unstoredReads} reads that could not be stored were given up by the officer`
        : '';
      const detail =
        (capture ? `signed out; capture stopped after ${capture.reads} reads` : 'signed out') + lost;
      await logAuth(ctx, s.user, 'auth.signOut', 'ok', detail);
    }
    return null;
  },
};

/** Lock the screen now (the officer steps away); the same credentials unlock it. */
const lock: HandlerDef<Record<string, never>, SessionSummary, BackendContext> = {
  access: 'session',
  parse: noInput,
  async run(ctx) {
    const s: Session = signedIn(ctx);
    s.keys = null;
    return SessionHolder.summary(s, await ctx.policy());
  },
  audit: {},
};

const touch: HandlerDef<Record<string, never>, null, BackendContext> = {
  access: 'session',
  parse: noInput,
  run: async () => null,
};

const offerOwnTotp: HandlerDef<Record<string, never>, TotpEnrolment, BackendContext> = {
  access: 'session',
  parse: noInput,
  async run(ctx) {
    const s = signedIn(ctx);
    return offerTotp(ctx, s.user.username, s.user.id);
  },
};

const confirmOwnTotp: HandlerDef<{ enrolmentId: string; code: string }, SessionSummary, BackendContext> = {
  access: 'session',
  parse(input) {
    const o = fields(input, ['enrolmentId', 'code']);
    return { enrolmentId: text(o, 'enrolmentId', { min: 26, max: 26 }), code: text(o, 'code', TOTP_CODE) };
  },
  async run(ctx, { enrolmentId, code }) {
    const policy = await ctx.policy();
    const s = signedIn(ctx);
    const { secret, step } = await takeConfirmedTotp(ctx, enrolmentId, code, s.user.id);
    await ctx.users.putCredential(await totpCredentialRow(s.keys, s.user.id, secret, step, ctx.now()));
    s.mustEnrolSecondFactor = false;
    return SessionHolder.summary(s, policy);
  },
  audit: {},
};

const acknowledgePolicy: HandlerDef<{ revision: number }, SessionSummary, BackendContext> = {
  access: 'session',
  parse(input) {
    const o = fields(input, ['revision']);
    if (typeof o['revision'] !== 'number' || !Number.isInteger(o['revision']))
      throw new BadInputError('revision must be a number');
    return { revision: o['revision'] };
  },
  async run(ctx, { revision }) {
    const policy = await ctx.policy();
    if (revision !== policy.revision) {
      throw new HandlerError(
        'conflict',
        `The policy in force is revision ${policy.revision}: read it again before acknowledging.`,
      );
    }
    const s = signedIn(ctx);
    await ctx.users.acknowledge({
      id: ulid(ctx.now()),
      userId: s.user.id,
      policyRevision: revision,
      at: ctx.now(),
    });
    s.blockers = accessBlockers(await ctx.users.facts(s.user), policy, ctx.now());
    if (s.blockers.length === 0 && s.keys && !ctx.hits.ready) void ctx.hits.rebuild(ctx, s.keys);
    return SessionHolder.summary(s, policy);
  },
  audit: { terms: ({ revision }) => ({ policyRevision: String(revision) }) },
};

// ---- the administrator recovery path ---------------------------------------------------------------------------

/**
 * Sets a new password for a user (typically the last administrator) with the recovery code issued at setup.
 * It does not bypass the second factor and does not sign anyone in. Every attempt is in the access log.
 */
const recover: HandlerDef<
  { username: string; recoveryCode: string; newPassword: string },
  null,
  BackendContext
> = {
  access: 'public',
  parse(input) {
    const o = fields(input, ['username', 'recoveryCode', 'newPassword']);
    return {
      username: text(o, 'username', { min: 1, max: 64 }).toLowerCase(),
      recoveryCode: text(o, 'recoveryCode', { min: 25, max: 40 }),
      newPassword: text(o, 'newPassword', PASSWORD),
    };
  },
  async run(ctx, { username, recoveryCode, newPassword }) {
    if (!ctx.vault) throw new HandlerError('unauthenticated', 'This unit is not set up yet.');
    const policy = await ctx.policy();
    const user = await ctx.users.byUsername(username);
    if (!user || user.status === 'deactivated') {
      await logAuth(ctx, user ?? null, 'auth.recover', 'refused', 'no such active user', { username });
      throw new HandlerError('not-found', 'No active user has that name.');
    }
    if (newPassword.length < policy.signIn.minPasswordLength) {
      throw new BadInputError(`newPassword must be at least ${policy.signIn.minPasswordLength} characters`);
    }
    const keys = await unlockWithRecoveryCode(ctx.vault, recoveryCode);
    if (!keys) {
      await logAuth(ctx, user, 'auth.recover', 'failed', 'wrong recovery code');
      throw new HandlerError('unauthenticated', 'That recovery code is wrong.');
    }
    const old = await ctx.users.credential(user.id, 'password');
    await ctx.users.putCredential({
      id: old?.id ?? ulid(ctx.now()),
      userId: user.id,
      kind: 'password',
      data: await passwordCredential(keys.dek, newPassword),
      createdAt: ctx.now(),
    });
    await ctx.users.update(user.id, { status: 'active', failedAttempts: 0 });
    await logAuth(ctx, user, 'auth.recover', 'ok', 'password reset with the administrator recovery code');
    return null;
  },
};

// ---- security keys (WebAuthn) -------------------------------------------------------------------------------

const CHALLENGE_MS = 2 * 60_000;

function newChallenge(ctx: BackendContext, key: string): string {
  const challenge = b64url(randomBytes(32));
  for (const [k, p] of ctx.pendingWebAuthn) if (p.expiresAt < ctx.now()) ctx.pendingWebAuthn.delete(k);
  ctx.pendingWebAuthn.set(key, { challenge, expiresAt: ctx.now() + CHALLENGE_MS });
  return challenge;
}

export interface KeyRegistrationOptions {
  challenge: string;
  rp: { id: string; name: string };
  user: { id: string; name: string; displayName: string };
  excludeCredentials: string[];
}

const registerOptions: HandlerDef<Record<string, never>, KeyRegistrationOptions, BackendContext> = {
  access: 'session',
  parse: noInput,
  async run(ctx) {
    const s = signedIn(ctx);
    return {
      challenge: newChallenge(ctx, `register:${s.user.id}`),
      rp: { id: ctx.rpId, name: 'ALPR Field Unit' },
      user: {
        id: b64url(new TextEncoder().encode(s.user.id)),
        name: s.user.username,
        displayName: s.user.name,
      },
      excludeCredentials: (await ctx.users.webauthnKeys(s.user.id)).map((k) => k.data.credentialId),
    };
  },
};

const registerKey: HandlerDef<{ response: RegistrationResponse }, SessionSummary, BackendContext> = {
  access: 'session',
  parse(input) {
    const r = fields(fields(input, ['response'])['response'], ['clientDataJSON', 'attestationObject']);
    const b64 = { min: 1, max: 8192, pattern: /^[A-Za-z0-9_-]+$/, patternHint: 'must be base64url' };
    return {
      response: {
        clientDataJSON: text(r, 'clientDataJSON', b64),
        attestationObject: text(r, 'attestationObject', b64),
      },
    };
  },
  async run(ctx, { response }) {
    const policy = await ctx.policy();
    const s = signedIn(ctx);
    const pending = ctx.pendingWebAuthn.get(`register:${s.user.id}`);
    ctx.pendingWebAuthn.delete(`register:${s.user.id}`);
    if (!pending || pending.expiresAt < ctx.now())
      throw new BadInputError('The security-key setup expired: start it again.');
    let key: StoredWebAuthnKey;
    try {
      key = await verifyRegistration(response, {
        challenge: pending.challenge,
        origin: ctx.webOrigin,
        rpId: ctx.rpId,
      });
    } catch (e) {
      throw new BadInputError(`The security key was not accepted: ${(e as Error).message}`);
    }
    await ctx.users.putWebAuthnKey({
      id: ulid(ctx.now()),
      userId: s.user.id,
      kind: 'webauthn',
      data: key,
      createdAt: ctx.now(),
    });
    s.mustEnrolSecondFactor = false;
    return SessionHolder.summary(s, policy);
  },
  audit: {},
};

export interface KeyChallenge {
  challenge: string;
  rpId: string;
  allowCredentials: string[];
}

/** A sign-in challenge for a username. Unknown names get a challenge too, so the answer does not reveal them. */
const signInChallenge: HandlerDef<{ username: string | null }, KeyChallenge, BackendContext> = {
  access: 'public',
  parse(input) {
    const o = fields(input, ['username']);
    return {
      username:
        o['username'] === undefined || o['username'] === null
          ? null
          : text(o, 'username', { min: 1, max: 64 }).toLowerCase(),
    };
  },
  async run(ctx, { username }) {
    const session = ctx.sessions.current(await ctx.policy(), ctx.now());
    const user = username
      ? await ctx.users.byUsername(username)
      : session
        ? await ctx.users.byId(session.user.id)
        : undefined;
    if (!user) return { challenge: b64url(randomBytes(32)), rpId: ctx.rpId, allowCredentials: [] };
    return {
      challenge: newChallenge(ctx, `signin:${user.id}`),
      rpId: ctx.rpId,
      allowCredentials: (await ctx.users.webauthnKeys(user.id)).map((k) => k.data.credentialId),
    };
  },
};

export const authHandlers = {
  'setup.status': setupStatus,
  'setup.offerTotp': setupOfferTotp,
  'setup.create': setupCreate,
  'auth.session': sessionGet,
  'auth.signIn': signIn,
  'auth.unlock': unlock,
  'auth.signOut': signOut,
  'auth.lock': lock,
  'auth.touch': touch,
  'auth.offerTotp': offerOwnTotp,
  'auth.confirmTotp': confirmOwnTotp,
  'auth.acknowledgePolicy': acknowledgePolicy,
  'auth.keyOptions': registerOptions,
  'auth.registerKey': registerKey,
  'auth.keyChallenge': signInChallenge,
  'auth.recover': recover,
};
