// User administration (ALPR Administrator): create, record training, change job title or roles, deactivate,
// reactivate, unlock. Users are never deleted. Every call is in the access log.
import { accessBlockers, type Blocker } from '../../core/security/access';
import { can, ROLES, type Role } from '../../core/security/permissions';
import { ulid } from '../../core/ulid';
import type { UserRow } from '../../store/db';
import { passwordCredential } from '../../store/vault';
import type { BackendContext } from '../context';
import { signedIn } from '../guard';
import { fields, ID, JOB_TITLE, oneOfList, PASSWORD, PERSON_NAME, text, timestamp, USERNAME } from '../input';
import { BadInputError, HandlerError, noInput, type HandlerDef } from '../registry';

export interface UserView {
  id: string;
  username: string;
  name: string;
  jobTitle: string;
  roles: Role[];
  status: UserRow['status'];
  failedAttempts: number;
  lastActiveAt: number | null;
  trainingCompletedAt: number | null;
  blockers: Blocker[];
  supervisorId: string | null;
}

async function view(ctx: BackendContext, u: UserRow): Promise<UserView> {
  const facts = await ctx.users.facts(u);
  return {
    id: u.id,
    username: u.username,
    name: u.name,
    jobTitle: u.jobTitle,
    roles: u.roles,
    status: u.status,
    failedAttempts: u.failedAttempts,
    lastActiveAt: u.lastActiveAt,
    trainingCompletedAt: facts.trainingCompletedAt,
    blockers: accessBlockers(facts, await ctx.policy(), ctx.now()),
    supervisorId: u.supervisorId ?? null,
  };
}

async function mustFind(ctx: BackendContext, id: string): Promise<UserRow> {
  const u = await ctx.users.byId(id);
  if (!u) throw new HandlerError('not-found', 'No such user.');
  return u;
}

const MANAGE = { permission: 'users.manage' } as const;
const idInput = (input: unknown) => ({ userId: text(fields(input, ['userId']), 'userId', ID) });
const userTerms = ({ userId }: { userId: string }) => ({ userId });

const list: HandlerDef<Record<string, never>, UserView[], BackendContext> = {
  access: MANAGE,
  parse: noInput,
  async run(ctx) {
    return Promise.all((await ctx.users.all()).map((u) => view(ctx, u)));
  },
  audit: { count: (out) => out.length },
};

interface CreateInput {
  username: string;
  name: string;
  jobTitle: string;
  roles: Role[];
  password: string;
}

const create: HandlerDef<CreateInput, UserView, BackendContext> = {
  access: MANAGE,
  parse(input) {
    const o = fields(input, ['username', 'name', 'jobTitle', 'roles', 'password']);
    return {
      username: text(o, 'username', USERNAME),
      name: text(o, 'name', PERSON_NAME),
      jobTitle: text(o, 'jobTitle', JOB_TITLE),
      roles: oneOfList(o, 'roles', ROLES),
      password: text(o, 'password', PASSWORD),
    };
  },
  async run(ctx, input) {
    const policy = await ctx.policy();
    if (input.password.length < policy.signIn.minPasswordLength) {
      throw new BadInputError(`password must be at least ${policy.signIn.minPasswordLength} characters`);
    }
    const admin = signedIn(ctx);
    const now = ctx.now();
    const user: UserRow = {
      id: ulid(now),
      username: input.username,
      name: input.name,
      jobTitle: input.jobTitle,
      roles: input.roles,
      agency: admin.user.agency,
      status: 'active',
      failedAttempts: 0,
      createdAt: now,
      createdBy: admin.user.id,
      lastActiveAt: null,
      trainingResetAt: null,
    };
    const cred = await passwordCredential(admin.keys.dek, input.password);
    await ctx.users.create(user, [
      { id: ulid(now), userId: user.id, kind: 'password', data: cred, createdAt: now },
    ]);
    return view(ctx, user);
  },
  audit: { terms: (i) => ({ username: i.username, roles: i.roles.join(',') }) },
};

const recordTraining: HandlerDef<
  { userId: string; course: string; completedAt: number },
  UserView,
  BackendContext
> = {
  access: MANAGE,
  parse(input) {
    const o = fields(input, ['userId', 'course', 'completedAt']);
    return {
      userId: text(o, 'userId', ID),
      course: text(o, 'course', { min: 3, max: 120 }),
      completedAt: timestamp(o, 'completedAt'),
    };
  },
  async run(ctx, { userId, course, completedAt }) {
    if (completedAt > ctx.now()) throw new BadInputError('completedAt cannot be in the future');
    const admin = signedIn(ctx);
    const u = await mustFind(ctx, userId);
    await ctx.users.addTraining({
      id: ulid(ctx.now()),
      userId,
      course,
      completedAt,
      recordedBy: admin.user.id,
    });
    return view(ctx, u);
  },
  audit: { terms: (i) => ({ userId: i.userId, course: i.course }) },
};

const update: HandlerDef<
  {
    userId: string;
    /** Each field left out (or null, for job title and roles) stays as it is. */
    jobTitle?: string | null;
    roles?: Role[] | null;
    /** null: no supervisor. */
    supervisorId?: string | null;
  },
  UserView,
  BackendContext
> = {
  access: MANAGE,
  parse(input) {
    const o = fields(input, ['userId', 'jobTitle', 'roles', 'supervisorId']);
    return {
      userId: text(o, 'userId', ID),
      jobTitle: o['jobTitle'] === undefined ? null : text(o, 'jobTitle', JOB_TITLE),
      roles: o['roles'] === undefined ? null : oneOfList(o, 'roles', ROLES),
      supervisorId:
        o['supervisorId'] === undefined
          ? undefined
          : o['supervisorId'] === null
            ? null
            : text(o, 'supervisorId', ID),
    };
  },
  async run(ctx, { userId, jobTitle, roles, supervisorId }) {
    const u = await mustFind(ctx, userId);
    const changes: Partial<UserRow> = {};
    if (jobTitle && jobTitle !== u.jobTitle) {
      changes.jobTitle = jobTitle;
      // Policy: a change of job needs fresh training before the account is used again.
      changes.trainingResetAt = ctx.now();
    }
    if (roles) changes.roles = roles;
    if (supervisorId !== undefined) {
      if (supervisorId !== null) {
        if (supervisorId === userId)
          throw new BadInputError('supervisorId: a user cannot supervise themselves');
        const sup = await ctx.users.byId(supervisorId);
        if (!sup || sup.status === 'deactivated')
          throw new BadInputError('supervisorId: no active user with that id');
        if (!can(sup.roles, 'hotlists.approveEdit'))
          throw new BadInputError(`supervisorId: ${sup.username} does not have the supervisor role`);
      }
      changes.supervisorId = supervisorId;
    }
    await ctx.users.update(userId, changes);
    return view(ctx, { ...u, ...changes });
  },
  audit: {
    terms: (i) => ({
      userId: i.userId,
      ...(i.jobTitle ? { jobTitle: i.jobTitle } : {}),
      ...(i.roles ? { roles: i.roles.join(',') } : {}),
      ...(i.supervisorId !== undefined ? { supervisorId: i.supervisorId ?? 'none' } : {}),
    }),
  },
};

function statusChange(
  to: UserRow['status'],
  from: UserRow['status'][],
  resetsTraining: boolean,
): HandlerDef<{ userId: string }, UserView, BackendContext> {
  return {
    access: MANAGE,
    parse: idInput,
    async run(ctx, { userId }) {
      const u = await mustFind(ctx, userId);
      const policy = await ctx.policy();
      if (to === 'deactivated' && signedIn(ctx).user.id === userId) {
        throw new HandlerError('conflict', 'You cannot deactivate your own account.');
      }
      if (!from.includes(u.status)) throw new HandlerError('conflict', `The account is ${u.status}.`);
      const changes: Partial<UserRow> = {
        status: to,
        failedAttempts: 0,
        ...(resetsTraining ? { trainingResetAt: ctx.now() } : {}),
      };
      await ctx.users.update(userId, changes);
      if (to === 'deactivated' && ctx.sessions.current(policy, ctx.now())?.user.id === userId)
        ctx.sessions.end();
      return view(ctx, { ...u, ...changes });
    },
    audit: { terms: userTerms },
  };
}

/** A user lost their authenticator or key: remove every second factor; they enrol again at next sign-in. */
const resetSecondFactor: HandlerDef<{ userId: string }, UserView, BackendContext> = {
  access: MANAGE,
  parse: idInput,
  async run(ctx, { userId }) {
    const u = await mustFind(ctx, userId);
    await ctx.users.removeSecondFactors(userId);
    return view(ctx, u);
  },
  audit: { terms: userTerms },
};

export const userHandlers = {
  'users.list': list,
  'users.create': create,
  'users.recordTraining': recordTraining,
  'users.update': update,
  'users.deactivate': statusChange('deactivated', ['active', 'locked'], false),
  // Reactivation needs fresh training (policy): training completed before now stops counting.
  'users.reactivate': statusChange('active', ['deactivated'], true),
  'users.unlock': statusChange('active', ['locked'], false),
  'users.resetSecondFactor': resetSecondFactor,
};
