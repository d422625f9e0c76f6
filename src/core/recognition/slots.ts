// Decoding the plate reader's output: a fixed number of character slots, each a distribution over the charset plus
// a pad class (models/train/train_reader.py). Text is left-aligned: once a slot is pad, every later slot is pad.

export interface SlotLayout {
  slots: number;
  /** Class i is charset[i]; class charset.length is pad. */
  charset: string;
  /** Softmax temperature fitted so confidences are calibrated (models/<pack>/manifest.json). */
  temperature: number;
}

/** One way of reading a plate: its text, log-probability and per-character probabilities. */
export interface SlotReading {
  text: string;
  logp: number;
  chars: number[];
}

/** Per-slot probability distributions for plate `index` of a batch of reader outputs. */
export function slotProbabilities(logits: Float32Array, layout: SlotLayout, index = 0): Float32Array[] {
  const classes = layout.charset.length + 1;
  const base = index * layout.slots * classes;
  if (logits.length < base + layout.slots * classes) {
    throw new RangeError(`reader output has ${logits.length} values, too few for plate ${index}`);
  }
  const out: Float32Array[] = [];
  for (let s = 0; s < layout.slots; s++) {
    const p = new Float32Array(classes);
    let max = -Infinity;
    for (let c = 0; c < classes; c++)
      max = Math.max(max, logits[base + s * classes + c]! / layout.temperature);
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      p[c] = Math.exp(logits[base + s * classes + c]! / layout.temperature - max);
      sum += p[c]!;
    }
    for (let c = 0; c < classes; c++) p[c]! /= sum;
    out.push(p);
  }
  return out;
}

/**
 * The `width` most probable readings by beam search over the slots (at most `perSlot` classes tried per slot).
 * Readings with a character after a pad are not plates this reader can produce and are never returned.
 */
export function beamReadings(
  probs: readonly Float32Array[],
  charset: string,
  width = 16,
  perSlot = 5,
): SlotReading[] {
  const pad = charset.length;
  interface Beam {
    text: string;
    logp: number;
    chars: number[];
    ended: boolean;
  }
  let beams: Beam[] = [{ text: '', logp: 0, chars: [], ended: false }];
  for (const p of probs) {
    const order = Array.from(p.keys()).sort((a, b) => p[b]! - p[a]!);
    const next: Beam[] = [];
    for (const beam of beams) {
      if (beam.ended) {
        next.push({ ...beam, logp: beam.logp + Math.log(Math.max(p[pad]!, 1e-12)) });
        continue;
      }
      for (const c of order.slice(0, perSlot)) {
        const lp = beam.logp + Math.log(Math.max(p[c]!, 1e-12));
        if (c === pad) next.push({ text: beam.text, logp: lp, chars: beam.chars, ended: true });
        else
          next.push({ text: beam.text + charset[c]!, logp: lp, chars: [...beam.chars, p[c]!], ended: false });
      }
    }
    next.sort((a, b) => b.logp - a.logp);
    beams = next.slice(0, width);
  }
  return beams.map(({ text, logp, chars }) => ({ text, logp, chars }));
}
