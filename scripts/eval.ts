// `npm run eval -- --data DIR [--crops] [--misses FILE] [--dump FILE] [--threads N|auto] [--backend wasm|webgpu|auto] [--limit N] [--views N] [--fast] [--no-coarse] [--scale S] [--half a|b] [--heldout | --heldout-dir DIR] [--state XX] [--no-build]`
// Runs the real recognition engine (src/engine, the same worker code the app uses) in Debian's Chromium over
// DIR/labels.csv and prints one JSON line of figures; the misses go to a CSV (default eval-misses.csv); --dump
// writes every image's result (label, plates with per-character confidences and alternates) as JSON lines.
//   scenes (default): labels `file,plate,x,y,w,h`; `read` counts images where a reported plate's top reading equals
//     the label; `detectRecall` counts labelled boxes overlapped (IoU ≥ 0.5) by a box the detector found.
//   --crops: labels `file,state,plate`; each image is one plate, read whole (detection skipped).
//   --half a|b: only that half of the labels, split by the file name's SHA-1 as models/train (dev_fold) splits the
//     dev sets to train on one half and measure on the other.
//   --heldout: each half read by the shipped pack with the models trained on it swapped for those trained on the
//     other half (models/heldout: for photos the detector and the reader, for crops the reader), so every image is
//     read by models that have not seen it; with --half, that half only. --heldout-dir DIR takes them from DIR.
//   --state XX: the engine's stateHint (a USPS code) for every image, so that state's serial shapes settle look-alikes.
//   --fast: the detector's fast input (the pack's fastInput, 512×288), as live capture detects; with --views 1, a
//     frame read as capture reads it.
//   --no-coarse: a photo detected at the full input alone (the engine's `coarse: false`), not also at the fast input
//     for plates too large for the full one.
//   --no-build: reuse the last build of the eval page (dist-eval), refused when the code or the model packs it was
//     built from have changed since (sourceStamp).
//   --scale S: every image shrunk by S (0 < S ≤ 1, before the timed call) and its labelled box with it, to see the
//     same photos as a lower-resolution camera would take them.
import { chromium, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { iou, type Box } from '../src/core/recognition/geometry.ts';
import type { EngineInfo } from '../src/engine/api.ts';
import type { EvalImage } from '../tests/eval/page/main.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumAvailable } from '../tests/browser.ts';
import { listPacks } from './model-packs.ts';
import { startServer } from './serve.ts';

export interface EvalOptions {
  data: string;
  crops?: boolean;
  misses?: string;
  /** Write every image's result as JSON lines here. */
  dump?: string;
  /** wasm threads (default 1, the issue's measurement); 'auto' as the app runs (one per core, up to 4). */
  threads?: number | 'auto';
  backend?: 'wasm' | 'webgpu' | 'auto';
  limit?: number;
  /** Report plates down to this reading confidence (default: the engine's own default). */
  minConfidence?: number;
  /** Framings each plate is read in (the engine's default when unset). */
  views?: number;
  /** Detect with the pack's fast input, as live capture does. */
  fast?: boolean;
  /** false: a photo is detected at the full input alone, not also at the fast input for large plates. */
  coarse?: boolean;
  /**
   * Shrink every image by this factor (0 < S ≤ 1) before it is read, the labelled boxes with it: the same photos as a
   * lower-resolution camera would take them (the product is also measured on such photos).
   */
  scale?: number;
  /** Only this half of the labels (devHalf): a reader trained on the other half is measured on it. */
  half?: 'a' | 'b';
  /**
   * Read each half of the labels with the held-out models trained on the other half (models/heldout) in place of
   * the shipped pack's: the detector and the reader for photos, the reader for crops (heldOutModels).
   */
  heldout?: boolean;
  /** Where the held-out models are (default models/heldout): to measure a new pair before it replaces the kept one. */
  heldoutDir?: string;
  /** The state the plates are most likely from (USPS code), passed to the engine as its stateHint. */
  state?: string;
  /** Skip the page build (it is already in dist-eval). */
  noBuild?: boolean;
  log?: (line: string) => void;
}

export interface EvalFigures {
  mode: 'scenes' | 'crops';
  /** Detected with the fast input (--fast). */
  fast?: boolean;
  /** The --scale the images were shrunk by, when not 1. */
  scale?: number;
  /** The --half of the labels read, when one was asked for. */
  half?: 'a' | 'b';
  /** Read by the held-out models (--heldout). */
  heldout?: boolean;
  n: number;
  read: number;
  readO0: number;
  /**
   * Images where the label is a reported plate's top reading or one of its 5 alternates: what hot-list matching,
   * which checks the alternates too, can find.
   */
  readTop6: number;
  pct: number;
  detectRecall?: number;
  msP50: number;
  msP95: number;
  /** Medians of the engine's own split: detection, and reading every box it found. */
  detectMsP50: number;
  readMsP50: number;
  /** Boxes the detector reported per image (each one is read), mean. */
  boxesPerImage?: number;
  /** Share right among top readings with confidence ≥ 0.9, and how many there were. */
  conf90Acc: number | null;
  conf90N: number;
  /** Expected calibration error of the top readings (10 bins). */
  ece: number;
  backend: string | null;
  threads: number;
  modelBytes: number | null;
  model: string | null;
}

interface Label {
  file: string;
  plate: string;
  box?: Box;
}

const norm = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');
const o0 = (s: string) => s.replace(/O/g, '0');

function parseCsv(text: string): Record<string, string>[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const head = lines[0]!.split(',').map((h) => h.trim());
  return lines.slice(1).map((l) => {
    const cells = l.split(',');
    return Object.fromEntries(head.map((h, i) => [h, (cells[i] ?? '').trim()]));
  });
}

/**
 * The half of a labelled set a file falls in, as models/train/train_reader.py's dev_fold has it: "a" when the first
 * byte of the SHA-1 of its name is even. The held-out figures of a reader trained on one half use the other.
 */
export function devHalf(file: string): 'a' | 'b' {
  return createHash('sha1').update(file, 'utf8').digest()[0]! % 2 === 0 ? 'a' : 'b';
}

/** What the eval page is built from: the engine and the app's code, the page, its build, and the model packs it serves. */
const PAGE_SOURCES = ['src', 'tests/eval', 'scripts/model-packs.ts', 'package-lock.json'];
/** Written beside the built eval page: the SHA-256 of the sources it was built from (sourceStamp). */
export const STAMP_FILE = '.sources.sha256';

/**
 * One SHA-256 over every file the eval page is built from under `root` (PAGE_SOURCES, and the files of each model pack
 * in models/), names and contents, in a fixed order: `--no-build` reuses the last build only while this is the same,
 * so a figure is never read with a page built from other code or other models than the checkout's.
 */
export function sourceStamp(root: string): string {
  const files: string[] = [];
  const walk = (path: string) => {
    if (!existsSync(path)) return;
    if (statSync(path).isFile()) return void files.push(path);
    for (const e of readdirSync(path)) walk(join(path, e));
  };
  for (const s of PAGE_SOURCES) walk(join(root, s));
  for (const { pack, files: names } of listPacks(join(root, 'models')))
    for (const name of names) files.push(join(root, 'models', pack, name));
  const hash = createHash('sha256');
  for (const f of files.map((f) => relative(root, f)).sort()) {
    hash.update(`${f}\0`);
    hash.update(readFileSync(join(root, f)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** The shipped pack, and the folder of models trained the same way on one half of a dev set (models/heldout). */
export const SHIPPED_PACK = 'models/plates-us';
export const HELD_OUT_DIR = 'models/heldout';

/**
 * The held-out models for reading `half`: those trained on the other half. Crops exercise the reader (trained on the
 * dev crops); photos the detector (tuned on the dev photos) and the reader (trained on the dev photos' plates since
 * pack 0.9.0), so a photo is read by a detector and a reader that have not seen it.
 */
export function heldOutModels(crops: boolean, half: 'a' | 'b'): HeldOutModel[] {
  const trainedOn = half === 'a' ? 'b' : 'a';
  return crops
    ? [{ role: 'reader', file: `reader-${trainedOn}.onnx`, trainedOn }]
    : [
        { role: 'detector', file: `detector-${trainedOn}.onnx`, trainedOn },
        { role: 'reader', file: `reader-photos-${trainedOn}.onnx`, trainedOn },
      ];
}

export interface HeldOutModel {
  role: 'detector' | 'reader';
  file: string;
  trainedOn: 'a' | 'b';
}

interface PackManifestJson {
  version: string;
  files: { name: string; bytes: number; sha256: string }[];
  detector: { file: string };
  reader: { file: string };
  [key: string]: unknown;
}

/**
 * The shipped manifest with one model's file swapped for `bytes`: its size and SHA-256 (so the engine's checks
 * pass for it and no other) and a version that says which model it is.
 */
export function heldOutManifest(
  manifest: PackManifestJson,
  role: 'detector' | 'reader',
  bytes: Uint8Array,
  label: string,
): PackManifestJson {
  const name = manifest[role].file;
  if (!manifest.files.some((f) => f.name === name))
    throw new Error(`the pack's manifest does not list its ${role} file ${name}`);
  return {
    ...manifest,
    version: `${manifest.version}+heldout-${label}`,
    files: manifest.files.map((f) =>
      f.name === name
        ? { name, bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') }
        : f,
    ),
  };
}

/**
 * Writes the held-out pack for reading `half` into the built eval page (dist-eval/models/…) and returns its URL
 * path; the shipped pack's files, the held-out models swapped in.
 */
function writeHeldOutPack(root: string, dir: string, crops: boolean, half: 'a' | 'b'): string {
  const swaps = heldOutModels(crops, half).map((m) => {
    const source = resolve(dir, m.file);
    if (!existsSync(source))
      throw new Error(
        `${source} is missing: --heldout needs the held-out models (see ${HELD_OUT_DIR}/README.md)`,
      );
    return { ...m, name: m.file.replace(/\.onnx$/, ''), bytes: readFileSync(source) };
  });
  const shipped = JSON.parse(
    readFileSync(resolve(SHIPPED_PACK, 'manifest.json'), 'utf8'),
  ) as PackManifestJson;
  const manifest = swaps.reduce((m, s) => heldOutManifest(m, s.role, s.bytes, s.name), shipped);
  const pack = `heldout-${swaps.map((s) => s.name).join('-')}`;
  const out = join(root, 'models', pack);
  mkdirSync(out, { recursive: true });
  for (const f of shipped.files) {
    const swap = swaps.find((s) => shipped[s.role].file === f.name);
    writeFileSync(join(out, f.name), swap ? swap.bytes : readFileSync(resolve(SHIPPED_PACK, f.name)));
  }
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest));
  return `/models/${pack}/`;
}

/** How one image went: the label read (top-1, or with O = 0), among the alternates, its plate found. */
export interface ImageJudgement {
  hit: boolean;
  hitO0: boolean;
  /** The label is a plate's top reading or one of its alternates. */
  inTop6: boolean;
  /** The label's box is overlapped (IoU ≥ 0.5) by a box the detector found, read or not; true for crops. */
  detected: boolean;
  /** The best IoU of any detection with the label's box (1 for crops). */
  bestIou: number;
}

export function judge(
  label: { plate: string; box?: Box },
  r: Pick<EvalImage, 'plates' | 'detections'>,
): ImageJudgement {
  const hit = r.plates.some((p) => p.text === label.plate);
  const inAlternates = r.plates.some((p) => p.alternates.some((a) => a.text === label.plate));
  const bestIou = label.box ? Math.max(0, ...r.detections.map((b) => iou(b, label.box!))) : 1;
  return {
    hit,
    hitO0: r.plates.some((p) => o0(p.text) === o0(label.plate)),
    inTop6: hit || inAlternates,
    detected: bestIou >= 0.5,
    bestIou,
  };
}

/**
 * The [width, height] factors that would fit the reported boxes to the labelled ones: the median ratio of each
 * labelled box to the reported box overlapping it most (IoU ≥ 0.3; a box further off is a miss, not a size). [1, 1]
 * when the boxes fit; a pack's detector.boxScale is the product of its current value and this, on real photos.
 */
export function boxFit(pairs: readonly { label: Box; found: Box }[]): [number, number] | null {
  const close = pairs.filter((p) => iou(p.label, p.found) >= 0.3 && p.found.w > 0 && p.found.h > 0);
  if (close.length === 0) return null;
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  const r2 = (v: number) => Math.round(v * 100) / 100;
  return [
    r2(median(close.map((p) => p.label.w / p.found.w))),
    r2(median(close.map((p) => p.label.h / p.found.h))),
  ];
}

export function readLabels(dir: string, crops: boolean): Label[] {
  const rows = parseCsv(readFileSync(join(dir, 'labels.csv'), 'utf8'));
  return rows.map((r) => {
    if (!r['file'] || r['plate'] === undefined)
      throw new Error(`${dir}/labels.csv: each row needs file and plate`);
    const label: Label = { file: r['file'], plate: norm(r['plate']) };
    if (!crops) {
      const [x, y, w, h] = ['x', 'y', 'w', 'h'].map((k) => Number(r[k]));
      if ([x, y, w, h].some((v) => !Number.isFinite(v)))
        throw new Error(`${dir}/labels.csv: bad box for ${r['file']}`);
      label.box = { x: x!, y: y!, w: w!, h: h! };
    }
    return label;
  });
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : 0;
};

const MIME: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
};

export async function runEval(opts: EvalOptions): Promise<EvalFigures> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const dir = resolve(opts.data);
  const crops = opts.crops ?? false;
  let labels = readLabels(dir, crops);
  if (opts.half) labels = labels.filter((l) => devHalf(l.file) === opts.half);
  if (opts.limit) labels = labels.slice(0, opts.limit);
  if (labels.length === 0)
    throw new Error(`${dir}/labels.csv: no labels to read${opts.half ? ` in half ${opts.half}` : ''}`);
  const scale = opts.scale ?? 1;
  if (scale !== 1)
    labels = labels.map((l) =>
      l.box
        ? { ...l, box: { x: l.box.x * scale, y: l.box.y * scale, w: l.box.w * scale, h: l.box.h * scale } }
        : l,
    );
  if (!chromiumAvailable())
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  const stamp = sourceStamp(resolve('.'));
  const stampFile = resolve('dist-eval', STAMP_FILE);
  if (!opts.noBuild) {
    log('eval: building the eval page…');
    execFileSync('npx', ['vite', 'build', '--config', resolve('tests/eval/vite.config.ts')], {
      stdio: 'inherit',
    });
    writeFileSync(stampFile, `${stamp}\n`);
  } else if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8').trim() !== stamp) {
    throw new Error(
      'eval --no-build: the eval page in dist-eval was built from other code or models than these (or not built); run without --no-build',
    );
  }
  const server = await startServer({ root: resolve('dist-eval'), port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page: Page = await browser.newPage();
    page.on('pageerror', (e) => log(`[page] ${e.message}`));
    await page.route('**/eval-data/**', async (route) => {
      const name = decodeURIComponent(new URL(route.request().url()).pathname.slice('/eval-data/'.length));
      if (name.includes('/') || name.includes('..')) return route.fulfill({ status: 404 });
      try {
        const body = readFileSync(join(dir, name));
        await route.fulfill({
          status: 200,
          body,
          contentType: MIME[extname(name).toLowerCase()] ?? 'application/octet-stream',
        });
      } catch {
        await route.fulfill({ status: 404 });
      }
    });
    await page.goto(`${server.url}/`);
    // One pass over all the labels with the shipped pack, or (--heldout) one per half, each with its held-out pack.
    const passes: { labels: Label[]; packUrl?: string }[] = opts.heldout
      ? (['a', 'b'] as const)
          .map((h) => ({ half: h, labels: labels.filter((l) => devHalf(l.file) === h) }))
          .filter((p) => p.labels.length > 0)
          .map((p) => ({
            labels: p.labels,
            packUrl: writeHeldOutPack(resolve('dist-eval'), opts.heldoutDir ?? HELD_OUT_DIR, crops, p.half),
          }))
      : [{ labels }];
    let read = 0;
    let readO0 = 0;
    let readTop6 = 0;
    let detected = 0;
    const ms: number[] = [];
    const detectMs: number[] = [];
    const readMs: number[] = [];
    let boxes = 0;
    const tops: { confidence: number; right: boolean }[] = [];
    const misses: string[][] = [];
    const dump: string[] = [];
    const fits: { label: Box; found: Box }[] = [];
    const models: string[] = [];
    let info: EngineInfo | null = null;
    let done = 0;
    for (const pass of passes) {
      info = await page.evaluate((o) => window.evalApi!.load(o), {
        threads: opts.threads ?? 1,
        backend: opts.backend ?? 'wasm',
        ...(pass.packUrl ? { packUrl: `${server.url}${pass.packUrl}` } : {}),
      });
      const model = info.model ? `${info.model.name} ${info.model.version}` : 'no model';
      models.push(model);
      log(`eval: engine ${info.backend}, ${info.threads} thread(s), model ${model}`);
      // One untimed call so session warm-up is not counted.
      await page.evaluate(([u, m]) => window.evalApi!.recognize(u, m), [
        `/eval-data/${encodeURIComponent(pass.labels[0]!.file)}`,
        crops ? 'plate' : 'scene',
      ] as const);
      for (const label of pass.labels) {
        const r: EvalImage = await page.evaluate(
          ([u, m, c, v, sc, st, f, co]) => window.evalApi!.recognize(u, m, c, v, sc, st, f, co),
          [
            `/eval-data/${encodeURIComponent(label.file)}`,
            crops ? 'plate' : 'scene',
            opts.minConfidence ?? null,
            opts.views ?? null,
            scale,
            opts.state ?? null,
            opts.fast ?? false,
            opts.coarse ?? true,
          ] as const,
        );
        ms.push(r.ms);
        if (opts.dump)
          dump.push(JSON.stringify({ file: label.file, label: label.plate, model, plates: r.plates }));
        detectMs.push(r.detectMs);
        readMs.push(r.readMs);
        boxes += r.detections.length;
        const { hit, hitO0, inTop6, detected: isDetected, bestIou } = judge(label, r);
        const overlapping = label.box ? r.plates.filter((p) => iou(p.box, label.box!) >= 0.5) : r.plates;
        if (label.box && r.detections.length) {
          const found = r.detections.reduce((a, b) => (iou(b, label.box!) > iou(a, label.box!) ? b : a));
          fits.push({ label: label.box, found });
        }
        if (hit) read++;
        if (hitO0) readO0++;
        if (inTop6) readTop6++;
        if (isDetected) detected++;
        const top = [...overlapping].sort((a, b) => b.confidence - a.confidence)[0];
        if (top) tops.push({ confidence: top.confidence, right: top.text === label.plate });
        if (!hit) {
          misses.push([
            label.file,
            label.plate,
            bestIou.toFixed(2),
            r.plates.map((p) => `${p.text}:${p.confidence.toFixed(2)}`).join(' '),
            String(isDetected),
            String(inTop6),
            !isDetected ? 'not-detected' : inTop6 ? 'in-alternates' : 'misread',
          ]);
        }
        if (++done % 25 === 0) log(`eval: ${done}/${labels.length}, read ${read}`);
      }
    }
    let ece = 0;
    for (let b = 0; b < 10; b++) {
      const inBin = tops.filter(
        (t) => t.confidence >= b / 10 && (b === 9 ? t.confidence <= 1 : t.confidence < (b + 1) / 10),
      );
      if (inBin.length === 0) continue;
      const acc = inBin.filter((t) => t.right).length / inBin.length;
      const conf = inBin.reduce((s, t) => s + t.confidence, 0) / inBin.length;
      ece += (inBin.length / tops.length) * Math.abs(acc - conf);
    }
    const high = tops.filter((t) => t.confidence >= 0.9);
    const missesFile = resolve(opts.misses ?? 'eval-misses.csv');
    const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    writeFileSync(
      missesFile,
      [
        'file,label,best_iou,reported,detected,in_alternates,kind',
        ...misses.map((m) => m.map(csvCell).join(',')),
      ].join('\n') + '\n',
    );
    log(`eval: ${misses.length} misses written to ${missesFile}`);
    if (opts.dump) {
      writeFileSync(resolve(opts.dump), dump.join('\n') + '\n');
      log(`eval: every result written to ${resolve(opts.dump)}`);
    }
    const n = labels.length;
    return {
      mode: crops ? 'crops' : 'scenes',
      ...(opts.fast ? { fast: true } : {}),
      ...(scale !== 1 ? { scale } : {}),
      ...(opts.half ? { half: opts.half } : {}),
      ...(opts.heldout ? { heldout: true } : {}),
      n,
      read,
      readO0,
      readTop6,
      pct: Math.round((1000 * read) / n) / 10,
      ...(crops ? {} : { detectRecall: Math.round((1000 * detected) / n) / 1000, boxFit: boxFit(fits) }),
      msP50: Math.round(quantile(ms, 0.5) * 10) / 10,
      msP95: Math.round(quantile(ms, 0.95) * 10) / 10,
      detectMsP50: Math.round(quantile(detectMs, 0.5) * 10) / 10,
      readMsP50: Math.round(quantile(readMs, 0.5) * 10) / 10,
      ...(crops ? {} : { boxesPerImage: Math.round((100 * boxes) / n) / 100 }),
      conf90Acc: high.length
        ? Math.round((1000 * high.filter((t) => t.right).length) / high.length) / 1000
        : null,
      conf90N: high.length,
      ece: Math.round(ece * 1000) / 1000,
      backend: info?.backend ?? null,
      threads: info?.threads ?? 0,
      modelBytes: info?.model?.bytes ?? null,
      model: models.join(', ') || null,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

function args(argv: string[]): EvalOptions {
  const o: EvalOptions = { data: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--data') o.data = next();
    else if (a === '--crops') o.crops = true;
    else if (a === '--misses') o.misses = next();
    else if (a === '--dump') o.dump = next();
    else if (a === '--threads') {
      const v = next();
      if (v !== 'auto' && !/^[1-9]\d*$/.test(v))
        throw new Error(`--threads takes auto or a whole number, not ${v}`);
      o.threads = v === 'auto' ? 'auto' : Number(v);
    } else if (a === '--backend') o.backend = next() as EvalOptions['backend'];
    else if (a === '--limit') o.limit = Number(next());
    else if (a === '--min-confidence') o.minConfidence = Number(next());
    else if (a === '--views') o.views = Number(next());
    else if (a === '--fast') o.fast = true;
    else if (a === '--no-coarse') o.coarse = false;
    else if (a === '--scale') {
      const v = Number(next());
      if (!(v > 0 && v <= 1)) throw new Error('--scale takes a factor above 0 and at most 1');
      o.scale = v;
    } else if (a === '--half') {
      const v = next();
      if (v !== 'a' && v !== 'b') throw new Error(`--half takes a or b, not ${v}`);
      o.half = v;
    } else if (a === '--state') {
      const v = next().toUpperCase();
      if (!/^[A-Z]{2}$/.test(v)) throw new Error(`--state takes a two-letter USPS code, not ${v}`);
      o.state = v;
    } else if (a === '--heldout') o.heldout = true;
    else if (a === '--heldout-dir') {
      o.heldout = true;
      o.heldoutDir = next();
    } else if (a === '--no-build') o.noBuild = true;
    else throw new Error(`unknown option ${a}`);
  }
  if (!o.data) throw new Error('--data DIR is required (a folder with labels.csv and the images)');
  return o;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const figures = await runEval(args(process.argv.slice(2)));
    console.log(JSON.stringify(figures));
  } catch (e) {
    console.error(`eval failed: ${(e as Error).message}`);
    process.exit(1);
  }
}
