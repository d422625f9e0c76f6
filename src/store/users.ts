// Users, their credentials, training and policy acknowledgements. Guarantees: users are never deleted
// (deactivated instead, so the log still names them); a failed sign-in is counted in the same transaction that
// reads the count, and the account locks at the policy's limit; training completed before a job-title change or
// reactivation no longer counts.
import type { AccessFacts } from '../core/security/access';
import type { StoredWebAuthnKey } from '../core/security/webauthn';
import type {
  AcknowledgementRow,
  AlprDb,
  CredentialRow,
  PasswordCredential,
  TotpCredential,
  TrainingRow,
  UserRow,
} from './db';
import type { StorageHealth } from './health';

export class UserStore {
  constructor(
    private readonly db: AlprDb,
    private readonly health: StorageHealth,
  ) {}

  byUsername(username: string): Promise<UserRow | undefined> {
    return this.db.users.where('username').equals(username).first();
  }

  byId(id: string): Promise<UserRow | undefined> {
    return this.db.users.get(id);
  }

  all(): Promise<UserRow[]> {
    return this.db.users.orderBy('username').toArray();
  }

  async count(): Promise<number> {
    return this.db.users.count();
  }

  async credential(
    userId: string,
    kind: 'password',
  ): Promise<(CredentialRow & { data: PasswordCredential }) | undefined>;
  async credential(
    userId: string,
    kind: 'totp',
  ): Promise<(CredentialRow & { data: TotpCredential }) | undefined>;
  async credential(userId: string, kind: CredentialRow['kind']): Promise<CredentialRow | undefined> {
    return this.db.credentials
      .where('userId')
      .equals(userId)
      .filter((c) => c.kind === kind)
      .first();
  }

  async facts(user: UserRow): Promise<AccessFacts> {
    const training = await this.db.training.where('userId').equals(user.id).toArray();
    const counting = training.filter(
      (t) => user.trainingResetAt === null || t.completedAt >= user.trainingResetAt,
    );
    const acks = await this.db.acknowledgements.where('userId').equals(user.id).toArray();
    return {
      status: user.status,
      trainingCompletedAt: counting.length ? Math.max(...counting.map((t) => t.completedAt)) : null,
      acknowledgedRevision: acks.length ? Math.max(...acks.map((a) => a.policyRevision)) : null,
      lastActiveAt: user.lastActiveAt,
      createdAt: user.createdAt,
    };
  }

  async trainingOf(userId: string): Promise<TrainingRow[]> {
    return (await this.db.training.where('userId').equals(userId).toArray()).sort(
      (a, b) => a.completedAt - b.completedAt,
    );
  }

  /** Create a user with their credentials (and training, at setup) atomically. */
  create(
    user: UserRow,
    credentials: CredentialRow[],
    training: TrainingRow[] = [],
    acks: AcknowledgementRow[] = [],
  ): Promise<void> {
    return this.health.write(() =>
      this.db.transaction(
        'rw',
        [this.db.users, this.db.credentials, this.db.training, this.db.acknowledgements],
        async () => {
          if (await this.byUsername(user.username)) throw new UsernameTakenError(user.username);
          await this.db.users.add(user);
          await this.db.credentials.bulkAdd(credentials);
          if (training.length) await this.db.training.bulkAdd(training);
          if (acks.length) await this.db.acknowledgements.bulkAdd(acks);
        },
      ),
    );
  }

  /** Count a failed sign-in; lock at `maxAttempts`. Returns the user as stored afterwards. */
  recordFailure(userId: string, maxAttempts: number): Promise<UserRow> {
    return this.health.write(() =>
      this.db.transaction('rw', this.db.users, async () => {
        const u = (await this.db.users.get(userId))!;
        const failedAttempts = u.failedAttempts + 1;
        const status = u.status === 'active' && failedAttempts >= maxAttempts ? 'locked' : u.status;
        await this.db.users.update(userId, { failedAttempts, status });
        return { ...u, failedAttempts, status };
      }),
    );
  }

  recordSuccess(userId: string, now: number): Promise<void> {
    return this.health.write(async () => {
      await this.db.users.update(userId, { failedAttempts: 0, lastActiveAt: now });
    });
  }

  update(
    userId: string,
    changes: Partial<Omit<UserRow, 'id' | 'username' | 'createdAt' | 'createdBy'>>,
  ): Promise<void> {
    return this.health.write(async () => {
      const n = await this.db.users.update(userId, changes);
      if (n === 0 && !(await this.db.users.get(userId))) throw new UnknownUserError();
    });
  }

  async webauthnKeys(userId: string): Promise<(CredentialRow & { data: StoredWebAuthnKey })[]> {
    const rows = await this.db.credentials.where('userId').equals(userId).toArray();
    return rows.filter((c) => c.kind === 'webauthn') as (CredentialRow & { data: StoredWebAuthnKey })[];
  }

  /** Add or update one security key (a user may have several). */
  putWebAuthnKey(row: CredentialRow & { data: StoredWebAuthnKey }): Promise<void> {
    return this.health.write(async () => {
      await this.db.credentials.put(row);
    });
  }

  removeSecondFactors(userId: string): Promise<void> {
    return this.health.write(async () => {
      const rows = await this.db.credentials.where('userId').equals(userId).toArray();
      await this.db.credentials.bulkDelete(rows.filter((c) => c.kind !== 'password').map((c) => c.id));
    });
  }

  /** Replace the user's credential of this kind (password, TOTP: one each). */
  putCredential(row: CredentialRow): Promise<void> {
    return this.health.write(() =>
      this.db.transaction('rw', this.db.credentials, async () => {
        const old = await this.db.credentials
          .where('userId')
          .equals(row.userId)
          .filter((c) => c.kind === row.kind)
          .toArray();
        await this.db.credentials.bulkDelete(old.map((c) => c.id).filter((id) => id !== row.id));
        await this.db.credentials.put(row);
      }),
    );
  }

  addTraining(row: TrainingRow): Promise<void> {
    return this.health.write(async () => {
      await this.db.training.add(row);
    });
  }

  acknowledge(row: AcknowledgementRow): Promise<void> {
    return this.health.write(async () => {
      await this.db.acknowledgements.add(row);
    });
  }
}

export class UsernameTakenError extends Error {
  readonly code = 'conflict';
  constructor(username: string) {
    super(`The username "${username}" is already taken`);
  }
}

export class UnknownUserError extends Error {
  readonly code = 'not-found';
  constructor() {
    super('No such user');
  }
}
