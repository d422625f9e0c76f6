// Builds the backend: database, device identity, vault, access log, session and the dispatcher with its security
// hooks. The worker (backend.worker.ts) exposes it through comlink; tests call it directly.
import { DAY_MS, localEntryPurgeCutoff } from '../core/policy/rules';
import { AccessLog } from '../store/accessLog';
import { AlprDb } from '../store/db';
import { currentPolicy, initializeDevice } from '../store/device';
import { LocalEntryStore } from '../store/localEntries';
import { StorageHealth } from '../store/health';
import { UserStore } from '../store/users';
import { readVault } from '../store/vault';
import type { BackendContext } from './context';
import { securityHooks } from './guard';
import { handlers } from './handlers';
import { CaptureHolder } from './handlers/capture';
import { HitWatch } from './hits';
import { ListRefresher } from './lists';
import { createDispatcher, type Dispatcher } from './registry';
import { SessionHolder } from './session';

export interface BackendOptions {
  db?: AlprDb;
  now?: () => number;
  crossOriginIsolated?: boolean;
  /** The page origin (for WebAuthn); the worker passes its own location. */
  origin?: string;
  onInternalError?: (name: string, error: unknown) => void;
  /** The browser's storage manager (quota and persistence); tests pass a stand-in. */
  storage?: ConstructorParameters<typeof StorageHealth>[1];
  /** Check hot-list URL sources this often (the worker: every 5 minutes); tests leave it out and tick by hand. */
  refreshCheckMs?: number;
}

/** The access log's retention purge, at every start (the worker restarts at least daily on a unit in use). */
function purgeExpiredLog(ctx: BackendContext, onError: BackendOptions['onInternalError']): void {
  const vault = ctx.vault;
  if (!vault) return;
  void ctx
    .policy()
    .then((policy) => ctx.log.purgeBefore(vault, ctx.now() - policy.retention.accessLogDays * DAY_MS))
    .catch((e: unknown) => onError?.('log.purge', e));
}

/** Local hot-list entries past their retention period leave the device at every start, recorded in the log. */
function purgeExpiredLocalEntries(ctx: BackendContext, onError: BackendOptions['onInternalError']): void {
  const vault = ctx.vault;
  if (!vault) return;
  void ctx
    .policy()
    .then(async (policy) => {
      const cutoff = localEntryPurgeCutoff(policy, ctx.now());
      const removed = await new LocalEntryStore(ctx.db, ctx.health).purgeExpiredBefore(cutoff);
      if (removed > 0) {
        await ctx.log.append(vault, {
          userId: null,
          username: null,
          agency: null,
          action: 'hotlists.purge',
          outcome: 'ok',
          detail: `Retention purge: ${removed} local hot-list entries that expired before ${new Date(cutoff).toISOString()} removed.`,
          resultCount: removed,
        });
      }
    })
    .catch((e: unknown) => onError?.('hotlists.purge', e));
}

export function createBackend(options: BackendOptions = {}): Dispatcher {
  const db = options.db ?? new AlprDb();
  const now = options.now ?? Date.now;
  const health = 'storage' in options ? new StorageHealth(now, options.storage) : new StorageHealth(now);
  const startedAt = now();
  let ready: Promise<BackendContext> | null = null;

  const start = async (): Promise<BackendContext> => {
    const device = await initializeDevice(db, health, now());
    const ctx: BackendContext = {
      db,
      health,
      device,
      users: new UserStore(db, health),
      log: await AccessLog.create(db, health, device.deviceId, now),
      sessions: new SessionHolder(),
      capture: new CaptureHolder(),
      hits: new HitWatch(),
      refresher: new ListRefresher(),
      vault: await readVault(db),
      policy: () => currentPolicy(db),
      now,
      startedAt,
      pendingTotp: new Map(),
      pendingWebAuthn: new Map(),
      webOrigin: options.origin ?? 'http://localhost',
      rpId: new URL(options.origin ?? 'http://localhost').hostname,
      handlerNames: () => dispatcher.names(),
      crossOriginIsolated: options.crossOriginIsolated ?? false,
    };
    purgeExpiredLog(ctx, options.onInternalError);
    purgeExpiredLocalEntries(ctx, options.onInternalError);
    return ctx;
  };

  const context = (): Promise<BackendContext> => {
    if (!ready) {
      const attempt = start();
      ready = attempt;
      // A failed start-up (e.g. storage blocked) is retried on the next call instead of poisoning the worker.
      attempt.catch(() => {
        if (ready === attempt) ready = null;
      });
    }
    return ready;
  };

  const dispatcher = createDispatcher(handlers, context, {
    ...securityHooks,
    onInternalError: options.onInternalError,
  });
  if (options.refreshCheckMs) {
    const tick = () => {
      void context()
        .then((ctx) => ctx.refresher.tick(ctx))
        .catch(() => undefined); // a failed start is reported by the next call
    };
    setInterval(tick, options.refreshCheckMs);
    // Back online after a shift without signal: fetch what fell due meanwhile at once.
    if (typeof globalThis.addEventListener === 'function') globalThis.addEventListener('online', tick);
  }
  return dispatcher;
}
