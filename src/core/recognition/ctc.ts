// Decoding a sequence (CTC) plate reader (models/train/train_reader_ctc.py): the crop's width as a row of columns,
// each a distribution over the charset plus a blank (the last class). A text is read left to right by collapsing
// repeated classes and dropping blanks, so a real double ("TT") needs a blank between its two columns.
// The probabilities per column come from slotProbabilities (the same softmax with the pack's temperature).

import type { SlotReading } from './slots';

interface Prefix {
  text: string;
  /** Probability of the paths reading `text` whose last column is blank / is the text's last character. */
  blank: number;
  last: number;
  /** Per character: the highest column probability it was read with. */
  chars: number[];
}

const total = (p: Prefix): number => p.blank + p.last;

/**
 * A character this improbable in a column starts no new reading there: most columns are blank with near certainty,
 * and trying 4 characters from each of 16 readings in every one of them took ~2 ms a plate. (A reading that needs
 * it would be at least 10,000 times less probable than the one it extends.)
 */
const MIN_EXTEND = 1e-4;

/**
 * The `width` most probable texts by CTC prefix beam search over the columns (at most `perColumn` characters tried
 * per column; the blank and the prefix's own last character always are). Each reading's `logp` is the log of the
 * summed probability of every column path that collapses to its text (within the beam), so a text read in several
 * alignments is not split into rivals.
 */
export function ctcReadings(
  columns: readonly Float32Array[],
  charset: string,
  width = 16,
  perColumn = 5,
): SlotReading[] {
  const blank = charset.length;
  let beams = new Map<string, Prefix>([['', { text: '', blank: 1, last: 0, chars: [] }]]);
  for (const p of columns) {
    const order = Array.from(p.keys())
      .filter((c) => c !== blank && p[c]! >= MIN_EXTEND)
      .sort((a, b) => p[b]! - p[a]!)
      .slice(0, perColumn);
    const next = new Map<string, Prefix>();
    const at = (text: string, chars: number[]): Prefix => {
      let e = next.get(text);
      if (!e) next.set(text, (e = { text, blank: 0, last: 0, chars }));
      return e;
    };
    for (const b of beams.values()) {
      const pb = p[blank]!;
      // A blank column: the text stays.
      at(b.text, b.chars).blank += total(b) * pb;
      const lastClass = b.text.length > 0 ? charset.indexOf(b.text[b.text.length - 1]!) : -1;
      // The same character again without a blank between: collapses into the text.
      if (lastClass >= 0) {
        const e = at(b.text, b.chars);
        e.last += b.last * p[lastClass]!;
        if (b.last > 0 && p[lastClass]! > e.chars[e.chars.length - 1]!)
          e.chars = [...e.chars.slice(0, -1), p[lastClass]!];
      }
      const tried = lastClass >= 0 && !order.includes(lastClass) ? [...order, lastClass] : order;
      for (const c of tried) {
        const pc = p[c]!;
        const text = b.text + charset[c]!;
        const e = at(text, [...b.chars, pc]);
        // After the same character, a new one only follows a blank.
        e.last += (c === lastClass ? b.blank : total(b)) * pc;
        if (pc > e.chars[e.chars.length - 1]!) e.chars = [...e.chars.slice(0, -1), pc];
      }
    }
    beams = new Map(
      [...next.values()]
        .sort((a, b) => total(b) - total(a))
        .slice(0, width)
        .map((e) => [e.text, e]),
    );
  }
  return [...beams.values()]
    .filter((b) => total(b) > 0)
    .sort((a, b) => total(b) - total(a))
    .map((b) => ({ text: b.text, logp: Math.log(total(b)), chars: b.chars }));
}
