import { describe, expect, it } from 'vitest';
import { ctcReadings } from './ctc';
import { rankReadings } from './grammar';
import { slotProbabilities } from './slots';

const CHARSET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const BLANK = CHARSET.length;

/** Column distributions: each column a map of class (a character, or '-' for blank) to probability. */
function columns(cols: Record<string, number>[], charset = CHARSET): Float32Array[] {
  return cols.map((col) => {
    const p = new Float32Array(charset.length + 1);
    for (const [k, v] of Object.entries(col)) p[k === '-' ? charset.length : charset.indexOf(k)] = v;
    return p;
  });
}

/** Sharp columns spelling `path` ('-' = blank). */
const sharp = (path: string) =>
  columns([...path].map((c) => (c === '-' ? { '-': 0.98, X: 0.02 } : { [c]: 0.98, '-': 0.02 })));

describe('CTC decoding', () => {
  it('collapses repeated columns and drops blanks', () => {
    const [top] = ctcReadings(sharp('--77-AAB--C1223---'), CHARSET);
    expect(top!.text).toBe('7ABC123');
    expect(top!.chars).toHaveLength(7);
    expect(top!.chars.every((c) => c > 0.97)).toBe(true);
  });

  it('starts no reading from a character under one in ten thousand in its column', () => {
    const cols = columns([
      { A: 0.9999, B: 0.00009, '-': 0.00001 },
      { '-': 0.9, C: 0.1 },
    ]);
    const texts = ctcReadings(cols, CHARSET).map((r) => r.text);
    expect(texts).toContain('AC');
    expect(texts.some((t) => t.includes('B'))).toBe(false);
    // Just over it, it does.
    const near = columns([{ A: 0.9997, B: 0.0002, '-': 0.0001 }, { '-': 1 }]);
    expect(ctcReadings(near, CHARSET).map((r) => r.text)).toContain('B');
  });

  it('reads a double only with a blank between', () => {
    expect(ctcReadings(sharp('-T-T-'), CHARSET)[0]!.text).toBe('TT');
    expect(ctcReadings(sharp('-TT-'), CHARSET)[0]!.text).toBe('T');
  });

  it('sums every alignment of a text', () => {
    // "A" is AA, A-, -A: 0.36 + 0.24 + 0.24; "" is --: 0.16. No other text is possible.
    const cols = columns(
      [
        { A: 0.6, '-': 0.4 },
        { A: 0.6, '-': 0.4 },
      ],
      'AB',
    );
    const readings = ctcReadings(cols, 'AB');
    expect(readings.map((r) => r.text)).toEqual(['A', '']);
    expect(Math.exp(readings[0]!.logp)).toBeCloseTo(0.84, 6);
    expect(Math.exp(readings[1]!.logp)).toBeCloseTo(0.16, 6);
  });

  it('offers alternates in order of probability, with per-character probabilities', () => {
    const cols = columns([
      { '-': 1 },
      { '7': 0.99, '-': 0.01 },
      { '-': 1 },
      { B: 0.7, '8': 0.3 },
      { '-': 1 },
      { X: 0.9, K: 0.1 },
      { '-': 1 },
    ]);
    const readings = ctcReadings(cols, CHARSET);
    expect(readings.slice(0, 4).map((r) => r.text)).toEqual(['7BX', '78X', '7BK', '78K']);
    expect(readings[0]!.chars.map((c) => +c.toFixed(2))).toEqual([0.99, 0.7, 0.9]);
    expect(Math.exp(readings[0]!.logp)).toBeCloseTo(0.99 * 0.7 * 0.9, 5);
  });

  it('works from reader logits through the softmax and the plate grammar', () => {
    // 32 columns of logits for "8ABC123" with blanks between, through the same softmax as slot readers.
    const path = '--8--A--B--C--1--2--3----------';
    const logits = new Float32Array(32 * (BLANK + 1));
    [...path.padEnd(32, '-')].forEach((c, t) => {
      logits[t * (BLANK + 1) + (c === '-' ? BLANK : CHARSET.indexOf(c))] = 12;
    });
    const probs = slotProbabilities(logits, { slots: 32, charset: CHARSET, temperature: 1 });
    const ranked = rankReadings(ctcReadings(probs, CHARSET), null, { slotDoubles: false });
    expect(ranked[0]!.text).toBe('8ABC123');
    expect(ranked[0]!.confidence).toBeGreaterThan(0.9);
  });

  it('keeps a double a sequence reader read, where a slot reader would be suspected', () => {
    const reading = (text: string, p: number) => ({ text, logp: Math.log(p), chars: [...text].map(() => p) });
    const both = [reading('FNY8811', 0.4), reading('FNY881', 0.2)];
    expect(rankReadings(both)[0]!.text).toBe('FNY881');
    expect(rankReadings(both, null, { slotDoubles: false })[0]!.text).toBe('FNY8811');
  });
});
