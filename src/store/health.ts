// Storage reports its state: when it last saved, the last failure, quota and persistence. Every write made by
// the store goes through `StorageHealth.write`, so a failed write is surfaced (and rethrown), never swallowed.

export interface StorageStatus {
  /** Bytes used by this origin, as the browser reports it; null where the browser cannot tell. */
  usageBytes: number | null;
  /** The browser's quota for this origin. Not free disk space: headless Chromium reports usage + 10 GiB. */
  quotaBytes: number | null;
  /** Whether the browser granted persistent storage (never evicted under pressure). */
  persisted: boolean | null;
  lastSaveAt: number | null;
  lastError: { at: number; message: string } | null;
}

export class StorageWriteError extends Error {
  readonly code = 'storage';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageWriteError';
  }
}

interface StorageManagerLike {
  estimate(): Promise<{ usage?: number; quota?: number }>;
  persisted(): Promise<boolean>;
}

function describeWriteFailure(e: unknown): string {
  const name = (e as { name?: string } | null)?.name ?? '';
  const inner = (e as { inner?: { name?: string } } | null)?.inner?.name ?? '';
  if (name === 'QuotaExceededError' || inner === 'QuotaExceededError') {
    return 'The device storage is full: nothing was saved. Free space or sync to headquarters.';
  }
  return `Saving failed: ${(e as Error)?.message ?? String(e)}`;
}

export class StorageHealth {
  private lastSaveAt: number | null = null;
  private lastError: StorageStatus['lastError'] = null;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly storage: StorageManagerLike | undefined = (
      globalThis as { navigator?: { storage?: StorageManagerLike } }
    ).navigator?.storage,
  ) {}

  /** Run a write; record success or failure. Failures are rethrown as StorageWriteError with a plain message. */
  async write<T>(fn: () => Promise<T>): Promise<T> {
    try {
      const result = await fn();
      this.lastSaveAt = this.now();
      return result;
    } catch (e) {
      const message = describeWriteFailure(e);
      this.lastError = { at: this.now(), message };
      throw new StorageWriteError(message, { cause: e });
    }
  }

  async status(): Promise<StorageStatus> {
    let usageBytes: number | null = null;
    let quotaBytes: number | null = null;
    let persisted: boolean | null = null;
    if (this.storage) {
      const [estimate, isPersisted] = await Promise.all([
        this.storage.estimate().catch(() => ({}) as { usage?: number; quota?: number }),
        this.storage.persisted().catch(() => null),
      ]);
      usageBytes = estimate.usage ?? null;
      quotaBytes = estimate.quota ?? null;
      persisted = isPersisted;
    }
    return { usageBytes, quotaBytes, persisted, lastSaveAt: this.lastSaveAt, lastError: this.lastError };
  }
}
