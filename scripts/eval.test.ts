import { describe, expect, it } from 'vitest';
import { devHalf } from './eval';

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
