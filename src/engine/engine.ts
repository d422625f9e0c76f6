// The plate engine: finds plates in a frame with the pack's detector and reads each with its reader, on
// onnxruntime-web. Runs inside the engine worker (engine.worker.ts). One session per model, created lazily and
// reused; calls run one at a time from a queue; the models are released after an idle period.
import * as ortWasm from 'onnxruntime-web/wasm';
import type { InferenceSession, Tensor } from 'onnxruntime-web/wasm';
import { decodeCentres, settleScales } from '../core/recognition/detections';
import {
  clip,
  expand,
  inputShape,
  letterbox,
  nms,
  replicateDraws,
  textTilt,
  toSource,
  type Box,
  type Turned,
} from '../core/recognition/geometry';
import { mergeViews, rankReadings, type RankedReading } from '../core/recognition/grammar';
import { ctcReadings } from '../core/recognition/ctc';
import { planar } from '../core/recognition/pixels';
import { beamReadings, slotProbabilities } from '../core/recognition/slots';
import type {
  EngineBackend,
  EngineFailure,
  EngineInfo,
  EngineOptions,
  Frame,
  PlateFound,
  RecognizeOptions,
  RecognizeResult,
} from './api';
import { loadPack, ModelError, type Fetcher, type PackManifest } from './manifest';
import { wasmThreads } from './threads';

export type Ort = typeof ortWasm;

/** Where the engine gets onnxruntime for each backend (tests give a WebGPU runtime that fails on purpose). */
export interface Runtimes {
  wasm: () => Promise<Ort>;
  webgpu: () => Promise<Ort>;
}

const RUNTIMES: Runtimes = {
  wasm: async () => ortWasm,
  webgpu: async () => (await import('onnxruntime-web/webgpu')) as unknown as Ort,
};

interface Loaded {
  ort: Ort;
  manifest: PackManifest;
  detector: InferenceSession;
  reader: InferenceSession;
  backend: EngineBackend;
  bytes: number;
}

export class EngineError extends Error {
  constructor(readonly failure: EngineFailure) {
    super(failure.message);
    this.name = 'EngineError';
  }
}

const GREY = 114;
/** Plates overlapping more than this are one plate. */
const NMS_IOU = 0.4;
const MAX_PLATES = 12;
/** A detector that takes any input size takes multiples of this (its downsampling: models/README.md). */
const DETECTOR_MULTIPLE = 32;
const MAX_CROP_WIDTH = 320;
/**
 * A still is detected at the full input and, where that finds a box at least COARSE_FROM wide there or no readable
 * plate, again at the pack's fast input, at half of it and at a quarter (coarseInputs), each keeping only boxes at
 * least COARSE_MIN_WIDTH wide there: a plate close to the camera, too large for the full input's detector (it trained
 * on plates up to about 200 px wide there), is a usual size at a smaller one. The project's fixture plates drawn 360,
 * 640 and 1000 px wide in a 1280×720 frame read 0 of 36 at the full input alone and 36 of 36 so (stopping at the
 * first smaller input that found no large box, 1000 px plates read 6 of 12); held out, the dev photos' one DC plate
 * 251 px wide is read whole (`CC2881`, not `CC288`). About one dev photo in twelve takes the smaller inputs, ~30 ms
 * (README, Recognition).
 */
const COARSE_FROM = 128;
const COARSE_MIN_WIDTH = 80;

/** The smaller inputs a still is detected at, in turn: the fast input, half of it and a quarter of it. */
function coarseInputs(fastInput: [number, number, number]): [number, number, number][] {
  const [c, h, w] = fastInput;
  return [fastInput, [c, Math.round(h / 2), Math.round(w / 2)], [c, Math.round(h / 4), Math.round(w / 4)]];
}

/**
 * A still's box read less surely than TILT_BELOW whose text runs at a slant of TILT_FROM or more (textTilt, on a grey
 * copy TILT_SAMPLE_WIDTH wide, its edges agreeing by TILT_STRENGTH or more) is read again turned upright, in the two
 * framings, and the surer reading kept: a photo taken with the tablet tilted. The reader trained on plates turned a
 * few degrees, and the detector boxes a turned plate as an upright one round its centre, so the box's shape cannot
 * tell the turn. The project's fixture plates 120, 200 and 300 px wide turned 20° either way read 70 of 72 so (turned
 * 20° clockwise and read as they are, 1, 4 and 3 of 12), 16° 70 of 72 and 12° 36 of 36 (from 10°, 5KLM447 turned 12°
 * read 5KLM44). Past 23° the detector mostly finds nothing (README, Recognition).
 */
const TILT_BELOW = 0.9;
const TILT_FROM = (15 * Math.PI) / 180;
const TILT_STRENGTH = 0.1;
/** The width of the grey copy a box's slant is measured on. */
const TILT_SAMPLE_WIDTH = 128;

/** A box the detector found: source pixels, its score, and its width in the detector's input. */
interface Detected {
  box: Box;
  score: number;
  inputWidth: number;
}
/**
 * Framings each found plate is read in: multiples of the manifest's crop margin (x, y). The tighter one comes first:
 * it is the one framing live capture reads (`views: 1`), and the one whose reading decides whether a photo's box is
 * read again (EXTRA_VIEWS_FROM). Held out, at 1, 0.75 and 0.5 of the dev photos' size, with three pairs of detectors,
 * a capture-like read (fast input, one framing) read 637 photos over those 9 cells with it first against 599 with the
 * manifest's margin first; photos (two framings, 4 sizes) 932 over 12 cells against 922 (README, Recognition).
 */
const VIEWS: readonly [number, number][] = [
  [0.3, 0.5],
  [1, 1],
  [2, 1.6],
];
/**
 * Framings read by default in a photo: pack 0.3.0 (detector at 512×288) read 48.1% of the dev photos with 1 (67 ms
 * p50), 52.8% with 2 (112 ms), 53.8% with 3 (150 ms); pack 0.4.0 (1024×576) 63.2% with 1 (169 ms), 66.0% with 2,
 * 67.0% with the second read only where the first is plausible (EXTRA_VIEWS_FROM).
 */
const SCENE_VIEWS = 2;
/** A box's further framings are read only when its first framing's best reading is at least this probable. */
const EXTRA_VIEWS_FROM = 0.3;
/**
 * Framings a plate already cut out ('plate' mode) is read in: the share of its width and height added on each side,
 * what lies past the frame's edges filled with its edge pixels (replicateDraws). The reader was trained on plates cut
 * with a little of their surroundings, and a crop cut to the plate's edges has none: read as given and with a border
 * of 1.5% / 5%, merged (mergeViews), the held-out dev crops read 337 of 370 against 332 as given alone (borders of
 * 3% / 9% and 5% / 15%: 335 and 334; 0.8.0 and before read one view, and a second trimmed 3% a side read 326). The
 * second read costs ~15 ms (crops p50 13 → 30 ms). The border was chosen by a PyTorch screening of the half readers
 * before any engine run (README, Recognition).
 */
const PLATE_VIEWS: readonly [number, number][] = [
  [0, 0],
  [0.015, 0.05],
];

/** Draws a turned plate region upright into a rw×rh canvas (what lies outside the source stays clear). */
function drawTurned(
  ctx: OffscreenCanvasRenderingContext2D,
  source: ImageBitmap | VideoFrame,
  t: Turned,
  width: number,
  height: number,
  rw: number,
  rh: number,
): void {
  // Only the part of the source the turned region can reach is drawn.
  const reach = Math.hypot(t.w, t.h) / 2 + 2;
  const x0 = Math.max(0, Math.floor(t.cx - reach));
  const y0 = Math.max(0, Math.floor(t.cy - reach));
  const x1 = Math.min(width, Math.ceil(t.cx + reach));
  const y1 = Math.min(height, Math.ceil(t.cy + reach));
  if (x1 <= x0 || y1 <= y0) return;
  ctx.save();
  ctx.translate(rw / 2, rh / 2);
  ctx.scale(rw / t.w, rh / t.h);
  ctx.rotate(-t.angle);
  ctx.drawImage(source, x0, y0, x1 - x0, y1 - y0, x0 - t.cx, y0 - t.cy, x1 - x0, y1 - y0);
  ctx.restore();
}

function failureOf(e: unknown): EngineFailure {
  if (e instanceof EngineError) return e.failure;
  if (e instanceof ModelError)
    return { code: e.code, message: e.message, ...(e.file ? { file: e.file } : {}) };
  return {
    code: 'engine-failed',
    message: `The recognition engine failed: ${(e as Error)?.message ?? String(e)}`,
  };
}

function frameSize(frame: ImageBitmap | VideoFrame): { width: number; height: number } {
  if ('displayWidth' in frame) return { width: frame.displayWidth, height: frame.displayHeight };
  return { width: frame.width, height: frame.height };
}

/** Whether a real (non-software) GPU adapter is there. SwiftShader's fallback adapter is 100× slower than wasm. */
async function realGpu(): Promise<boolean> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    const adapter = (await gpu.requestAdapter()) as {
      isFallbackAdapter?: boolean;
      info?: { isFallbackAdapter?: boolean };
    } | null;
    if (!adapter) return false;
    return !(adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? true);
  } catch {
    return false;
  }
}

export class PlateEngine {
  private options: Required<EngineOptions>;
  private loading: Promise<Loaded> | null = null;
  private loaded: Loaded | null = null;
  private error: EngineFailure | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private readonly cancelled = new Set<string>();
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set when WebGPU failed while reading: the engine stays on wasm from then on (until configured again). */
  private gpuFailed = false;

  constructor(
    options: EngineOptions & { packUrl: string },
    private readonly fetcher: Fetcher = (url) => fetch(url),
    private readonly runtimes: Runtimes = RUNTIMES,
  ) {
    this.options = { backend: 'auto', threads: 'auto', idleMs: 5 * 60_000, ...options };
  }

  configure(options: EngineOptions): void {
    const changed =
      (options.packUrl !== undefined && options.packUrl !== this.options.packUrl) ||
      (options.backend !== undefined && options.backend !== this.options.backend) ||
      (options.threads !== undefined && options.threads !== this.options.threads);
    this.options = { ...this.options, ...options };
    if (changed) {
      this.gpuFailed = false;
      void this.release();
    }
  }

  /** The wasm threads onnxruntime is (or will be) given: see wasmThreads. */
  private threads(): number {
    return wasmThreads(this.options.threads, self.crossOriginIsolated, navigator.hardwareConcurrency);
  }

  info(): EngineInfo {
    const l = this.loaded;
    return {
      state: l ? 'ready' : this.loading ? 'loading' : this.error ? 'failed' : 'idle',
      backend: l?.backend ?? null,
      threads: this.threads(),
      model: l ? { name: l.manifest.name, version: l.manifest.version, bytes: l.bytes } : null,
      error: this.error,
      queued: this.waiting,
    };
  }

  async load(): Promise<EngineInfo> {
    await this.ensureLoaded();
    return this.info();
  }

  cancel(id: string): void {
    this.cancelled.add(id);
  }

  /** Queues one frame. The frame is closed when done, whatever happens. */
  recognize(frame: Frame, options: RecognizeOptions = {}): Promise<RecognizeResult> {
    this.waiting++;
    const run = this.tail.then(async () => {
      this.waiting--;
      let source: ImageBitmap | VideoFrame | null = null;
      try {
        if (options.id && this.cancelled.delete(options.id)) {
          throw new EngineError({ code: 'cancelled', message: 'The call was cancelled before it ran.' });
        }
        source = await this.toSource(frame);
        const loaded = await this.ensureLoaded();
        try {
          return await this.run(loaded, source, options);
        } catch (e) {
          // A GPU can fail mid-shift (device lost, out of memory): read this frame again on wasm, and stay there.
          if (loaded.backend !== 'webgpu' || e instanceof EngineError) throw e;
          console.warn(`[engine] WebGPU failed while reading, using wasm: ${(e as Error)?.message ?? e}`);
          this.gpuFailed = true;
          await this.release();
          return await this.run(await this.ensureLoaded(), source, options);
        }
      } finally {
        if (source && source !== frame) source.close();
        if ('close' in frame) frame.close();
        this.armIdle();
      }
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  async release(): Promise<void> {
    const l = this.loaded;
    this.loaded = null;
    this.loading = null;
    if (l) {
      await Promise.allSettled([l.detector.release(), l.reader.release()]);
    }
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.waiting === 0) void this.release();
    }, this.options.idleMs);
  }

  private async toSource(frame: Frame): Promise<ImageBitmap | VideoFrame> {
    try {
      if (typeof ImageData !== 'undefined' && frame instanceof ImageData)
        return await createImageBitmap(frame);
      const { width, height } = frameSize(frame as ImageBitmap | VideoFrame);
      if (!(width > 0 && height > 0)) throw new Error('the frame is empty');
      return frame as ImageBitmap | VideoFrame;
    } catch (e) {
      throw new EngineError({
        code: 'bad-frame',
        message: `The frame cannot be read: ${(e as Error).message}`,
      });
    }
  }

  private ensureLoaded(): Promise<Loaded> {
    if (this.loaded) return Promise.resolve(this.loaded);
    if (!this.loading) {
      this.error = null;
      this.loading = this.open().then(
        (l) => {
          this.loaded = l;
          this.loading = null;
          return l;
        },
        (e: unknown) => {
          this.loading = null;
          this.error = failureOf(e);
          throw new EngineError(this.error);
        },
      );
    }
    return this.loading;
  }

  private async open(): Promise<Loaded> {
    const { manifest, files } = await loadPack(this.options.packUrl, this.fetcher);
    const bytes = [...files.values()].reduce((s, b) => s + b.byteLength, 0);
    const wantGpu =
      !this.gpuFailed &&
      (this.options.backend === 'webgpu' || (this.options.backend === 'auto' && (await realGpu())));
    if (wantGpu) {
      try {
        const ort = await this.runtimes.webgpu();
        return { ...(await this.sessions(ort, manifest, files, 'webgpu')), bytes };
      } catch (e) {
        console.warn(`[engine] WebGPU unavailable, using wasm: ${(e as Error).message}`);
      }
    }
    return { ...(await this.sessions(await this.runtimes.wasm(), manifest, files, 'wasm')), bytes };
  }

  private async sessions(
    ort: Ort,
    manifest: PackManifest,
    files: Map<string, ArrayBuffer>,
    backend: EngineBackend,
  ): Promise<Omit<Loaded, 'bytes'>> {
    ort.env.wasm.numThreads = this.threads();
    const opts: InferenceSession.SessionOptions = {
      executionProviders: [backend === 'webgpu' ? 'webgpu' : 'wasm'],
      graphOptimizationLevel: 'all',
    };
    const create = async (file: string) => {
      try {
        return await ort.InferenceSession.create(new Uint8Array(files.get(file)!), opts);
      } catch (e) {
        throw new ModelError(
          'model-invalid',
          `${file} (model pack ${manifest.name} ${manifest.version}) could not be loaded by onnxruntime: ${(e as Error).message}`,
          file,
        );
      }
    };
    const detector = await create(manifest.detector.file);
    const reader = await create(manifest.reader.file);
    return { ort, manifest, detector, reader, backend };
  }

  private async run(
    l: Loaded,
    source: ImageBitmap | VideoFrame,
    options: RecognizeOptions,
  ): Promise<RecognizeResult> {
    const t0 = performance.now();
    // A video frame is turned into RGB once, first: every drawImage or createImageBitmap from a VideoFrame converts
    // the whole frame (the detector's letterbox, each reader framing, each plate crop, the overview).
    const rgb =
      typeof VideoFrame !== 'undefined' && source instanceof VideoFrame
        ? await createImageBitmap(source)
        : source;
    try {
      return await this.runOn(l, rgb, options, t0);
    } finally {
      if (rgb !== source) rgb.close();
    }
  }

  /** Detects and reads plates in one frame (an ImageBitmap, or a VideoFrame when no conversion was made). */
  private async runOn(
    l: Loaded,
    source: ImageBitmap | VideoFrame,
    options: RecognizeOptions,
    t0: number,
  ): Promise<RecognizeResult> {
    const { width, height } = frameSize(source);
    const roi = options.roi ? clip(options.roi, width, height) : { x: 0, y: 0, w: width, h: height };
    if (roi.w < 1 || roi.h < 1) {
      throw new EngineError({ code: 'bad-frame', message: 'The region of interest lies outside the frame.' });
    }
    const plateMode = options.mode === 'plate';
    const dm = l.manifest.detector;
    const fast = (options.fast ?? false) && dm.fastInput !== undefined;
    const usable = (b: { box: Box }) => b.box.w >= 4 && b.box.h >= 2;
    const main: Detected[] = (
      plateMode
        ? [{ box: roi, score: 1, inputWidth: 0 }]
        : await this.detect(l, source, roi, width, height, {
            input: fast ? dm.fastInput! : dm.input,
            threshold: fast ? (dm.fastThreshold ?? dm.threshold) : dm.threshold,
            minInputWidth: 0,
          })
    ).filter(usable);
    const t1 = performance.now();
    const readMain = await this.readBoxes(l, source, main, options, width, height);
    // A still whose detection found a large box (perhaps part of a plate too large for the full input), or no
    // readable plate, is detected again at smaller inputs that keep only large boxes (coarseInputs, COARSE_FROM,
    // COARSE_MIN_WIDTH). Where two inputs find one plate, the surer reading is kept.
    let found = main.map((d, i) => ({ d, plate: readMain[i] ?? null }));
    let coarseMs = 0;
    if (!plateMode && !fast && dm.fastInput !== undefined && options.coarse !== false) {
      const wanted = found.every((f) => f.plate === null) || main.some((b) => b.inputWidth >= COARSE_FROM);
      for (const input of wanted ? coarseInputs(dm.fastInput) : []) {
        const c0 = performance.now();
        const last = (
          await this.detect(l, source, roi, width, height, {
            input,
            threshold: dm.threshold,
            minInputWidth: COARSE_MIN_WIDTH,
          })
        ).filter(usable);
        coarseMs += performance.now() - c0;
        const read = await this.readBoxes(l, source, last, options, width, height);
        const settled = settleScales(
          found.map((f) => ({ box: f.d.box, confidence: f.plate?.confidence ?? null })),
          read.map((p, j) => ({ box: last[j]!.box, confidence: p?.confidence ?? null })),
        );
        found = [
          ...found.filter((_, i) => settled.main[i]),
          ...last.map((d, j) => ({ d, plate: read[j] ?? null })).filter((_, j) => settled.coarse[j]),
        ];
      }
    }
    const kept = found.map((f) => f.d);
    const plates = found.flatMap((f) => (f.plate ? [f.plate] : []));
    const t2 = performance.now();
    // Crops keep the detector's own box (what the reader read, with a little of the plate's surroundings); the
    // boxes reported are fitted to the plate (detector.boxScale).
    if (options.crops !== false) {
      for (const p of plates) p.crop = await this.crop(source, p.box);
    }
    const [sx, sy] = (!plateMode && l.manifest.detector.boxScale) || [1, 1];
    const fit = (b: Box) => clip(expand(b, (sx - 1) / 2, (sy - 1) / 2), width, height);
    for (const p of plates) p.box = fit(p.box);
    let overview: ImageBitmap | undefined;
    if (options.overviewWidth && plates.length > 0) {
      const w = Math.min(width, Math.max(16, Math.round(options.overviewWidth)));
      overview = await createImageBitmap(source, {
        resizeWidth: w,
        resizeHeight: Math.max(1, Math.round((height * w) / width)),
        resizeQuality: 'medium',
      });
    }
    const t3 = performance.now();
    return {
      plates,
      detections: plateMode ? [] : kept.map((k) => ({ box: fit(k.box), score: k.score })),
      ...(overview ? { overview } : {}),
      width,
      height,
      timings: {
        detectMs: t1 - t0 + coarseMs,
        readMs: t2 - t1 - coarseMs,
        imagesMs: t3 - t2,
        totalMs: t3 - t0,
      },
      backend: l.backend,
      model: { name: l.manifest.name, version: l.manifest.version },
    };
  }

  /**
   * Reads each box: every box in its first framing, and the boxes whose first reading is plausible in the further
   * framings (VIEWS; most boxes in a photo are not plates, and each framing costs a reader run); the readings are
   * merged (mergeViews). A plate already cut out is read as given and with a thin border of its own edge pixels
   * (PLATE_VIEWS), merged the same way. One entry per box: null where its plate reads less surely than
   * `minConfidence`.
   */
  private async readBoxes(
    l: Loaded,
    source: ImageBitmap | VideoFrame,
    kept: Detected[],
    options: RecognizeOptions,
    width: number,
    height: number,
  ): Promise<(PlateFound | null)[]> {
    if (kept.length === 0) return [];
    const rm = l.manifest.reader;
    const plateMode = options.mode === 'plate';
    const framings = plateMode ? PLATE_VIEWS.length : VIEWS.length;
    const views = Math.max(1, Math.min(framings, options.views ?? (plateMode ? framings : SCENE_VIEWS)));
    // A scene's box in framing v (VIEWS), before it is clipped to the frame.
    const around = (b: Box, v: number): Box => {
      const [fx, fy] = VIEWS[v]!;
      return expand(b, rm.margin[0] * fx, rm.margin[1] * fy);
    };
    const frame = (b: Box, v: number): Box =>
      plateMode ? expand(b, ...PLATE_VIEWS[v]!) : clip(around(b, v), width, height);
    const first = await this.read(
      l,
      source,
      kept.map((k) => frame(k.box, 0)),
      options.stateHint,
    );
    const perBox: RankedReading[][][] = first.map((r) => [r]);
    if (views > 1) {
      const more = kept.map((_, i) => i).filter((i) => (first[i]![0]?.confidence ?? 0) >= EXTRA_VIEWS_FROM);
      const framed = more.flatMap((i) =>
        Array.from({ length: views - 1 }, (_, v) => frame(kept[i]!.box, v + 1)),
      );
      const extra = framed.length ? await this.read(l, source, framed, options.stateHint) : [];
      more.forEach((i, k) => perBox[i]!.push(...extra.slice(k * (views - 1), (k + 1) * (views - 1))));
    }
    const ranked = perBox.map((v) => mergeViews(v));
    // A still's box read unsurely whose edges run at a slant (a photo taken with the tablet or the car tilted) is
    // read again turned upright, and the surer reading kept (TILT_FROM).
    if (!plateMode && !options.fast) {
      const turned = kept.flatMap((k, i) => {
        if ((ranked[i]![0]?.confidence ?? 0) >= TILT_BELOW) return [];
        const tilt = this.tiltOf(source, frame(k.box, 0));
        if (Math.abs(tilt.angle) < TILT_FROM || tilt.strength < TILT_STRENGTH) return [];
        return [{ i, angle: tilt.angle }];
      });
      // Each in a photo's default framings (SCENE_VIEWS), turned about the box's centre, merged as they are.
      const framings = turned.flatMap(({ i, angle }) =>
        Array.from({ length: SCENE_VIEWS }, (_, v): Turned => {
          const f = around(kept[i]!.box, v);
          return { cx: f.x + f.w / 2, cy: f.y + f.h / 2, w: f.w, h: f.h, angle };
        }),
      );
      const upright = framings.length ? await this.read(l, source, framings, options.stateHint) : [];
      turned.forEach(({ i }, k) => {
        const merged = mergeViews(upright.slice(SCENE_VIEWS * k, SCENE_VIEWS * (k + 1)));
        if ((merged[0]?.confidence ?? 0) > (ranked[i]![0]?.confidence ?? 0)) ranked[i] = merged;
      });
    }
    const minConfidence = options.minConfidence ?? 0.05;
    const plates: (PlateFound | null)[] = [];
    for (let i = 0; i < kept.length; i++) {
      const readings = ranked[i]!;
      const best = readings[0];
      if (!best || best.confidence < minConfidence) {
        plates.push(null);
        continue;
      }
      plates.push({
        text: best.text,
        confidence: best.confidence,
        chars: best.chars,
        alternates: readings.slice(1, 6).map((r) => ({ text: r.text, confidence: r.confidence })),
        box: kept[i]!.box,
        detectScore: kept[i]!.score,
        region: null,
      });
    }
    return plates;
  }

  /**
   * Plate boxes in source pixels, best first: the centres scored `threshold` or more at the given nominal input,
   * whose box there is at least `minInputWidth` wide.
   */
  private async detect(
    l: Loaded,
    source: ImageBitmap | VideoFrame,
    roi: Box,
    width: number,
    height: number,
    at: { input: [number, number, number]; threshold: number; minInputWidth: number },
  ): Promise<Detected[]> {
    const dm = l.manifest.detector;
    const [, ih, iw] = at.input;
    // A detector that takes more than one size (its pack names a fastInput) gets an input shaped like the image:
    // letterboxed into a landscape input, an upright phone photo's plate shrinks to a third (car9-9: 91 px wide in
    // a 918×1632 photo is 32 px at 1024×576, found with a score of 0.30; 57 px at 576×1024, found at 0.90).
    const shaped = dm.fastInput !== undefined ? inputShape(roi.w, roi.h, iw, ih, DETECTOR_MULTIPLE) : null;
    const [dh, dw] = shaped ? [shaped.height, shaped.width] : [ih, iw];
    const lb = letterbox(roi.w, roi.h, dw, dh);
    const canvas = new OffscreenCanvas(dw, dh);
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.fillStyle = `rgb(${GREY},${GREY},${GREY})`;
    ctx.fillRect(0, 0, dw, dh);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(source, roi.x, roi.y, roi.w, roi.h, lb.padX, lb.padY, lb.width, lb.height);
    const input = new Float32Array(3 * dw * dh);
    planar(ctx.getImageData(0, 0, dw, dh).data, input, 0, dw * dh, dm.channels);
    const detOut = await l.detector.run({
      [l.detector.inputNames[0]!]: new l.ort.Tensor('float32', input, [1, 3, dh, dw]),
    });
    const maps = (detOut[l.detector.outputNames[0]!] as Tensor).data as Float32Array;
    const found = nms(
      decodeCentres(
        maps,
        { width: dw / dm.stride, height: dh / dm.stride, stride: dm.stride },
        at.threshold,
        64,
      ).filter((b) => b.w >= at.minInputWidth),
      NMS_IOU,
    ).slice(0, MAX_PLATES);
    return found.map((b) => {
      const s = toSource(b, lb);
      return {
        box: clip({ ...s, x: s.x + roi.x, y: s.y + roi.y }, width, height),
        score: b.score,
        inputWidth: b.w,
      };
    });
  }

  /** Reads each region (source pixels) in one reader run: ranked readings per region. */
  private async read(
    l: Loaded,
    source: ImageBitmap | VideoFrame,
    regions: (Box | Turned)[],
    stateHint: string | undefined,
  ): Promise<RankedReading[][]> {
    const rm = l.manifest.reader;
    const [, rh, rw] = rm.input;
    const crops = new Float32Array(regions.length * 3 * rh * rw);
    const rc = new OffscreenCanvas(rw, rh);
    const rctx = rc.getContext('2d', { willReadFrequently: true })!;
    rctx.imageSmoothingQuality = 'high';
    const { width, height } = frameSize(source);
    regions.forEach((e, i) => {
      rctx.clearRect(0, 0, rw, rh);
      if ('angle' in e) drawTurned(rctx, source, e, width, height, rw, rh);
      else for (const d of replicateDraws(e, width, height, rw, rh)) rctx.drawImage(source, ...d);
      planar(rctx.getImageData(0, 0, rw, rh).data, crops, i * 3 * rh * rw, rh * rw, rm.channels);
    });
    const out = await l.reader.run({
      [l.reader.inputNames[0]!]: new l.ort.Tensor('float32', crops, [regions.length, 3, rh, rw]),
    });
    const logits = (out[l.reader.outputNames[0]!] as Tensor).data as Float32Array;
    const layout = { slots: rm.slots, charset: rm.charset, temperature: rm.temperature };
    return regions.map((_, i) =>
      rankReadings(
        (rm.decoder === 'ctc' ? ctcReadings : beamReadings)(
          slotProbabilities(logits, layout, i),
          rm.charset,
          16,
          4,
        ),
        stateHint ?? null,
        { slotDoubles: rm.decoder === 'slots', edgeMarks: rm.decoder === 'ctc' },
      ),
    );
  }

  /** How far the text in a region is turned (textTilt on a small grey copy of it). */
  private tiltOf(source: ImageBitmap | VideoFrame, region: Box): { angle: number; strength: number } {
    // As wide as TILT_SAMPLE_WIDTH, its height in the region's proportion: a stretched copy would bend the slant.
    const w = TILT_SAMPLE_WIDTH;
    const h = Math.max(16, Math.min(2 * w, Math.round((w * region.h) / Math.max(1, region.w))));
    const c = new OffscreenCanvas(w, h);
    const ctx = c.getContext('2d', { willReadFrequently: true })!;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(source, region.x, region.y, region.w, region.h, 0, 0, w, h);
    const rgba = ctx.getImageData(0, 0, w, h).data;
    const grey = new Float32Array(w * h);
    for (let i = 0; i < grey.length; i++) grey[i] = rgba[4 * i]! + rgba[4 * i + 1]! + rgba[4 * i + 2]!;
    return textTilt(grey, w, h);
  }

  private crop(source: ImageBitmap | VideoFrame, box: Box): Promise<ImageBitmap> {
    const b = { x: Math.floor(box.x), y: Math.floor(box.y), w: Math.ceil(box.w), h: Math.ceil(box.h) };
    const scale = Math.min(1, MAX_CROP_WIDTH / b.w);
    return createImageBitmap(source, b.x, b.y, b.w, b.h, {
      resizeWidth: Math.max(1, Math.round(b.w * scale)),
      resizeHeight: Math.max(1, Math.round(b.h * scale)),
      resizeQuality: 'high',
    });
  }
}

export { failureOf };
