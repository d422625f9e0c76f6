// What US plates look like, used to settle look-alike characters (O/0/D/Q, I/1/L/T, B/8, S/5, Z/2, G/6) by their
// position: a California passenger plate is digit, three letters, three digits (1ABC234), so an "I" in its first
// place is a "1". Vanity plates are free text, so the grammar never rejects a reading; it only decides between
// readings that differ by look-alike characters.

import { foldPlate } from '../plate';
import type { SlotReading } from './slots';

const D = '[0-9]';
const L = '[A-Z]';
const p = (...parts: string[]) => new RegExp(`^${parts.join('')}$`);

/**
 * California's passenger serials, the plates agencies here meet most: 1980–2025 (1ABC234) and the series that follows
 * it once 9ZZZ999 is issued, reversed (123ABC4: DMV, 2025).
 */
const CA_PASSENGER: readonly RegExp[] = [p(`[1-9]`, L, '{3}', D, '{3}'), p(D, '{3}', L, '{3}', D)];

/** Serial formats per state (USPS code) that the reader is likely to meet; more are added as agencies need them. */
export const STATE_PATTERNS: Readonly<Record<string, readonly RegExp[]>> = {
  // California: passenger (CA_PASSENGER), 1956–1969 (ABC123), 1969–1980 (123ABC), commercial (1A23456, and reversed
  // once that ran out, 12345A1: the dev photo wts-lg-000159), motorcycle (12A3456), trailer (1AB2345); 1A23B4 style
  // omitted.
  CA: [
    ...CA_PASSENGER,
    p(L, '{3}', D, '{3}'),
    p(D, '{3}', L, '{3}'),
    p(`[1-9]`, L, D, '{5}'),
    p(D, '{5}', L, D),
    p(D, '{2}', L, D, '{4}'),
    p(`[1-9]`, L, '{2}', D, '{4}'),
  ],
  TX: [p(L, '{3}', D, '{4}'), p(L, '{2}', D, L, '{4}'), p(D, L, '{2}', D, '{4}')],
  NY: [p(L, '{3}', D, '{4}'), p(L, '{3}', D, '{3}')],
  FL: [p(L, '{3}', D, L, '{2}'), p(L, '{4}', D, '{2}'), p(D, '{3}', L, '{3}')],
  AZ: [p(L, '{3}', D, '{4}'), p(D, '{3}', L, '{3}')],
  NV: [p(D, '{3}', L, '{3}'), p(D, L, L, D, '{3}')],
  OR: [p(D, '{3}', L, '{3}'), p(L, '{3}', D, '{3}')],
  WA: [p(L, '{3}', D, '{4}'), p(D, '{3}', L, '{3}')],
};

/**
 * Shapes common across the US, used when the state is unknown (California's first: agencies here meet them most).
 * Missouri's AB1C2D is the commonest shape of the dev photos (32 of 106 labels); with it the held-out photos read 90
 * instead of 89 (`AG0R6T`), the crops and halved photos the same. Adding every shape the dev crops' labels show 9
 * times or more (AB1234, 123456, AB123, 1234AB, ...) read 89 and 313 (0.4.0's reader): a shape that fits more
 * readings settles fewer.
 */
export const COMMON_PATTERNS: readonly RegExp[] = [
  ...STATE_PATTERNS['CA']!,
  p(L, '{3}', D, '{4}'),
  p(L, '{2}', D, '{5}'),
  p(D, '{3}', L, '{4}'),
  p(L, '{3}', D, L, '{2}'),
  p(D, L, '{2}', D, '{3}'),
  p(L, D, '{5}'),
  p(L, '{2}', D, L, D, L),
];

/** Whether the text has a known serial shape for the state (or a common US shape when the state is unknown). */
export function fitsPattern(text: string, state?: string | null): boolean {
  const list = (state && STATE_PATTERNS[state.toUpperCase()]) || COMMON_PATTERNS;
  return list.some((re) => re.test(text));
}

export const MIN_PLATE_LENGTH = 2;
export const MAX_PLATE_LENGTH = 8;
/**
 * Odds against a reading that breaks the pattern when a look-alike variant of it fits (ln 16): a serial shape is far
 * commoner than a vanity plate that happens to differ from one by a look-alike. Odds of 8 (before 2026-11-25) left
 * `IAMW240` read 10 to 27 times more surely than `1AMW240` in first place. With the rest of this grammar, odds of
 * 8 / 16 / 32 read the held-out dev photos 95 / 97 / 98, halved 81 / 84 / 84, crops 342 / 342 / 339 (more than 16
 * loses other states' shapes to a common one: `NOG0DS` for `N0G0DS`).
 */
const PATTERN_PENALTY = Math.log(16);
/**
 * A reading with a doubled character, when the same reading without one of them is also a candidate: slot readers
 * overestimate a plate's length by repeating a character, far more often than they drop a real double. (A sequence
 * reader needs a blank column between the two, so its doubles are not penalised: `{ slotDoubles: false }`.)
 */
const DOUBLE_PENALTY = Math.log(8); // dev photos read 29 → 33, dev crops 124 → 135 (ln 3: 32, 134)

/**
 * Odds against each letter O in a reading where another candidate reads a zero there (ln 17): US plate serials
 * avoid the letter (California's standard sequences never issue I, O or Q; many states print O and 0 with one
 * die), so a round character is far more often a zero. 17 is the dev crops' own ratio: their labels have 153 zeros
 * and 9 letter O (the dev photos' 31 and none). Odds of 5 (pack 0.5 and before; 3 to 10 had all helped) still lost
 * held-out photos read 6 to 7 times more surely as O (`CHOP8Y`, `SHOR7X`); 10 and 17 read 2 more of them (and 2 more
 * halved) and the same crops. A vanity plate read surely as O keeps it, and an O with no zero among the candidates
 * is not penalised.
 */
const LETTER_O_PENALTY = Math.log(17);

/**
 * Odds against each digit 1 between two letters where another candidate reads a letter I there (ln 3): a 1 amid
 * letters is rarer than an I on US plates (the dev labels: 5 against 16), and it is what a vanity plate's I becomes
 * when the reader is unsure (NTGU1LTY, QU1LLS, REB1Z). On the dev crops 310 → 313 of 370 (odds 2 to 5 all the same),
 * photos unchanged.
 */
const DIGIT_ONE_PENALTY = Math.log(3);

/**
 * Odds against a reading longer than 7 characters whose first is a 1 or an I (ln 8): the plate's left border, its
 * frame or a bolt is a vertical stroke a sequence reader reads surely as one, and plates that long are rare (5 of
 * the 370 dev crops, none of the 106 dev photos; none of the 5 begins with a stroke). `16RJN062` for `6RJN062`: the
 * held-out dev photos read 95 → 96, halved and crops the same (odds of 4 the same; 2 turned nothing; held against
 * every reading longer than 7, odds of 4 lost the crop `NTGUILTY`).
 */
const LEFT_STROKE_PENALTY = Math.log(8);
/** A plate is rarely longer than this (see LEFT_STROKE_PENALTY). */
const USUAL_MAX_LENGTH = 7;

/** Whether the reading is longer than plates usually are and begins with a vertical stroke (1 or I). */
const leftStroke = (text: string): boolean =>
  text.length > USUAL_MAX_LENGTH && (text[0] === '1' || text[0] === 'I');

/**
 * A first character read with less probability than this is taken for a mark at the plate's left edge (a bolt, a
 * sticker, the frame's lettering, the state's outline), not a character: a sequence reader that was never shown such
 * marks reads them as "some character" and cannot say which. On the dev sets, 0.6 turned 9 of 370 crops and 2 of 106
 * photos right (6HP7562 → HP7562, 3202AER → 202AER) and no right reading wrong; 0.4 to 0.8 all helped.
 */
const EDGE_MARK = 0.6;
/** Only readings this long lose an unsure first character (what is left is a plate length seen in the dev crops). */
const EDGE_MARK_MIN_LENGTH = 5;

/**
 * The readings with an unsure first character read without it, except a California passenger plate (CA_PASSENGER),
 * which keeps its first digit however unsure (the one right dev photo the rule broke was 6PGM335); readings that
 * become the same text are one reading (their probabilities summed, the characters of the more probable kept).
 */
function withoutEdgeMarks(readings: readonly SlotReading[]): SlotReading[] {
  const out = new Map<string, SlotReading>();
  for (const r of readings) {
    const mark =
      r.text.length >= EDGE_MARK_MIN_LENGTH &&
      (r.chars[0] ?? 1) < EDGE_MARK &&
      !CA_PASSENGER.some((re) => re.test(r.text));
    const text = mark ? r.text.slice(1) : r.text;
    const chars = mark ? r.chars.slice(1) : r.chars;
    const e = out.get(text);
    if (!e) out.set(text, { text, logp: r.logp, chars });
    else {
      const hi = Math.max(e.logp, r.logp);
      out.set(text, {
        text,
        logp: hi + Math.log(Math.exp(e.logp - hi) + Math.exp(r.logp - hi)),
        chars: r.logp > e.logp ? chars : e.chars,
      });
    }
  }
  return [...out.values()];
}

/**
 * How many of the reading's characters `read` (where `at` allows, by position) are `rival` in another candidate
 * with the rest of the text the same.
 */
function rivals(
  text: string,
  texts: ReadonlySet<string>,
  read: string,
  rival: string,
  at: (i: number) => boolean = () => true,
): number {
  let n = 0;
  for (let i = text.indexOf(read); i >= 0; i = text.indexOf(read, i + 1))
    if (at(i) && texts.has(`${text.slice(0, i)}${rival}${text.slice(i + 1)}`)) n++;
  return n;
}

const LETTER = /^[A-Z]$/;
/** Whether the character at `i` has a letter on both sides. */
const betweenLetters = (text: string) => (i: number) =>
  LETTER.test(text[i - 1] ?? '') && LETTER.test(text[i + 1] ?? '');

/** The readings this one becomes with one of its doubled characters dropped. */
function undoubled(text: string): string[] {
  const out: string[] = [];
  for (let i = 1; i < text.length; i++)
    if (text[i] === text[i - 1]) out.push(text.slice(0, i) + text.slice(i + 1));
  return out;
}

export interface RankedReading {
  text: string;
  /** Probability that this is the plate's text, given the reader and the grammar. */
  confidence: number;
  /** Probability of each character as read. */
  chars: number[];
}

/**
 * Orders the reader's candidate readings: drops what cannot be a US plate (too short or long), prefers among
 * look-alike variants the one that fits a plate pattern, and turns scores into probabilities over the candidates
 * plus the reader's probability mass that no candidate covers; a letter O counts against a reading (see
 * LETTER_O_PENALTY), so does a digit 1 between letters (DIGIT_ONE_PENALTY), and so does a first 1 or I in a reading
 * longer than 7 (LEFT_STROKE_PENALTY). With `edgeMarks`, an unsure first character is dropped first (see EDGE_MARK).
 */
export function rankReadings(
  given: readonly SlotReading[],
  state?: string | null,
  { slotDoubles = true, edgeMarks = false }: { slotDoubles?: boolean; edgeMarks?: boolean } = {},
): RankedReading[] {
  const readings = edgeMarks ? withoutEdgeMarks(given) : given;
  const plates = readings.filter(
    (r) => r.text.length >= MIN_PLATE_LENGTH && r.text.length <= MAX_PLATE_LENGTH,
  );
  // Readings that differ only by look-alike characters (the same foldPlate key) are one group: the look-alike rules
  // (PATTERN_PENALTY, LETTER_O_PENALTY, DIGIT_ONE_PENALTY) decide between its readings and move probability only
  // among them, the group keeping what the reader gave it. Before 2026-11-25 the odds were taken off the reading and
  // lost, which lifted every other reading: `J3RIV` (a first character dropped) over `MJ3R1V` once `MJ3RIV` was held
  // to odds of 16. Held out (odds of 16), the kept detector pair at 1 / 0.75 / 0.5 / 0.4 of the photos' size read
  // 97 / 96 / 84 / 61 → 97 / 96 / 84 / 63, capture-like reads 83 / 90 / 74 → 84 / 90 / 74, crops 342 the same; the
  // photos halved, read by the shipped pack, 93 → 94.
  const keys = plates.map((r) => foldPlate(r.text));
  const fits = plates.map((r) => fitsPattern(r.text, state));
  const groupFits = new Set(keys.filter((_, i) => fits[i]));
  const texts = new Set(plates.map((r) => r.text));
  const decided = plates.map(
    (r, i) =>
      r.logp -
      (!fits[i] && groupFits.has(keys[i]!) ? PATTERN_PENALTY : 0) -
      LETTER_O_PENALTY * rivals(r.text, texts, 'O', '0') -
      DIGIT_ONE_PENALTY * rivals(r.text, texts, '1', 'I', betweenLetters(r.text)),
  );
  const read = new Map<string, number>();
  const kept = new Map<string, number>();
  plates.forEach((r, i) => {
    read.set(keys[i]!, (read.get(keys[i]!) ?? 0) + Math.exp(r.logp));
    kept.set(keys[i]!, (kept.get(keys[i]!) ?? 0) + Math.exp(decided[i]!));
  });
  const regroup = (key: string): number => {
    const [was, now] = [read.get(key)!, kept.get(key)!];
    return was > 0 && now > 0 ? Math.log(was / now) : 0;
  };
  const scored = plates.map((r, i) => ({
    r,
    score:
      decided[i]! +
      regroup(keys[i]!) -
      (slotDoubles && undoubled(r.text).some((t) => texts.has(t)) ? DOUBLE_PENALTY : 0) -
      (leftStroke(r.text) ? LEFT_STROKE_PENALTY : 0),
  }));
  // Mass the beam did not reach (including readings dropped above) stays in the denominator.
  const covered = readings.reduce((s, r) => s + Math.exp(r.logp), 0);
  const residual =
    Math.max(0, 1 - covered) +
    readings.filter((r) => !plates.includes(r)).reduce((s, r) => s + Math.exp(r.logp), 0);
  const total = scored.reduce((s, x) => s + Math.exp(x.score), 0) + residual;
  return scored
    .sort((a, b) => b.score - a.score)
    .map(({ r, score }) => ({
      text: r.text,
      confidence: total > 0 ? Math.exp(score) / total : 0,
      chars: r.chars,
    }));
}

/**
 * Merges the ranked readings of several views of one plate (crops cut a little wider or tighter): a text's
 * confidence is its mean over the views (0 where a view did not propose it), so a reading every view agrees on
 * beats one a single view was sure of. Slot readers misjudge a plate's length by its position in the crop (a
 * doubled last character); another framing rarely makes the same mistake.
 */
export function mergeViews(views: readonly (readonly RankedReading[])[]): RankedReading[] {
  if (views.length === 1) return [...views[0]!];
  const merged = new Map<string, RankedReading>();
  for (const view of views) {
    for (const r of view) {
      const m = merged.get(r.text);
      if (!m) merged.set(r.text, { text: r.text, confidence: r.confidence / views.length, chars: r.chars });
      else {
        if (r.confidence / views.length > m.confidence / 2) m.chars = r.chars;
        m.confidence += r.confidence / views.length;
      }
    }
  }
  return [...merged.values()].sort((a, b) => b.confidence - a.confidence);
}
