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
