// Decoding the plate detector's output maps (CenterNet style, see models/train/train_detector.py):
// channel 0 is the plate-centre logit per cell, 1–2 the centre's offset inside the cell, 3–4 log width/height in cells.

import type { Box, ScoredBox } from './geometry';

export interface MapShape {
  /** Cells across and down. */
  width: number;
  height: number;
  /** Input pixels per cell. */
  stride: number;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * Plate boxes in model-input pixels: every cell whose centre score is a 3×3 local maximum above `threshold`,
 * best first, at most `max`.
 */
export function decodeCentres(maps: Float32Array, shape: MapShape, threshold: number, max = 32): ScoredBox[] {
  const { width, height, stride } = shape;
  const plane = width * height;
  if (maps.length < plane * 5) {
    throw new RangeError(`detector output has ${maps.length} values, expected ${plane * 5}`);
  }
  // Compare logits (monotonic with the score) and take the sigmoid only for the survivors.
  const logitThreshold = Math.log(threshold / (1 - threshold));
  const found: ScoredBox[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = maps[y * width + x]!;
      if (v < logitThreshold) continue;
      let peak = true;
      for (let dy = -1; dy <= 1 && peak; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          if (dx === 0 && dy === 0) continue;
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const n = maps[ny * width + nx]!;
          // Ties go to the first cell in scan order, so a plateau yields one peak.
          if (n > v || (n === v && (dy < 0 || (dy === 0 && dx < 0)))) {
            peak = false;
            break;
          }
        }
      }
      if (!peak) continue;
      const i = y * width + x;
      const cx = (x + maps[plane + i]!) * stride;
      const cy = (y + maps[2 * plane + i]!) * stride;
      const w = Math.exp(maps[3 * plane + i]!) * stride;
      const h = Math.exp(maps[4 * plane + i]!) * stride;
      found.push({ x: cx - w / 2, y: cy - h / 2, w, h, score: sigmoid(v) });
    }
  }
  found.sort((a, b) => b.score - a.score);
  return found.slice(0, max);
}

/** A box found at one detector size, and how surely its plate was read there (null: not read, or too unsure). */
export interface ScaleRead {
  box: Box;
  confidence: number | null;
}

/**
 * Two boxes are taken for one plate when the smaller lies at least this much inside the larger: the full input often
 * boxes part of a large plate (`CC28` of a DC plate's `CC 2881`) where the coarse input boxes all of it.
 */
export const SAME_PLATE_OVERLAP = 0.5;

/** The share of the smaller box's area that lies inside the larger. */
export function overlapOfSmaller(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const smaller = Math.min(a.w * a.h, b.w * b.h);
  return smaller > 0 ? (w * h) / smaller : 0;
}

/**
 * Settles a frame detected at two input sizes. `main` are the boxes found at the full input, `coarse` the large
 * boxes found at the smaller one (a plate too large for the full input's detector is a usual size there). A coarse
 * box that overlaps main boxes (SAME_PLATE_OVERLAP) is one plate seen twice, and the surer reading wins: the coarse
 * box is kept, and its rivals dropped, only when it reads more surely than every one of them. A coarse box that
 * overlaps none is a plate the full input missed, kept when it was read. Returns which boxes of each list to keep.
 */
export function settleScales(
  main: readonly ScaleRead[],
  coarse: readonly ScaleRead[],
): { main: boolean[]; coarse: boolean[] } {
  const keepMain = main.map(() => true);
  const keepCoarse = coarse.map(() => false);
  coarse.forEach((c, j) => {
    if (c.confidence === null) return;
    const rivals = main.flatMap((m, i) => (overlapOfSmaller(m.box, c.box) >= SAME_PLATE_OVERLAP ? [i] : []));
    if (rivals.some((i) => keepMain[i] && (main[i]!.confidence ?? 0) >= c.confidence!)) return;
    for (const i of rivals) keepMain[i] = false;
    keepCoarse[j] = true;
  });
  return { main: keepMain, coarse: keepCoarse };
}
