/// <reference types="vite/client" />
// The eval page: the real engine worker (src/engine), driven by scripts/eval.ts one image at a time. Decoding the
// image is outside the timing; everything the engine does (detection, crops, reading, grammar) is inside it.
import type { EngineInfo, EngineOptions, PlateFound } from '../../../src/engine/api';
import { EngineClientError, startEngine, type EngineClient } from '../../../src/engine/client';

export interface EvalPlate {
  text: string;
  confidence: number;
  /** Per character of `text`: how probable the reader found it. */
  chars: number[];
  alternates: { text: string; confidence: number }[];
  box: PlateFound['box'];
}
export interface EvalImage {
  plates: EvalPlate[];
  detections: PlateFound['box'][];
  ms: number;
  /** The engine's own split of the time: detection (letterbox + detector) and reading (crops + reader + decoding). */
  detectMs: number;
  readMs: number;
  width: number;
  height: number;
}

declare global {
  interface Window {
    evalApi?: {
      load(options: EngineOptions): Promise<EngineInfo>;
      recognize(
        url: string,
        mode: 'scene' | 'plate',
        minConfidence?: number | null,
        views?: number | null,
        scale?: number,
        stateHint?: string | null,
        fast?: boolean,
        coarse?: boolean,
      ): Promise<EvalImage>;
    };
  }
}

let engine: EngineClient | null = null;

window.evalApi = {
  async load(options) {
    engine?.terminate();
    engine = startEngine(options);
    try {
      return await engine.load();
    } catch (e) {
      if (e instanceof EngineClientError) throw new Error(`${e.code}: ${e.message}`, { cause: e });
      throw e;
    }
  },
  async recognize(url, mode, minConfidence, views, scale = 1, stateHint = null, fast = false, coarse = true) {
    if (!engine) throw new Error('load() first');
    const blob = await (await fetch(url)).blob();
    let bitmap = await createImageBitmap(blob);
    if (scale !== 1) {
      const full = bitmap;
      bitmap = await createImageBitmap(full, {
        resizeWidth: Math.max(1, Math.round(full.width * scale)),
        resizeHeight: Math.max(1, Math.round(full.height * scale)),
        resizeQuality: 'high',
      });
      full.close();
    }
    const t0 = performance.now();
    const result = await engine.recognize(bitmap, {
      crops: false,
      mode,
      ...(minConfidence != null ? { minConfidence } : {}),
      ...(views != null ? { views } : {}),
      ...(stateHint != null ? { stateHint } : {}),
      ...(fast ? { fast: true } : {}),
      ...(coarse ? {} : { coarse: false }),
    });
    const ms = performance.now() - t0;
    return {
      ms,
      detectMs: result.timings.detectMs,
      readMs: result.timings.readMs,
      width: result.width,
      height: result.height,
      detections: result.detections.map((d) => d.box),
      plates: result.plates.map((p) => ({
        text: p.text,
        confidence: p.confidence,
        chars: p.chars,
        alternates: p.alternates,
        box: p.box,
      })),
    };
  },
};
