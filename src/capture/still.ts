// Still images an investigator drops in (a dash-cam frame, a photo): decoded once, fingerprinted with SHA-256 so a
// read from it can say which file it came from, and handed to the engine the way a camera frame is.
import type { RecognizeResult } from '../engine/api';
import type { EngineClient } from '../engine/client';
import { sha256Hex } from '../engine/manifest';

export interface StillRead {
  name: string;
  sha256: string;
  /** The decoded image, kept for display (the engine gets its own copy). */
  image: ImageBitmap;
  result: RecognizeResult;
}

export class StillImageError extends Error {
  override name = 'StillImageError';
}

const MAX_BYTES = 50 * 1024 * 1024;

export async function fileSha256(file: Blob): Promise<string> {
  return sha256Hex(await file.arrayBuffer());
}

export async function readStill(file: File, engine: EngineClient): Promise<StillRead> {
  if (file.size > MAX_BYTES) throw new StillImageError(`${file.name} is larger than 50 MB.`);
  if (file.type && !file.type.startsWith('image/')) {
    throw new StillImageError(`${file.name} is not an image (${file.type}).`);
  }
  let image: ImageBitmap;
  try {
    image = await createImageBitmap(file);
  } catch {
    throw new StillImageError(`${file.name} could not be decoded as an image.`);
  }
  const [sha256, copy] = await Promise.all([fileSha256(file), createImageBitmap(image)]);
  try {
    const result = await engine.recognize(copy, { crops: true });
    return { name: file.name, sha256, image, result };
  } catch (e) {
    image.close();
    throw e;
  }
}
