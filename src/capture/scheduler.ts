// Frame scheduling between a camera and the engine: at most `depth` frames in the engine at a time and at most one
// waiting; a newer frame replaces the waiting one (the older is dropped and counted), so the engine always works on
// the freshest frames and the page never queues up work. Frames are released (closed) whether processed or dropped.
// A depth of 2 keeps the engine worker busy while the page takes the previous result (the worker runs its calls
// in order, so results still come back in frame order).

export interface SchedulerStats {
  offered: number;
  processed: number;
  /** Dropped because a newer frame arrived while the engine was busy. */
  dropped: number;
  /** Skipped by the motion gate (nothing changed). */
  skipped: number;
  /** Frames the engine failed on. */
  failed: number;
}

export class FrameScheduler<F> {
  readonly stats: SchedulerStats = { offered: 0, processed: 0, dropped: 0, skipped: 0, failed: 0 };
  private inFlight = 0;
  private waiting: F | null = null;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly process: (frame: F) => Promise<void>,
    private readonly release: (frame: F) => void,
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly depth = 1,
  ) {}

  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Hands a frame over; the scheduler owns it from now on. */
  offer(frame: F): void {
    this.stats.offered++;
    if (this.inFlight < this.depth) {
      void this.run(frame);
      return;
    }
    if (this.waiting !== null) {
      this.release(this.waiting);
      this.stats.dropped++;
    }
    this.waiting = frame;
  }

  /** Counts a frame the caller chose not to offer (no motion). */
  skip(): void {
    this.stats.skipped++;
  }

  /** Resolves when nothing is running or waiting. */
  idle(): Promise<void> {
    if (this.inFlight === 0 && this.waiting === null) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops the waiting frame (capture stopping). */
  clear(): void {
    if (this.waiting !== null) {
      this.release(this.waiting);
      this.waiting = null;
    }
  }

  private async run(frame: F): Promise<void> {
    this.inFlight++;
    let next: F | null = frame;
    while (next !== null) {
      try {
        await this.process(next);
        this.stats.processed++;
      } catch (e) {
        this.stats.failed++;
        this.onError(e);
      } finally {
        this.release(next);
      }
      next = this.waiting;
      this.waiting = null;
    }
    this.inFlight--;
    if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }
}

/**
 * Skips frames where nothing moved: compares a small greyscale thumbnail with the last one let through and counts
 * the pixels that changed by more than `pixelDelta` (a car moving through part of the view changes a few of them
 * a lot, sensor noise changes many of them a little). A frame is always let through after `keepAliveMs`, so a
 * plate that stays in view keeps its track alive.
 */
export class MotionGate {
  private last: Uint8Array | null = null;
  private lastAt = -Infinity;

  constructor(
    /** Share of thumbnail pixels that must change for the frame to count as moved. */
    private readonly changedShare = 0.005,
    private readonly keepAliveMs = 1_000,
    private readonly pixelDelta = 12,
  ) {}

  /** Whether the frame is worth the engine's time; `thumb` is greyscale pixels of a fixed small size. */
  changed(thumb: Uint8Array, t: number): boolean {
    const last = this.last;
    let moved = true;
    if (last && last.length === thumb.length && t - this.lastAt < this.keepAliveMs) {
      let changed = 0;
      for (let i = 0; i < thumb.length; i++) if (Math.abs(thumb[i]! - last[i]!) > this.pixelDelta) changed++;
      moved = changed >= Math.max(1, thumb.length * this.changedShare);
    }
    if (moved) {
      this.last = thumb.slice();
      this.lastAt = t;
    }
    return moved;
  }
}
