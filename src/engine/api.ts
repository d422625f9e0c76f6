// The recognition engine's interface, shared by the engine worker and the pages that call it (capture, the eval
// harness). Types only: no runtime code, so any runtime may import it.
import type { Box } from '../core/recognition/geometry';

export type { Box };

export type EngineBackend = 'wasm' | 'webgpu';

export interface EngineOptions {
  /** URL of the model pack directory, ending in `/` (default: the app's bundled pack). */
  packUrl?: string;
  /** 'auto' picks WebGPU only on a real, non-fallback adapter; any GPU error falls back to wasm. */
  backend?: 'auto' | EngineBackend;
  /**
   * wasm threads: 'auto' (default) one per core up to 4, or a number; always 1 where the page is not cross-origin
   * isolated (see wasmThreads in threads.ts). onnxruntime takes the count when it first starts, in each worker.
   */
  threads?: number | 'auto';
  /** Release the models after this long without a call (they load again on the next call). */
  idleMs?: number;
}

export interface RecognizeOptions {
  /** Lets `cancel(id)` drop the call while it waits in the queue. */
  id?: string;
  /**
   * 'scene' (default) finds plates in a camera frame; 'plate' takes the frame (or the region of interest) as one
   * plate already cut out, skips detection and reads it whole.
   */
  mode?: 'scene' | 'plate';
  /** Only look inside this region of the frame (source pixels). */
  roi?: Box;
  /** Return an ImageBitmap of each plate (default true). */
  crops?: boolean;
  /** When plates are found, also return the whole frame scaled to this width (the vehicle overview). */
  overviewWidth?: number;
  /** Drop plates whose best reading is less probable than this (default 0.05). */
  minConfidence?: number;
  /** The state the plates are most likely from (USPS code), used to settle look-alike characters. */
  stateHint?: string;
  /**
   * How many framings of each plate are read and merged (1–3 in 'scene' mode, default 2; 1–2 in 'plate' mode, default
   * 2: as given, then with a thin border, which may reach outside the region of interest or past the frame's edges,
   * filled with its edge pixels).
   */
  views?: number;
  /**
   * Detect on the pack's smaller detector input (`detector.fastInput`) where it has one: for live video, where a
   * passing plate is seen in many frames. Off by default: a still gets the full input, which finds smaller plates.
   */
  fast?: boolean;
  /**
   * A still (not `fast`, not 'plate' mode) whose full input finds a large box or no readable plate is detected again
   * at the fast input (`detector.fastInput`), half of it and a quarter of it, each keeping only large boxes: a plate
   * close to the camera, too large for the full input's detector, is a usual size there. Where two inputs find the
   * same plate, the surer reading is kept. Default true; false skips these passes (~30 ms on a 2-core tablet when
   * taken, about one dev photo in twelve).
   */
  coarse?: boolean;
}

export interface Alternate {
  text: string;
  confidence: number;
}

export interface PlateFound {
  /** Uppercase letters and digits. */
  text: string;
  /** Probability that `text` is right (calibrated on the dev crops). */
  confidence: number;
  /** Probability of each character of `text`. */
  chars: number[];
  /** Up to 5 other readings, most probable first. */
  alternates: Alternate[];
  /** The plate's box in source pixels. */
  box: Box;
  /** Detector score for the box. */
  detectScore: number;
  /** The state (USPS code) when the engine can tell; the current models do not classify the state, so null. */
  region: string | null;
  /** The plate as seen (source pixels of the box), when crops were asked for. */
  crop?: ImageBitmap;
}

export interface RecognizeResult {
  plates: PlateFound[];
  /** Every box the detector found (source pixels), read or not: plates whose reading was too unsure are left out
   * of `plates` but stay here. */
  detections: { box: Box; score: number }[];
  /** The frame scaled to `overviewWidth`, when asked for and a plate was found. */
  overview?: ImageBitmap;
  /** Source size. */
  width: number;
  height: number;
  /**
   * Where the time went: detection (letterbox + detector), reading (reader crops, reader, decoding), and the images
   * returned (plate crops and the overview), all inside `totalMs`.
   */
  timings: { detectMs: number; readMs: number; imagesMs: number; totalMs: number };
  backend: EngineBackend;
  model: { name: string; version: string };
}

export interface EngineInfo {
  state: 'idle' | 'loading' | 'ready' | 'failed';
  backend: EngineBackend | null;
  /** The wasm threads onnxruntime is given (1 where the page is not cross-origin isolated). */
  threads: number;
  model: { name: string; version: string; bytes: number } | null;
  error: EngineFailure | null;
  /** Calls waiting in the queue. */
  queued: number;
}

export type EngineErrorCode =
  'model-missing' | 'model-corrupt' | 'model-invalid' | 'bad-frame' | 'cancelled' | 'engine-failed';

export interface EngineFailure {
  code: EngineErrorCode;
  message: string;
  file?: string;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: EngineFailure };

export type Frame = ImageBitmap | VideoFrame | ImageData;

/** What the engine worker exposes over comlink. Frames passed in are owned (and closed) by the engine. */
export interface EngineRemote {
  configure(options: EngineOptions): Promise<void>;
  info(): Promise<EngineInfo>;
  /** Loads the pack now (otherwise the first recognize does). */
  load(): Promise<Envelope<EngineInfo>>;
  recognize(frame: Frame, options?: RecognizeOptions): Promise<Envelope<RecognizeResult>>;
  cancel(id: string): Promise<void>;
  shutdown(): Promise<void>;
}
