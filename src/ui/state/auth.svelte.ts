// Rune state for who is signed in. The backend decides everything (session, lock, blockers); this mirrors it,
// reports the officer's activity (so the idle lock counts from the last real interaction, not from background
// polling) and notices when the backend has locked the session.
import type { SessionSummary, SetupStatus } from '../../backend/api';
import { BackendError, type Backend } from '../backend';
import { createKey, getAssertion } from '../webauthn';

const CHECK_MS = 15_000;
const TOUCH_EVERY_MS = 30_000;

/** A sign-out guard's answer: whether sign-out may go on, and how many unstored reads it gave up. */
export interface SignOutGuardAnswer {
  proceed: boolean;
  unstoredReads?: number;
}

export type AuthView = 'loading' | 'setup' | 'sign-in' | 'enrol' | 'blocked' | 'locked' | 'app';

export class AuthState {
  setup = $state<SetupStatus | null>(null);
  session = $state<SessionSummary | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);
  private lastTouch = 0;
  private readonly signOutGuards: (() => Promise<SignOutGuardAnswer>)[] = [];

  readonly view: AuthView = $derived.by(() => {
    if (!this.setup) return 'loading';
    if (!this.setup.configured) return 'setup';
    const s = this.session;
    if (!s) return 'sign-in';
    if (s.locked) return 'locked';
    if (s.mustEnrolSecondFactor) return 'enrol';
    if (s.blockers.length > 0) return 'blocked';
    return 'app';
  });

  constructor(readonly backend: Backend) {}

  start(): () => void {
    const onActivity = () => {
      if (this.view !== 'app' && this.view !== 'blocked' && this.view !== 'enrol') return;
      const now = Date.now();
      if (now - this.lastTouch < TOUCH_EVERY_MS) return;
      this.lastTouch = now;
      this.backend.call('auth.touch', {}).catch((e: unknown) => this.handle(e));
    };
    addEventListener('pointerdown', onActivity, { passive: true });
    addEventListener('keydown', onActivity);
    const timer = setInterval(() => void this.refresh(), CHECK_MS);
    void this.refresh();
    return () => {
      removeEventListener('pointerdown', onActivity);
      removeEventListener('keydown', onActivity);
      clearInterval(timer);
    };
  }

  async refresh(): Promise<void> {
    try {
      const [setup, session] = await Promise.all([
        this.backend.call('setup.status', {}),
        this.backend.call('auth.session', {}),
      ]);
      this.setup = setup;
      this.session = session;
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  /** After any backend refusal: a lock or a lost session changes the screen. */
  handle(e: unknown): void {
    if (
      e instanceof BackendError &&
      (e.code === 'locked' || e.code === 'unauthenticated' || e.code === 'blocked')
    ) {
      void this.refresh();
    }
  }

  private async run(fn: () => Promise<SessionSummary | null>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      this.session = await fn();
      this.lastTouch = Date.now();
      return true;
    } catch (e) {
      this.error = (e as Error).message;
      if (e instanceof BackendError && e.code === 'locked') void this.refresh();
      return false;
    } finally {
      this.busy = false;
    }
  }

  signIn(username: string, password: string, code: string): Promise<boolean> {
    return this.run(() =>
      this.backend.call('auth.signIn', { username, password, factor: code ? { code } : null }),
    );
  }

  unlock(password: string, code: string): Promise<boolean> {
    return this.run(() => this.backend.call('auth.unlock', { password, factor: code ? { code } : null }));
  }

  /** Sign in with the password and a security key instead of a code. */
  signInWithKey(username: string, password: string): Promise<boolean> {
    return this.run(async () => {
      const assertion = await getAssertion(await this.backend.call('auth.keyChallenge', { username }));
      return this.backend.call('auth.signIn', { username, password, factor: { assertion } });
    });
  }

  unlockWithKey(password: string): Promise<boolean> {
    return this.run(async () => {
      const assertion = await getAssertion(await this.backend.call('auth.keyChallenge', { username: null }));
      return this.backend.call('auth.unlock', { password, factor: { assertion } });
    });
  }

  /** Register a security key for the signed-in user. */
  registerKey(): Promise<boolean> {
    return this.run(async () => {
      const response = await createKey(await this.backend.call('auth.keyOptions', {}));
      return this.backend.call('auth.registerKey', { response });
    });
  }

  lock(): Promise<boolean> {
    return this.run(() => this.backend.call('auth.lock', {}));
  }

  /**
   * Work that must end before the officer is signed out (live capture): each guard runs in turn; one that does not
   * proceed keeps the officer signed in, and reads a guard gave up are recorded with the sign-out.
   */
  beforeSignOut(guard: () => Promise<SignOutGuardAnswer>): void {
    this.signOutGuards.push(guard);
  }

  async signOut(): Promise<boolean> {
    let unstoredReads = 0;
    for (const guard of this.signOutGuards) {
      const answer = await guard();
      if (!answer.proceed) return false;
      unstoredReads += answer.unstoredReads ?? 0;
    }
    return this.run(async () => {
      await this.backend.call('auth.signOut', unstoredReads > 0 ? { unstoredReads } : {});
      return null;
    });
  }

  acknowledge(revision: number): Promise<boolean> {
    return this.run(() => this.backend.call('auth.acknowledgePolicy', { revision }));
  }

  confirmTotp(enrolmentId: string, code: string): Promise<boolean> {
    return this.run(() => this.backend.call('auth.confirmTotp', { enrolmentId, code }));
  }

  setupDone(): void {
    void this.refresh();
  }
}
