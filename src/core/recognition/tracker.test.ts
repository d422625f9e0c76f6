import { describe, expect, it } from 'vitest';
import { editDistance, PlateTracker, type Observation } from './tracker';

const obs = (
  text: string,
  x: number,
  confidence = 0.9,
  alternates: Observation<number>['alternates'] = [],
  extra = 0,
) => ({
  box: { x, y: 300, w: 100, h: 50 },
  text,
  confidence,
  alternates,
  extra,
});

describe('PlateTracker', () => {
  it('makes one pass from a plate seen over many frames, emitted once it leaves the view', () => {
    const tracker = new PlateTracker<number>({ lostAfterMs: 500 });
    const passes = [];
    for (let i = 0; i < 10; i++)
      passes.push(...tracker.update(i * 100, [obs('7ABC123', 100 + i * 20, 0.8, [], i)]));
    expect(passes).toEqual([]);
    passes.push(...tracker.update(1500, []));
    expect(passes).toHaveLength(1);
    expect(passes[0]!.text).toBe('7ABC123');
    expect(passes[0]!.frames).toBe(10);
    expect(passes[0]!.firstSeen).toBe(0);
    expect(passes[0]!.lastSeen).toBe(900);
  });

  it('makes no pass from a glimpse seen in fewer than minFrames frames, and hands its image back', () => {
    const discarded: number[] = [];
    const tracker = new PlateTracker<number>({
      lostAfterMs: 500,
      minFrames: 2,
      discard: (e) => discarded.push(e as number),
    });
    tracker.update(0, [obs('7ABC123', 100, 0.9, [], 1), obs('L2', 900, 0.14, [], 2)]);
    tracker.update(100, [obs('7ABC123', 120, 0.9, [], 3)]);
    const passes = tracker.update(1000, []);
    expect(passes.map((p) => p.text)).toEqual(['7ABC123']);
    expect(tracker.rejected).toBe(1);
    expect(discarded).toContain(2);
    // The default keeps single-frame passes (a photo, a still image).
    const single = new PlateTracker<number>({ lostAfterMs: 500 });
    single.update(0, [obs('L2', 900, 0.14)]);
    expect(single.update(1000, []).map((p) => p.text)).toEqual(['L2']);
  });

  it('makes no pass from a track read less surely than minConfidence', () => {
    const tracker = new PlateTracker<number>({ lostAfterMs: 500, minConfidence: 0.2 });
    tracker.update(0, [obs('693', 500, 0.15), obs('7ABC123', 100, 0.95)]);
    tracker.update(100, [obs('63', 500, 0.06), obs('7ABC123', 120, 0.9)]);
    expect(tracker.update(1000, []).map((p) => p.text)).toEqual(['7ABC123']);
    expect(tracker.rejected).toBe(1);
  });

  it('votes the text across frames and keeps the best frame of the winner', () => {
    const tracker = new PlateTracker<number>({ lostAfterMs: 500 });
    tracker.update(0, [obs('7ABC123', 100, 0.6, [{ text: '7A8C123', confidence: 0.3 }], 0)]);
    tracker.update(100, [obs('7A8C123', 110, 0.5, [{ text: '7ABC123', confidence: 0.4 }], 1)]);
    tracker.update(200, [obs('7ABC123', 120, 0.95, [], 2)]);
    tracker.update(300, [obs('7ABC123', 130, 0.7, [], 3)]);
    const [pass] = tracker.flush(400);
    expect(pass!.text).toBe('7ABC123');
    expect(pass!.best.extra).toBe(2);
    expect(pass!.bestAt).toBe(200);
    // (0.6 + 0.4 + 0.95 + 0.7) / 4 frames
    expect(pass!.confidence).toBeCloseTo(2.65 / 4);
    expect(pass!.alternates[0]!.text).toBe('7A8C123');
  });

  it('keeps two plates in the same frames apart', () => {
    const tracker = new PlateTracker<number>({ lostAfterMs: 500 });
    for (let i = 0; i < 5; i++)
      tracker.update(i * 100, [obs('7ABC123', 100 + i * 10), obs('5XYZ987', 900 - i * 10)]);
    const passes = tracker.flush(1000);
    expect(passes.map((p) => p.text).sort()).toEqual(['5XYZ987', '7ABC123']);
    expect(passes.every((p) => p.frames === 5)).toBe(true);
  });

  it('starts a new pass for a different plate that appears where the last one left, after a gap', () => {
    // The fixture video's cars: each enters about where the previous one left the view, one second later.
    const tracker = new PlateTracker<number>({ lostAfterMs: 1500 });
    const passes = [];
    for (let i = 0; i < 5; i++) passes.push(...tracker.update(i * 100, [obs('7ABC123', 100 + i * 10)]));
    // A misread frame right after still belongs to the pass …
    passes.push(...tracker.update(500, [obs('7XYZ999', 150)]));
    // … a different plate a second later at the same place does not.
    for (let i = 0; i < 5; i++)
      passes.push(...tracker.update(1500 + i * 100, [obs('HGT4821', 150 + i * 10)]));
    passes.push(...tracker.update(2100, [obs('HGT4B21', 200)]));
    passes.push(...tracker.flush(3000));
    expect(passes.map((p) => [p.text, p.frames])).toEqual([
      ['7ABC123', 6],
      ['HGT4821', 6],
    ]);
  });

  it('measures edit distance', () => {
    expect(editDistance('7ABC123', '7ABC123')).toBe(0);
    expect(editDistance('7ABC123', '7ABC12')).toBe(1);
    expect(editDistance('7ABC123', '7A8C124')).toBe(2);
    expect(editDistance('', 'ABC')).toBe(3);
  });

  it('treats the same plate again within the dedupe window as the same pass, and after it as a new one', () => {
    const tracker = new PlateTracker<number>({ lostAfterMs: 500, dedupeWindowMs: 10_000 });
    tracker.update(0, [obs('7ABC123', 100)]);
    expect(tracker.update(1000, [])).toHaveLength(1);
    tracker.update(5000, [obs('7ABC123', 600)]); // back in view 4 s later: same pass
    expect(tracker.update(6000, [])).toHaveLength(0);
    expect(tracker.duplicates).toBe(1);
    tracker.update(30_000, [obs('7ABC123', 600)]); // long after: a new pass
    expect(tracker.update(31_000, [])).toHaveLength(1);
  });

  it('emits a parked plate once after maxTrackMs and not again while it stays', () => {
    const tracker = new PlateTracker<number>({ lostAfterMs: 500, maxTrackMs: 2000, dedupeWindowMs: 5000 });
    const passes = [];
    for (let t = 0; t <= 10_000; t += 100) passes.push(...tracker.update(t, [obs('7ABC123', 100)]));
    expect(passes).toHaveLength(1);
    expect(passes[0]!.lastSeen).toBe(2000);
  });

  it('joins a reading that jumps position when it reads the same once look-alikes are folded', () => {
    const tracker = new PlateTracker<number>({ lostAfterMs: 500 });
    tracker.update(0, [obs('7ABC123', 100)]);
    tracker.update(100, [obs('7A8C123', 700, 0.5)]);
    const passes = tracker.flush(200);
    expect(passes).toHaveLength(1);
    expect(passes[0]!.frames).toBe(2);
  });
});

describe('PlateTracker images', () => {
  it('hands back every observation it does not keep, and keeps exactly one per pass', () => {
    const discarded: number[] = [];
    const tracker = new PlateTracker<number>({
      lostAfterMs: 500,
      dedupeWindowMs: 10_000,
      discard: (e) => discarded.push(e as number),
    });
    tracker.update(0, [obs('7ABC123', 100, 0.6, [], 1)]);
    tracker.update(100, [obs('7ABC123', 110, 0.9, [], 2)]); // better: 1 discarded
    tracker.update(200, [obs('7ABC123', 120, 0.7, [], 3)]); // worse: 3 discarded
    const [pass] = tracker.update(1000, []);
    expect(pass!.best.extra).toBe(2);
    tracker.update(2000, [obs('7ABC123', 120, 0.7, [], 4)]); // a duplicate pass: its best is discarded too
    tracker.update(3000, []);
    expect(discarded.sort()).toEqual([1, 3, 4]);
  });
});
