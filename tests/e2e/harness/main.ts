// Store-layer and engine scenarios run in the real browser, for end-to-end tests that need layers the UI does not reach yet
// (capture writes reads from issue #5 on). Exposed as window.harness; each returns plain data to the test.
import { CaptureSession, type CaptureBackend } from '../../../src/capture/session';
import { CameraSource } from '../../../src/capture/sources';
import * as ortWasm from 'onnxruntime-web/wasm';
import { EngineClientError, startEngine } from '../../../src/engine/client';
import { PlateEngine, type Ort } from '../../../src/engine/engine';
import { iou } from '../../../src/core/recognition/geometry';
import { AlprDb } from '../../../src/store/db';
import { StorageHealth } from '../../../src/store/health';
import { ReadStore } from '../../../src/store/reads';
import { createVault, vaultRow } from '../../../src/store/vault';
import {
  drawScene,
  fixtureScenes,
  plateBox,
  type SceneSpec,
  VIDEO_SECONDS,
  videoFrameI420,
  videoScene,
} from '../../fixtures/plates';

/** Every string and byte IndexedDB holds for a database, decoded as Latin-1 so any byte sequence is searchable. */
async function rawDump(name: string): Promise<string> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open(name);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const parts: string[] = [];
  const latin1 = new TextDecoder('latin1');
  const walk = (v: unknown): void => {
    if (v instanceof ArrayBuffer) parts.push(latin1.decode(v));
    else if (ArrayBuffer.isView(v)) parts.push(latin1.decode(v));
    else if (typeof v === 'string' || typeof v === 'number') parts.push(String(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object' && !(v instanceof CryptoKey)) Object.values(v).forEach(walk);
  };
  for (const store of Array.from(db.objectStoreNames)) {
    walk(
      await new Promise<unknown[]>((resolve, reject) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      }),
    );
  }
  db.close();
  return parts.join('\n');
}

/** A kiosk with nobody signed in stores reads: it holds only the vault's public parts, no data or index key. */
async function unattendedReads(plates: string[], imageMarker: string) {
  const name = `harness-${Date.now()}`;
  const db = new AlprDb(name);
  const made = await createVault();
  await db.keys.put(vaultRow(made.vault, Date.now()));
  const reads = new ReadStore(db, new StorageHealth(), Date.now);
  const marker = new TextEncoder().encode(imageMarker);
  const ids: string[] = [];
  for (const [i, plate] of plates.entries()) {
    const crop = new Uint8Array([0xff, 0xd8, 0xff, ...marker, i]);
    const overview = new Uint8Array(30_000).map((_, k) => (k < marker.length ? marker[k]! : k & 0xff));
    const read = {
      plate,
      confidence: 0.95,
      alternates: [],
      region: 'CA',
      capturedAt: Date.now() + i,
      cameraId: 'front',
      unitId: 'Kiosk Main St',
      operatorId: null,
      gps: {
        lat: 38.5816,
        lon: -121.4944,
        accuracyM: 4,
        headingDeg: null,
        speedMps: null,
        fixAt: Date.now(),
      },
      engine: 'harness',
      imported: null,
    };
    ids.push(await reads.add(made.vault, read, { crop, overview }, null));
  }
  const dump = await rawDump(name);
  // Only a signed-in user's keys open them again.
  const opened = await Promise.all(ids.map(async (id) => (await reads.open(made.keys, id))?.plate ?? null));
  db.close();
  await db.delete();
  return { dump, opened, dumpBytes: dump.length };
}

/** A fixture scene drawn on a 1280×720 canvas. */
function sceneCanvas(spec: SceneSpec): OffscreenCanvas {
  const canvas = new OffscreenCanvas(1280, 720);
  drawScene(canvas.getContext('2d')!, 1280, 720, spec);
  return canvas;
}

/** The real engine worker reading the project's own fixture scenes (tests/fixtures/plates.ts). */
async function recognizeFixtures(): Promise<{
  threads: { engine: number; isolated: boolean; cores: number };
  scenes: {
    expected: string;
    night: boolean;
    read: string[];
    box: boolean;
    iou: number | null;
    confidence: number | null;
  }[];
}> {
  const engine = startEngine();
  try {
    const out = [];
    for (const spec of fixtureScenes()) {
      const canvas = sceneCanvas(spec);
      const result = await engine.recognize(canvas.transferToImageBitmap(), { crops: true });
      const truth = plateBox(spec);
      const top = result.plates.find((p) => p.text === spec.text);
      out.push({
        expected: spec.text,
        night: spec.night,
        read: result.plates.map((p) => p.text),
        // The plate that was read right lies where the plate was drawn, and came with its crop.
        box:
          !!top && Math.abs(top.box.x + top.box.w / 2 - (truth.x + truth.w / 2)) < truth.w / 2 && !!top.crop,
        iou: top ? iou(top.box, truth) : null,
        confidence: top?.confidence ?? null,
      });
      result.plates.forEach((p) => p.crop?.close());
    }
    const threads = {
      engine: (await engine.info()).threads,
      isolated: self.crossOriginIsolated,
      cores: navigator.hardwareConcurrency,
    };
    return { threads, scenes: out };
  } finally {
    engine.terminate();
  }
}

/**
 * Phone photos held upright (720×1280), each with a small plate (48 px wide): what the engine reads in each.
 * Letterboxed into the detector's landscape input a plate is 22 px wide (2 of the 4 were read that way); in
 * portrait, 38 px (all 4).
 */
async function recognizePortrait(plateWidth = 48): Promise<{ expected: string; read: string[] }[]> {
  const engine = startEngine();
  try {
    const out = [];
    for (const [i, spec] of fixtureScenes().slice(0, 4).entries()) {
      const canvas = new OffscreenCanvas(720, 1280);
      drawScene(canvas.getContext('2d')!, 720, 1280, {
        ...spec,
        plateWidth,
        cx: 300 + i * 40,
        cy: 760 + i * 60,
        angle: 0,
        shear: 0,
        night: false,
      });
      const result = await engine.recognize(canvas.transferToImageBitmap(), { crops: false });
      out.push({ expected: spec.text, read: result.plates.map((p) => p.text) });
    }
    return out;
  } finally {
    engine.terminate();
  }
}

/**
 * The fixture plates close to the camera (`plateWidth` px wide in a 1280×720 frame), each read as a still with the
 * second, coarse detection (the default) and without it (`coarse: false`).
 */
async function recognizeClose(
  plateWidth: number,
): Promise<{ expected: string; coarse: string[]; fullOnly: string[] }[]> {
  const engine = startEngine();
  try {
    const out = [];
    for (const spec of fixtureScenes()) {
      const close = { ...spec, plateWidth, cx: 640, cy: 420 };
      const read = async (coarse: boolean) => {
        const r = await engine.recognize(sceneCanvas(close).transferToImageBitmap(), {
          crops: false,
          coarse,
        });
        return r.plates.map((p) => p.text);
      };
      out.push({ expected: spec.text, coarse: await read(true), fullOnly: await read(false) });
    }
    return out;
  } finally {
    engine.terminate();
  }
}

/**
 * The fixture plates (200 px wide in a 1280×720 frame) turned `angle` degrees, clockwise on screen (a photo taken with
 * the tablet tilted): what the engine reads in each, as a still.
 */
async function recognizeTurned(angle: number): Promise<{ expected: string; read: string[] }[]> {
  const engine = startEngine();
  try {
    const out = [];
    for (const spec of fixtureScenes()) {
      const turned = { ...spec, plateWidth: 200, cx: 640, cy: 420, angle, shear: 0 };
      const r = await engine.recognize(sceneCanvas(turned).transferToImageBitmap(), { crops: false });
      out.push({ expected: spec.text, read: r.plates.map((p) => p.text) });
    }
    return out;
  } finally {
    engine.terminate();
  }
}

/**
 * The fixture plates cut out to their edges (a crop with nothing around the plate, as a plate-crop data set has
 * them) and read whole ('plate' mode): as given alone (`views: 1`), and as given plus the bordered framing (default).
 */
async function recognizeCutOut(): Promise<{ expected: string; single: string[]; both: string[] }[]> {
  const engine = startEngine();
  try {
    const out = [];
    for (const spec of fixtureScenes()) {
      const canvas = sceneCanvas(spec);
      const b = plateBox(spec);
      const cut = await createImageBitmap(
        canvas,
        Math.round(b.x),
        Math.round(b.y),
        Math.round(b.w),
        Math.round(b.h),
      );
      const read = async (views?: number) => {
        const copy = await createImageBitmap(cut);
        const r = await engine.recognize(copy, { mode: 'plate', crops: false, ...(views ? { views } : {}) });
        return r.plates.map((p) => p.text);
      };
      out.push({ expected: spec.text, single: await read(1), both: await read() });
      cut.close();
    }
    return out;
  } finally {
    engine.terminate();
  }
}

/** What the engine reports for a frame with no plate at all, and for a bad region of interest. */
async function recognizeEmpty(): Promise<{ plates: number; badRoi: string }> {
  const engine = startEngine();
  try {
    const canvas = new OffscreenCanvas(640, 360);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#7a8a99';
    ctx.fillRect(0, 0, 640, 360);
    const result = await engine.recognize(canvas.transferToImageBitmap());
    const badRoi = await engine
      .recognize(canvas.transferToImageBitmap(), { roi: { x: 5000, y: 5000, w: 10, h: 10 } })
      .then(
        () => 'no error',
        (e: unknown) => (e instanceof EngineClientError ? e.code : String(e)),
      );
    return { plates: result.plates.length, badRoi };
  } finally {
    engine.terminate();
  }
}

/**
 * A GPU that fails mid-shift: the engine (run on this page, not in its worker, so the test can hand it a runtime)
 * is given a "WebGPU" onnxruntime whose sessions load but fail every run, as a lost device does. Returns what the
 * engine reported on the first frame, where it read, and the backend it is on afterwards.
 */
async function gpuFailsMidShift(): Promise<{
  expected: string;
  read: string[];
  backend: string;
  after: string | null;
  gpuRuns: number;
}> {
  let gpuRuns = 0;
  const failingGpu: Ort = {
    ...ortWasm,
    InferenceSession: {
      ...ortWasm.InferenceSession,
      // Sessions load on wasm (this page has no GPU), so only running them fails.
      create: async (model: Uint8Array, options: ortWasm.InferenceSession.SessionOptions) => {
        const session = await ortWasm.InferenceSession.create(model, {
          ...options,
          executionProviders: ['wasm'],
        });
        return new Proxy(session, {
          get(target, key) {
            if (key === 'run')
              return async () => {
                gpuRuns++;
                throw new Error('GPU device was lost');
              };
            const v = Reflect.get(target, key) as unknown;
            return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
          },
        });
      },
    } as Ort['InferenceSession'],
  };
  const engine = new PlateEngine(
    { packUrl: new URL('/models/plates-us/', location.origin).href, backend: 'webgpu', threads: 1 },
    (url) => fetch(url),
    { wasm: async () => ortWasm, webgpu: async () => failingGpu },
  );
  const spec = fixtureScenes()[0]!;
  const canvas = sceneCanvas(spec);
  const result = await engine.recognize(canvas.transferToImageBitmap(), { crops: false });
  await engine.release();
  return {
    expected: spec.text,
    read: result.plates.map((p) => p.text),
    backend: result.backend,
    after: (await engine.load()).backend,
    gpuRuns,
  };
}

/** Bytes as base64 (in chunks: spreading a whole video into one call would overflow the stack). */
function base64(bytes: Uint8Array): string {
  let bin = '';
  for (let k = 0; k < bytes.length; k += 0x8000) bin += String.fromCharCode(...bytes.subarray(k, k + 0x8000));
  return btoa(bin);
}

/** Fixture scene `i` as a PNG data URL (for looking at the fixtures while debugging). */
async function fixturePng(i: number): Promise<string> {
  const canvas = sceneCanvas(fixtureScenes()[i]!);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return `data:image/png;base64,${base64(new Uint8Array(await blob.arrayBuffer()))}`;
}

/** Frame `i` of the fixture video, I420, base64 (tests/fixtures/video.ts writes the Y4M file). */
function fixtureVideoFrame(i: number, width: number, height: number, fps: number): string {
  const canvas = new OffscreenCanvas(width, height);
  const bytes = videoFrameI420(
    canvas.getContext('2d', { willReadFrequently: true })!,
    width,
    height,
    i / fps,
  );
  return base64(bytes);
}

/** The fixture video recorded as WebM in real time (MediaRecorder over a canvas), base64: a "dash-cam clip". */
async function fixtureWebm(width: number, height: number, fps: number): Promise<string> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  drawScene(ctx, width, height, videoScene(0, width));
  const stream = canvas.captureStream(fps);
  const recorder = new MediaRecorder(stream, {
    mimeType: 'video/webm;codecs=vp8',
    videoBitsPerSecond: 2_000_000,
  });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => chunks.push(e.data);
  const done = new Promise<void>((resolve) => (recorder.onstop = () => resolve()));
  recorder.start(1000);
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const t = (performance.now() - t0) / 1000;
      if (t >= VIDEO_SECONDS) return resolve();
      drawScene(ctx, width, height, videoScene(t, width));
      setTimeout(tick, 1000 / fps);
    };
    tick();
  });
  recorder.stop();
  await done;
  return base64(new Uint8Array(await new Blob(chunks, { type: 'video/webm' }).arrayBuffer()));
}

/**
 * Live capture from the fake camera for `seconds`, with the real engine worker and an in-memory backend double:
 * what the capture benchmark measures (tests/bench/node/capture.bench.ts).
 */
async function captureBench(seconds: number, dedupeWindowS: number, threads?: number) {
  const engine = startEngine(threads ? { threads } : {});
  // Each frame's time: as the page waits for it (round trip) and as the engine worker spends it, split as the engine
  // reports it (detection, reading, the crop and overview images).
  const engineMs: { roundTrip: number; worker: number; detect: number; read: number; images: number }[] = [];
  const recognize = engine.recognize.bind(engine);
  Object.assign(engine, {
    recognize: async (...args: Parameters<typeof recognize>) => {
      const t = performance.now();
      const result = await recognize(...args);
      engineMs.push({
        roundTrip: performance.now() - t,
        worker: result.timings.totalMs,
        detect: result.timings.detectMs,
        read: result.timings.readMs,
        images: result.timings.imagesMs,
      });
      return result;
    },
  });
  const stored: { plate: string; at: number; cropBytes: number; overviewBytes: number }[] = [];
  const backend: CaptureBackend = {
    start: async () => 'b'.repeat(32),
    addRead: async (input) => {
      stored.push({
        plate: input.read.plate,
        at: performance.now(),
        cropBytes: input.crop.byteLength,
        overviewBytes: input.overview?.byteLength ?? 0,
      });
      return {
        id: String(stored.length),
        hit: null,
        hotListsReady: false,
        overviewStored: true,
        storageUsed: null,
        storageWarning: null,
      };
    },
    stop: async () => undefined,
  };
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) =>
    list.getEntries().forEach((e) => longTasks.push(e.duration)),
  );
  observer.observe({ type: 'longtask', buffered: false });
  const heap = () =>
    (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
  const session = new CaptureSession(
    backend,
    engine,
    {
      read: (r) => r.crop.close(),
      stats: () => undefined,
      warning: () => undefined,
      error: (m) => m && console.warn(m),
      stored: () => undefined,
      source: () => undefined,
      boxes: () => undefined,
      hit: (_a, c) => c.close(),
    },
    { dedupeWindowS, geolocation: null },
  );
  const source = new CameraSource({
    deviceId: '',
    name: 'Bench',
    position: 'front',
    width: 1280,
    height: 720,
    fps: 30,
  });
  const t0 = performance.now();
  await session.start([source]);
  await new Promise((r) => setTimeout(r, 1_000));
  const delivered = source.delivered();
  await new Promise((r) => setTimeout(r, 5_000));
  const heapStart = heap();
  await new Promise((r) => setTimeout(r, Math.max(0, seconds * 1000 - 5_000)));
  const heapEnd = heap();
  await session.stop();
  const elapsed = (performance.now() - t0) / 1000;
  observer.disconnect();
  engine.terminate();
  const stats = session.stats();
  return { elapsed, stats, stored, longTasks, heapStart, heapEnd, delivered, engineMs };
}

declare global {
  interface Window {
    harness: {
      fixtureWebm: typeof fixtureWebm;
      captureBench: typeof captureBench;
      fixtureVideoFrame: typeof fixtureVideoFrame;
      fixturePng: typeof fixturePng;
      unattendedReads: typeof unattendedReads;
      recognizeFixtures: typeof recognizeFixtures;
      gpuFailsMidShift: typeof gpuFailsMidShift;
      recognizePortrait: typeof recognizePortrait;
      recognizeEmpty: typeof recognizeEmpty;
      recognizeCutOut: typeof recognizeCutOut;
      recognizeClose: typeof recognizeClose;
      recognizeTurned: typeof recognizeTurned;
    };
  }
}

window.harness = {
  fixtureWebm,
  captureBench,
  unattendedReads,
  recognizeFixtures,
  gpuFailsMidShift,
  recognizePortrait,
  recognizeEmpty,
  recognizeCutOut,
  recognizeClose,
  recognizeTurned,
  fixturePng,
  fixtureVideoFrame,
};
