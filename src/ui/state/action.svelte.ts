// One backend action at a time on a panel: busy while it runs, its message on success (then the panel loads its
// data again), the refusal's message otherwise (and the session's own handling: a locked screen, a sign-out).
import type { AuthState } from './auth.svelte';

export class ActionState {
  busy = $state(false);
  message = $state<string | null>(null);
  error = $state<string | null>(null);

  constructor(
    /** The signed-in state (a getter: the component's prop may be replaced). */
    private readonly auth: () => AuthState,
    /** Reload the panel's data after a successful action. */
    private readonly reload: () => Promise<void>,
  ) {}

  /** Runs `what`, which returns the message to show. */
  async run(what: () => Promise<string>): Promise<void> {
    this.error = null;
    this.message = null;
    this.busy = true;
    try {
      this.message = await what();
      await this.reload();
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy = false;
    }
  }

  /** Shows a failure (a load that failed, a refused action). */
  fail(e: unknown): void {
    this.error = (e as Error).message;
    this.auth().handle(e);
  }
}
