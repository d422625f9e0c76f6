import { describe, expect, it } from 'vitest';
import { boxFit, devHalf } from './eval';

describe('eval --half', () => {
  it('splits files as models/train/train_reader.py dev_fold does (values from its Python)', () => {
    const python: Record<string, 'a' | 'b'> = {
      'ak721.png': 'b',
      'ak848.png': 'a',
      'car1.jpg': 'b',
      'us10.jpg': 'b',
      'wts-lg-000072.jpg': 'a',
      '0b86cecf-67d1-4fc0-87c9-b36b0ee228bb.jpg': 'a',
    };
    for (const [file, half] of Object.entries(python)) expect(devHalf(file), file).toBe(half);
  });

  it('puts every name in one half, both halves in use', () => {
    const names = Array.from({ length: 200 }, (_, i) => `plate${i}.png`);
    const a = names.filter((n) => devHalf(n) === 'a').length;
    expect(a).toBeGreaterThan(60);
    expect(200 - a).toBeGreaterThan(60);
  });
});

describe('eval boxFit', () => {
  const label = { x: 100, y: 100, w: 100, h: 50 };
  /** A box grown about the label's centre by fw, fh. */
  const grown = (fw: number, fh: number) => ({
    x: 150 - (100 * fw) / 2,
    y: 125 - (50 * fh) / 2,
    w: 100 * fw,
    h: 50 * fh,
  });

  it('gives the median factors that fit the reported boxes to the labelled ones', () => {
    const pairs = [grown(1.1, 1.2), grown(1.2, 1.25), grown(1.0, 1.0)].map((found) => ({ label, found }));
    // Ratios w 0.91, 0.83, 1 → median 0.91; h 0.83, 0.8, 1 → 0.83.
    expect(boxFit(pairs)).toEqual([0.91, 0.83]);
    expect(boxFit([{ label, found: label }])).toEqual([1, 1]);
  });

  it('leaves out boxes that miss the plate, and gives null when none is near', () => {
    const far = { x: 600, y: 600, w: 300, h: 300 };
    expect(
      boxFit([
        { label, found: grown(1.1, 1.2) },
        { label, found: far },
      ]),
    ).toEqual([0.91, 0.83]);
    expect(boxFit([{ label, found: far }])).toBeNull();
    expect(boxFit([])).toBeNull();
  });
});
