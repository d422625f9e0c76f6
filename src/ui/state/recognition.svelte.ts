// Rune state for on-device recognition on the patrol screen: the engine worker (started on first use), its status
// and the last still image read. Reads from stills are shown, not stored yet (storing reads comes with capture).
import { EngineClientError, startEngine, type EngineClient } from '../../engine/client';
import type { EngineInfo } from '../../engine/api';
import { readStill, StillImageError, type StillRead } from '../../capture/still';

export class RecognitionState {
  info = $state<EngineInfo | null>(null);
  /** A plain-language reason recognition is unavailable or the last image failed. */
  error = $state<string | null>(null);
  busy = $state(false);
  still = $state<StillRead | null>(null);
  private engine: EngineClient | null = null;

  /** The one engine worker of the page (started on first use), shared with capture. */
  client(): EngineClient {
    this.engine ??= startEngine();
    return this.engine;
  }

  async readFile(file: File): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      const read = await readStill(file, this.client());
      this.still?.image.close();
      this.still?.result.plates.forEach((p) => p.crop?.close());
      this.still = read;
    } catch (e) {
      this.error =
        e instanceof EngineClientError
          ? `Plate recognition is unavailable: ${e.message}`
          : e instanceof StillImageError
            ? e.message
            : `The image could not be read: ${(e as Error).message}`;
    } finally {
      this.busy = false;
      this.info = await this.client().info();
    }
  }

  stop(): void {
    this.engine?.terminate();
    this.engine = null;
  }
}
