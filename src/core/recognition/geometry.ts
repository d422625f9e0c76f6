// Boxes and the letterbox maths between a camera frame and a model's fixed input.

/** An axis-aligned box in pixels: left, top, width, height. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface ScoredBox extends Box {
  score: number;
}

/** How a source image of srcW×srcH sits in a dstW×dstH input: scaled to fit, centred, padded. */
export interface Letterbox {
  scale: number;
  padX: number;
  padY: number;
  /** The scaled source's size inside the input. */
  width: number;
  height: number;
}

export function letterbox(srcW: number, srcH: number, dstW: number, dstH: number): Letterbox {
  if (!(srcW > 0 && srcH > 0 && dstW > 0 && dstH > 0)) {
    throw new RangeError(`letterbox needs positive sizes, got ${srcW}×${srcH} into ${dstW}×${dstH}`);
  }
  const scale = Math.min(dstW / srcW, dstH / srcH);
  const width = srcW * scale;
  const height = srcH * scale;
  return { scale, padX: (dstW - width) / 2, padY: (dstH - height) / 2, width, height };
}

/**
 * The input a detector that takes any size (in multiples of `multiple`) should get for a srcW×srcH region: about the
 * pixel count of its nominal dstW×dstH input, shaped like the region, so a 4:3 or upright photo is not letterboxed
 * into a 16:9 input and shrunk (an upright 918×1632 photo in 1024×576 keeps a third of its width; in 576×1024 all of
 * it). No side exceeds the nominal input's longer side.
 */
export function inputShape(
  srcW: number,
  srcH: number,
  dstW: number,
  dstH: number,
  multiple: number,
): { width: number; height: number } {
  if (!(srcW > 0 && srcH > 0 && dstW > 0 && dstH > 0 && multiple > 0)) {
    throw new RangeError(`inputShape needs positive sizes, got ${srcW}×${srcH} into ${dstW}×${dstH}`);
  }
  const aspect = srcW / srcH;
  const area = dstW * dstH;
  const longest = Math.max(dstW, dstH);
  const fit = (v: number) => Math.max(multiple, Math.min(longest, Math.round(v / multiple) * multiple));
  return { width: fit(Math.sqrt(area * aspect)), height: fit(Math.sqrt(area / aspect)) };
}

/** A box in model-input pixels back to source pixels. */
export function toSource(box: Box, lb: Letterbox): Box {
  return {
    x: (box.x - lb.padX) / lb.scale,
    y: (box.y - lb.padY) / lb.scale,
    w: box.w / lb.scale,
    h: box.h / lb.scale,
  };
}

export function clip(box: Box, width: number, height: number): Box {
  const x0 = Math.max(0, Math.min(width, box.x));
  const y0 = Math.max(0, Math.min(height, box.y));
  const x1 = Math.max(0, Math.min(width, box.x + box.w));
  const y1 = Math.max(0, Math.min(height, box.y + box.h));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** Grow a box about its centre by the given fractions of its own width and height. */
export function expand(box: Box, fx: number, fy: number): Box {
  return { x: box.x - box.w * fx, y: box.y - box.h * fy, w: box.w * (1 + 2 * fx), h: box.h * (1 + 2 * fy) };
}

export function iou(a: Box, b: Box): number {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.w, b.x + b.w);
  const y1 = Math.min(a.y + a.h, b.y + b.h);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy non-maximum suppression: best score first, dropping boxes that overlap a kept one by more than `threshold`. */
export function nms<T extends ScoredBox>(boxes: readonly T[], threshold: number): T[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const box of sorted) {
    if (kept.every((k) => iou(k, box) <= threshold)) kept.push(box);
  }
  return kept;
}

/** Whether a box reaches within `margin` pixels of a `width` × `height` frame's edge (a plate there may be cut off). */
export function touchesEdge(box: Box, width: number, height: number, margin = 2): boolean {
  return (
    box.x <= margin || box.y <= margin || box.x + box.w >= width - margin || box.y + box.h >= height - margin
  );
}

/** One drawImage: a source rectangle (sx, sy, sw, sh) drawn into a destination one (dx, dy, dw, dh). */
export type Draw = [number, number, number, number, number, number, number, number];

/**
 * One axis of replicateDraws: the destination's edges (before the source, over it, after it) and the source span each
 * part draws from (the first pixel, the whole inside, the last pixel), as [start, length].
 */
function replicateAxis(start: number, size: number, innerStart: number, innerSize: number, out: number) {
  const scale = out / size;
  const edge = Math.min(1, innerSize);
  return {
    dest: [0, (innerStart - start) * scale, (innerStart + innerSize - start) * scale, out],
    src: [
      [innerStart, edge],
      [innerStart, innerSize],
      [innerStart + innerSize - edge, edge],
    ] as const,
  };
}

/**
 * The draws that cut `region` (source pixels, which may reach past the source's edges) out of a width×height source
 * into an outW×outH image, the part outside the source filled by stretching the source's edge rows and columns (as
 * OpenCV's BORDER_REPLICATE pads); a region inside the source is one draw.
 */
export function replicateDraws(
  region: Box,
  width: number,
  height: number,
  outW: number,
  outH: number,
): Draw[] {
  const inner = clip(region, width, height);
  if (inner.w <= 0 || inner.h <= 0) return [];
  const x = replicateAxis(region.x, region.w, inner.x, inner.w, outW);
  const y = replicateAxis(region.y, region.h, inner.y, inner.h, outH);
  const draws: Draw[] = [];
  for (let j = 0; j < 3; j++) {
    for (let i = 0; i < 3; i++) {
      const dw = x.dest[i + 1]! - x.dest[i]!;
      const dh = y.dest[j + 1]! - y.dest[j]!;
      if (dw <= 1e-6 || dh <= 1e-6) continue;
      draws.push([x.src[i]![0], y.src[j]![0], x.src[i]![1], y.src[j]![1], x.dest[i]!, y.dest[j]!, dw, dh]);
    }
  }
  return draws;
}

/** A plate turned in the image: its centre, its own width and height (along and across its text), and the turn. */
export interface Turned {
  cx: number;
  cy: number;
  w: number;
  h: number;
  /** Radians, clockwise on screen (y down). */
  angle: number;
}

/**
 * How far the text in a grey image (row-major, `w`×`h`, any scale) is turned: a plate's borders and its characters'
 * strokes run along and across it, so the strong edges' directions, taken modulo 90°, cluster at the turn. The mean
 * of the gradients' directions times four (weighted by squared strength) gives it in (−45°, 45°], in radians,
 * clockwise on screen; `strength` (0–1) is how much the edges agree (near 0 for noise or mixed directions).
 */
export function textTilt(grey: ArrayLike<number>, w: number, h: number): { angle: number; strength: number } {
  let c = 0;
  let s = 0;
  let total = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      // Scharr's kernels: the most even in direction of the 3×3 derivatives.
      const i = y * w + x;
      const gx =
        3 * (grey[i - w + 1]! - grey[i - w - 1]! + grey[i + w + 1]! - grey[i + w - 1]!) +
        10 * (grey[i + 1]! - grey[i - 1]!);
      const gy =
        3 * (grey[i + w - 1]! - grey[i - w - 1]! + grey[i + w + 1]! - grey[i - w + 1]!) +
        10 * (grey[i + w]! - grey[i - w]!);
      const m2 = gx * gx + gy * gy;
      if (m2 === 0) continue;
      // cos 4φ and sin 4φ from cos 2φ and sin 2φ, themselves from the gradient without a trigonometric call.
      const c2 = (gx * gx - gy * gy) / m2;
      const s2 = (2 * gx * gy) / m2;
      c += m2 * (c2 * c2 - s2 * s2);
      s += m2 * (2 * s2 * c2);
      total += m2;
    }
  }
  if (total === 0) return { angle: 0, strength: 0 };
  return { angle: Math.atan2(s, c) / 4, strength: Math.hypot(c, s) / total };
}
