// A capture session on the page: every source's frames go through the motion gate and the scheduler to the engine
// worker; each source's tracker turns frames into vehicle passes; each pass becomes a read stored by the backend
// (capture.addRead), with the plate crop, a scaled overview, GPS and the capture time. A read that fails to store
// stays in a retry queue (shown on screen) until it is stored: none is dropped.
import { touchesEdge } from '../core/recognition/geometry';
import { PlateTracker, type Pass } from '../core/recognition/tracker';
import type { RecognizeResult } from '../engine/api';
import type { EngineClient } from '../engine/client';
import type { AddReadInput, AddReadResult, CameraInfo, HitAlert } from '../backend/api';
import { FrameScheduler, MotionGate } from './scheduler';
import { thumbnail, type FrameSource, type SourceState } from './sources';

/** How capture reaches the backend (the UI's backend client, or a test double). */
export interface CaptureBackend {
  start(cameras: CameraInfo[]): Promise<string>;
  addRead(input: AddReadInput): Promise<AddReadResult>;
  stop(): Promise<void>;
}

export type GpsFix = NonNullable<AddReadInput['read']['gps']>;

export interface ShownRead {
  id: string | null;
  plate: string;
  confidence: number;
  capturedAt: number;
  camera: string;
  crop: ImageBitmap;
  gps: boolean;
  stored: boolean;
  /** From an imported file (its SHA-256 is in the read). */
  imported: boolean;
}

export interface CaptureStats {
  reads: number;
  processedFps: number;
  processed: number;
  dropped: number;
  skipped: number;
  failedFrames: number;
  pendingWrites: number;
  backend: string | null;
}

export interface CaptureEvents {
  read(read: ShownRead): void;
  stats(stats: CaptureStats): void;
  warning(message: string | null): void;
  /**
   * A read matched a hot list: the alert, with a copy of the read's plate crop (the receiver closes it), and
   * `passAt`, performance.now() when the tracker ended the pass (null for a read retried later).
   */
  hit(alert: HitAlert, crop: ImageBitmap, passAt: number | null): void;
  /** Plate boxes found in the latest processed frame of a source (source pixels). */
  boxes(
    sourceId: string,
    boxes: RecognizeResult['plates'][number]['box'][],
    width: number,
    height: number,
  ): void;
  /** A problem to show; null clears it (the retry queue drained after a failed write). */
  error(message: string | null): void;
  /** A read that waited in the retry queue is stored now. */
  stored(read: { plate: string; capturedAt: number; id: string }): void;
  /** A live source was lost and is being reopened ('lost'), or is back ('live'). */
  source(sourceId: string, state: SourceState): void;
}

/** A decoded image shared by every plate of one frame; closed when the last user lets go. */
class SharedBitmap {
  private refs = 0;
  constructor(readonly bitmap: ImageBitmap) {}
  take(): this {
    this.refs++;
    return this;
  }
  release(): void {
    if (--this.refs <= 0) this.bitmap.close();
  }
}

interface Extra {
  crop: ImageBitmap;
  overview: SharedBitmap | null;
  frameWallTime: number;
}

const GPS_MAX_AGE_MS = 15_000;
const GPS_POLL_MS = 5_000;
const RETRY_MS = 5_000;
const OVERVIEW_WIDTH = 640;

async function encode(
  bitmap: ImageBitmap,
  type: 'image/webp' | 'image/jpeg',
  quality: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
  const blob = await canvas.convertToBlob({ type, quality });
  return new Uint8Array(await blob.arrayBuffer());
}

/**
 * What a track needs to make a read: to be seen in 2 frames or more, and read with a voted confidence of 0.2 or more
 * (a false detection on a car body reads as junk: "L2" at 0.14 in one frame, "693" at 0.15 then "63" at 0.06).
 */
const MIN_PASS_FRAMES = 2;
const MIN_PASS_CONFIDENCE = 0.2;

/**
 * Frames in the engine at once per camera. On the 2-core bench machine a second frame in flight raised processed
 * frames from 6.1 to 6.5 a second but doubled each frame's wait (121 → 247 ms p50), which delays every alert by a
 * frame: one it is. A device with more cores may do better with 2.
 */
const ENGINE_DEPTH = 1;

export class CaptureSession {
  private token: string | null = null;
  private readonly pipelines: {
    source: FrameSource;
    scheduler: FrameScheduler<VideoFrame>;
    tracker: PlateTracker<Extra>;
  }[] = [];
  /** Reads the backend could not store yet (e.g. a full disk), oldest first, with what the screen shows of them. */
  private readonly pending: { input: AddReadInput; shown: ShownRead }[] = [];
  private retryTimer: ReturnType<typeof setInterval> | null = null;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private gpsWatch: number | null = null;
  private gpsPoll: ReturnType<typeof setInterval> | null = null;
  private gps: GpsFix | null = null;
  private reads = 0;
  private stopping = false;
  private backendName: string | null = null;
  private processedWindow: number[] = [];
  /** Wall clock at start and the monotonic clock then: capture times are wall start + monotonic offset. */
  private readonly wallStart = Date.now();
  private readonly monoStart = performance.now();

  constructor(
    private readonly backend: CaptureBackend,
    private readonly engine: EngineClient,
    private readonly events: CaptureEvents,
    private readonly options: {
      dedupeWindowS: number;
      engineName?: string;
      geolocation?: Geolocation | null;
    },
  ) {}

  get running(): boolean {
    return this.token !== null;
  }

  async start(sources: FrameSource[]): Promise<void> {
    this.token = await this.backend.start(
      sources.map((s) => ({ id: s.id, name: s.name, position: s.position })),
    );
    const geo = this.options.geolocation === undefined ? navigator.geolocation : this.options.geolocation;
    if (geo) {
      const update = (p: GeolocationPosition) => {
        this.gps = {
          lat: p.coords.latitude,
          lon: p.coords.longitude,
          accuracyM: p.coords.accuracy,
          headingDeg: p.coords.heading ?? null,
          speedMps: p.coords.speed ?? null,
          fixAt: p.timestamp,
        };
      };
      const options = { enableHighAccuracy: true, maximumAge: 5_000, timeout: 10_000 };
      this.gpsWatch = geo.watchPosition(update, () => undefined, options);
      // A receiver that stands still may not report through the watch: ask for a fresh fix now and then too.
      this.gpsPoll = setInterval(() => geo.getCurrentPosition(update, () => undefined, options), GPS_POLL_MS);
    }
    for (const source of sources) {
      const tracker = new PlateTracker<Extra>({
        dedupeWindowMs: this.options.dedupeWindowS * 1000,
        minFrames: MIN_PASS_FRAMES,
        minConfidence: MIN_PASS_CONFIDENCE,
        discard: (e) => {
          const x = e as Extra;
          x.crop.close();
          x.overview?.release();
        },
      });
      const gate = new MotionGate();
      const thumbCanvas = new OffscreenCanvas(32, 18);
      const scheduler = new FrameScheduler<VideoFrame>(
        (frame) => this.process(source, tracker, frame),
        (frame) => frame.close(),
        (e) => this.events.error(`Recognition failed on ${source.name}: ${(e as Error).message}`),
        ENGINE_DEPTH,
      );
      this.pipelines.push({ source, scheduler, tracker });
      await source.start(
        (frame, t) => {
          if (!gate.changed(thumbnail(source.video, thumbCanvas), t)) {
            frame.close();
            scheduler.skip();
            // Still time passes for the tracker: plates that left the view end their pass.
            this.emit(source, tracker.update(t, []));
            return;
          }
          scheduler.offer(frame);
        },
        () => void this.endSource(source),
        (state) => {
          // A lost camera ends the passes it was following (their best frames are stored as reads).
          if (state === 'lost') void this.endSource(source);
          this.events.source(source.id, state);
        },
      );
    }
    this.retryTimer = setInterval(() => void this.retry(), RETRY_MS);
    this.statsTimer = setInterval(() => this.events.stats(this.stats()), 1_000);
  }

  /** Stops every source, waits for frames in flight, emits the passes still open and stops the backend session. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const p of this.pipelines) p.source.stop();
    await Promise.all(this.pipelines.map((p) => p.scheduler.idle()));
    for (const p of this.pipelines) {
      p.scheduler.clear();
      await this.emit(p.source, p.tracker.flush(performance.now()));
    }
    if (this.gpsWatch !== null) navigator.geolocation?.clearWatch(this.gpsWatch);
    if (this.gpsPoll) clearInterval(this.gpsPoll);
    if (this.statsTimer) clearInterval(this.statsTimer);
    await this.retry();
    this.events.stats(this.stats());
  }

  /** Reads still waiting to be stored (the backend session stays open until they are). */
  get pendingWrites(): number {
    return this.pending.length;
  }

  stats(): CaptureStats {
    const now = performance.now();
    this.processedWindow = this.processedWindow.filter((t) => now - t < 5_000);
    const sum = (k: 'processed' | 'dropped' | 'skipped' | 'failed') =>
      this.pipelines.reduce((s, p) => s + p.scheduler.stats[k], 0);
    return {
      reads: this.reads,
      processedFps: Math.round((this.processedWindow.length / 5) * 10) / 10,
      processed: sum('processed'),
      dropped: sum('dropped'),
      skipped: sum('skipped'),
      failedFrames: sum('failed'),
      pendingWrites: this.pending.length,
      backend: this.backendName,
    };
  }

  private async endSource(source: FrameSource): Promise<void> {
    const p = this.pipelines.find((x) => x.source === source);
    if (!p) return;
    await p.scheduler.idle();
    await this.emit(source, p.tracker.flush(performance.now()));
  }

  private async process(source: FrameSource, tracker: PlateTracker<Extra>, frame: VideoFrame): Promise<void> {
    const t = performance.now();
    // One framing per plate and the detector's fast input: the tracker votes a pass's text across frames, and a
    // plate too small to find in one frame is found as it nears; a single photo needs the extra framings and the
    // full input, at several times the cost per frame.
    const result = await this.engine.recognize(frame, {
      crops: true,
      overviewWidth: OVERVIEW_WIDTH,
      views: 1,
      fast: true,
    });
    this.processedWindow.push(performance.now());
    this.backendName = `${result.backend} · ${result.model.name} ${result.model.version}`;
    this.events.boxes(
      source.id,
      result.plates.map((p) => p.box),
      result.width,
      result.height,
    );
    const overview = result.overview ? new SharedBitmap(result.overview) : null;
    const wall = this.wallStart + (t - this.monoStart);
    // A plate cut by the frame's edge can only be read in part: it is left out here and read once fully in view.
    const whole = result.plates.filter((p) => !touchesEdge(p.box, result.width, result.height));
    const observations = whole.map((p) => ({
      box: p.box,
      text: p.text,
      confidence: p.confidence,
      alternates: p.alternates,
      extra: { crop: p.crop!, overview: overview?.take() ?? null, frameWallTime: wall },
    }));
    if (overview && observations.length === 0) overview.bitmap.close();
    await this.emit(source, tracker.update(t, observations));
  }

  private async emit(source: FrameSource, passes: Pass<Extra>[]): Promise<void> {
    for (const pass of passes) await this.store(source, pass);
  }

  private async store(source: FrameSource, pass: Pass<Extra>): Promise<void> {
    const passAt = performance.now();
    const { crop, overview, frameWallTime } = pass.best.extra;
    const gps = this.gps && frameWallTime - this.gps.fixAt <= GPS_MAX_AGE_MS ? this.gps : null;
    let input: AddReadInput;
    try {
      input = {
        token: this.token!,
        read: {
          plate: pass.text,
          confidence: pass.confidence,
          alternates: pass.alternates.slice(0, 5).map((a) => ({ plate: a.text, confidence: a.confidence })),
          region: null,
          capturedAt: Math.round(frameWallTime),
          cameraId: source.id,
          gps,
          engine: this.options.engineName ?? this.backendName ?? 'unknown',
          imported: source.importedSha256 ? { fileSha256: source.importedSha256 } : null,
        },
        crop: await encode(crop, 'image/webp', 0.85),
        overview: overview ? await encode(overview.bitmap, 'image/webp', 0.6) : null,
      };
    } finally {
      overview?.release();
    }
    this.reads++;
    const shown: ShownRead = {
      id: null,
      plate: pass.text,
      confidence: pass.confidence,
      capturedAt: input.read.capturedAt,
      camera: source.name,
      crop,
      gps: gps !== null,
      stored: false,
      imported: source.importedSha256 !== null,
    };
    try {
      const r = await this.backend.addRead(input);
      shown.id = r.id;
      shown.stored = true;
      if (r.hit) this.events.hit(r.hit, await createImageBitmap(crop), passAt);
      this.events.warning(r.storageWarning);
    } catch (e) {
      this.pending.push({ input, shown });
      this.events.error(`A read could not be stored and will be retried: ${(e as Error).message}`);
    }
    this.events.read(shown);
  }

  /**
   * Gives up the reads still waiting to be stored (the officer chose to sign out with them unstored): the retries
   * stop, and the backend session is left to end at sign-out. Returns how many were given up.
   */
  abandon(): number {
    const n = this.pending.length;
    this.pending.length = 0;
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = null;
    this.token = null;
    return n;
  }

  /** Stores queued reads, oldest first, stopping at the first failure. */
  private async retry(): Promise<void> {
    const queued = this.pending.length;
    let failed = false;
    while (this.pending.length > 0 && !failed) {
      try {
        const { input, shown } = this.pending[0]!;
        const r = await this.backend.addRead(input);
        this.pending.shift();
        this.events.stored({ plate: shown.plate, capturedAt: shown.capturedAt, id: r.id });
        if (r.hit) this.events.hit(r.hit, await createImageBitmap(new Blob([input.crop])), null);
        this.events.warning(r.storageWarning);
      } catch {
        failed = true;
      }
    }
    // After stop the counters no longer tick by themselves: the screen learns here what is still waiting.
    if (this.stopping && queued > 0) this.events.stats(this.stats());
    if (failed) return;
    if (queued > 0) this.events.error(null); // the queue drained: the "could not be stored" notice is over
    // Stopping waits for the queue to drain: only then does the backend session end.
    if (this.stopping && this.token) {
      if (this.retryTimer) clearInterval(this.retryTimer);
      this.token = null;
      await this.backend.stop().catch(() => undefined);
    }
  }
}
