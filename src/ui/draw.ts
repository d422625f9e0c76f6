// Svelte action: draws an ImageBitmap (a plate crop) into a canvas at its own size, again when it changes.
// Canvases, not object URLs, so images never need a blob: URL.

export function drawBitmap(node: HTMLCanvasElement, bitmap: ImageBitmap | undefined) {
  const draw = (b: ImageBitmap | undefined) => {
    if (!b) return;
    node.width = b.width;
    node.height = b.height;
    node.getContext('2d')!.drawImage(b, 0, 0);
  };
  draw(bitmap);
  return { update: draw };
}

/** Svelte action: decodes stored image bytes (WebP/JPEG) and draws them into a canvas, again when they change. */
export function drawImageBytes(node: HTMLCanvasElement, bytes: Uint8Array | null) {
  const draw = async (b: Uint8Array | null) => {
    if (!b || b.byteLength === 0) return;
    const bitmap = await createImageBitmap(new Blob([b as Uint8Array<ArrayBuffer>]));
    node.width = bitmap.width;
    node.height = bitmap.height;
    node.getContext('2d')!.drawImage(bitmap, 0, 0);
    bitmap.close();
  };
  void draw(bytes);
  return { update: (b: Uint8Array | null) => void draw(b) };
}
