import { describe, expect, it } from 'vitest';
import { FrameScheduler, MotionGate } from './scheduler';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A scheduler whose frames each wait on a gate the test opens; it records what ran and what was released. */
function gated(depth = 1) {
  const gates: ReturnType<typeof deferred>[] = [];
  const processed: number[] = [];
  const released: number[] = [];
  const scheduler = new FrameScheduler<number>(
    (f) => {
      processed.push(f);
      const d = deferred();
      gates.push(d);
      return d.promise;
    },
    (f) => released.push(f),
    () => undefined,
    depth,
  );
  return { s: scheduler, gates, processed, released };
}

describe('FrameScheduler', () => {
  it('runs one frame at a time, keeps only the newest waiting frame and releases every frame', async () => {
    const { s, gates, processed, released } = gated();
    s.offer(1); // runs
    s.offer(2); // waits
    s.offer(3); // replaces 2 (dropped)
    s.offer(4); // replaces 3 (dropped)
    expect(processed).toEqual([1]);
    expect(released).toEqual([2, 3]);
    gates[0]!.resolve();
    await Promise.resolve();
    await Promise.resolve();
    expect(processed).toEqual([1, 4]);
    gates[1]!.resolve();
    await s.idle();
    expect(released.sort()).toEqual([1, 2, 3, 4]);
    expect(s.stats).toMatchObject({ offered: 4, processed: 2, dropped: 2 });
  });

  it('keeps up to `depth` frames in the engine, then drops the oldest waiting one', async () => {
    const { s, gates, processed, released } = gated(2);
    s.offer(1); // runs
    s.offer(2); // runs beside it
    s.offer(3); // waits
    s.offer(4); // replaces 3 (dropped)
    expect(processed).toEqual([1, 2]);
    expect(released).toEqual([3]);
    expect(s.busy).toBe(true);
    gates[0]!.resolve();
    await Promise.resolve();
    await Promise.resolve();
    expect(processed).toEqual([1, 2, 4]);
    gates[1]!.resolve();
    gates[2]!.resolve();
    await s.idle();
    expect(s.busy).toBe(false);
    expect(released.sort()).toEqual([1, 2, 3, 4]);
    expect(s.stats).toMatchObject({ offered: 4, processed: 3, dropped: 1 });
  });

  it('counts a failed frame, reports it and carries on', async () => {
    const errors: unknown[] = [];
    const released: number[] = [];
    const s = new FrameScheduler<number>(
      async (f) => {
        if (f === 1) throw new Error('engine failed');
      },
      (f) => released.push(f),
      (e) => errors.push(e),
    );
    s.offer(1);
    await s.idle();
    s.offer(2);
    await s.idle();
    expect(s.stats).toMatchObject({ processed: 1, failed: 1 });
    expect(errors).toHaveLength(1);
    expect(released).toEqual([1, 2]);
  });
});

describe('MotionGate', () => {
  const thumb = (v: number, patch = 0) => {
    const t = new Uint8Array(576).fill(v);
    t.fill(v + patch, 100, 110); // a small object: 10 of 576 pixels
    return t;
  };
  it('skips sensor noise and lets a small moving object through', () => {
    const gate = new MotionGate(0.005, 1000);
    expect(gate.changed(thumb(100), 0)).toBe(true);
    expect(gate.changed(thumb(104), 100)).toBe(false); // everything a little brighter: noise
    expect(gate.changed(thumb(100, 60), 200)).toBe(true); // a plate-sized patch changed a lot
  });
  it('lets a still scene through again after the keep-alive period', () => {
    const gate = new MotionGate(0.005, 1000);
    gate.changed(thumb(100), 0);
    expect(gate.changed(thumb(100), 500)).toBe(false);
    expect(gate.changed(thumb(100), 1200)).toBe(true);
  });
});
