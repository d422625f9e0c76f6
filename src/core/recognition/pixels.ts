// Canvas pixels (RGBA bytes) to a model's input tensor body: planar float channels, values 0..255.

/** Writes `pixels` RGBA pixels of `data` into `out` from `offset` as three planes in the model's channel order. */
export function planar(
  data: Uint8ClampedArray,
  out: Float32Array,
  offset: number,
  pixels: number,
  order: 'rgb' | 'bgr',
): void {
  if (data.length < pixels * 4 || out.length < offset + 3 * pixels) {
    throw new RangeError(
      `planar: ${pixels} pixels do not fit (${data.length} bytes in, ${out.length} floats out)`,
    );
  }
  const [c0, c2] = order === 'rgb' ? [0, 2] : [2, 0];
  for (let i = 0; i < pixels; i++) {
    out[offset + i] = data[i * 4 + c0]!;
    out[offset + pixels + i] = data[i * 4 + 1]!;
    out[offset + 2 * pixels + i] = data[i * 4 + c2]!;
  }
}
