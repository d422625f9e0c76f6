// Decoding the plate detector's output maps (CenterNet style, see models/train/train_detector.py):
// channel 0 is the plate-centre logit per cell, 1–2 the centre's offset inside the cell, 3–4 log width/height in cells.

import type { ScoredBox } from './geometry';

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
