// Svelte actions that draw images into canvases at their own size, again when they change.
// Canvases, not object URLs, so images never need a blob: URL.

function paint(node: HTMLCanvasElement, b: ImageBitmap): void {
  node.width = b.width;
  node.height = b.height;
  node.getContext('2d')!.drawImage(b, 0, 0);
}

/** Draws an ImageBitmap (a plate crop held in memory). */
export function drawBitmap(node: HTMLCanvasElement, bitmap: ImageBitmap | undefined) {
  const draw = (b: ImageBitmap | undefined) => {
    if (b) paint(node, b);
  };
  draw(bitmap);
  return { update: draw };
}

/** Decodes stored image bytes (WebP/JPEG) and draws them. */
export function drawImageBytes(node: HTMLCanvasElement, bytes: Uint8Array | null) {
  const draw = async (b: Uint8Array | null) => {
    if (!b || b.byteLength === 0) return;
    const bitmap = await createImageBitmap(new Blob([b as Uint8Array<ArrayBuffer>]));
    paint(node, bitmap);
    bitmap.close();
  };
  void draw(bytes);
  return { update: (b: Uint8Array | null) => void draw(b) };
}
