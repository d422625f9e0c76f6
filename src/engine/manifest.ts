// Model packs: a manifest naming every file with its size and SHA-256, the models' shapes and the provenance of
// their training data (models/README.md). Loading checks each file before onnxruntime sees it, so a missing,
// truncated or altered model is a clear error naming the file, never a crash or a silent empty result.

import { toHex } from '../core/hex';

export const MANIFEST_FORMAT = 1;

export interface PackFile {
  name: string;
  bytes: number;
  sha256: string;
}

export interface PackManifest {
  format: 1;
  name: string;
  version: string;
  files: PackFile[];
  detector: {
    file: string;
    /** [channels, height, width] of the letterboxed RGB input, values 0..255. */
    input: [3, number, number];
    /**
     * A smaller input for live video (`RecognizeOptions.fast`), when the detector takes more than one size (dynamic
     * height and width): a plate passing a camera is seen in many frames and grows as it nears, while a still photo
     * gets one look and needs the full input to find a small plate.
     */
    fastInput?: [3, number, number];
    stride: number;
    /** Centre score above which a cell is a plate. */
    threshold: number;
    /**
     * The same for the fast input (live video), when it differs: a frame's plates are smaller there, and a plate
     * missed in one frame must be found in the next. Absent: `threshold`.
     */
    fastThreshold?: number;
    /** Channel order the model was trained on. */
    channels: 'rgb' | 'bgr';
    /**
     * [width, height] factors that fit the detector's boxes to the plate, about the box's centre: measured on real
     * photos against labelled plate boxes (the detector of pack 0.5.1 draws its boxes about 10% wider and 20% taller
     * than the plate). The engine reports plate boxes scaled by them and reads the plate in the detector's own box.
     * Absent: [1, 1].
     */
    boxScale?: [number, number];
  };
  reader: {
    file: string;
    input: [3, number, number];
    /**
     * How the output reads: `slots`, one character (or pad) per output position, left-aligned; or `ctc`, one
     * distribution per column of the crop read left to right, repeats collapsed and blanks dropped.
     */
    decoder: 'slots' | 'ctc';
    /** Output positions: character slots, or the CTC reader's columns. Classes per position: charset + pad/blank. */
    slots: number;
    charset: string;
    temperature: number;
    /**
     * Fractions of a detector box's width and height added on each side before the reader reads it: the training
     * crops' margin for a detector whose boxes are as loose as the reader was tuned against (packs up to 0.5.x),
     * more for one whose boxes fit the plate (0.6.0). Scene mode only: a plate already cut out gets its own framings
     * (the engine's PLATE_VIEWS).
     */
    margin: [number, number];
    channels: 'rgb' | 'bgr';
  };
  provenance: { training: string; data: { name: string; licence: string; use: string }[] };
}

export type ModelErrorCode = 'model-missing' | 'model-corrupt' | 'model-invalid';

export class ModelError extends Error {
  constructor(
    readonly code: ModelErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const SHA256 = /^[0-9a-f]{64}$/;
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function shape(v: unknown, field: string): [3, number, number] {
  if (
    !Array.isArray(v) ||
    v.length !== 3 ||
    v[0] !== 3 ||
    !v.every((n) => Number.isInteger(n) && (n as number) > 0 && (n as number) <= 4096)
  ) {
    throw new ModelError('model-invalid', `manifest: ${field} must be [3, height, width]`);
  }
  return v as [3, number, number];
}

function channels(v: unknown, field: string): 'rgb' | 'bgr' {
  if (v === undefined) return 'rgb';
  if (v !== 'rgb' && v !== 'bgr')
    throw new ModelError('model-invalid', `manifest: ${field} must be rgb or bgr`);
  return v;
}

function decoder(v: unknown): 'slots' | 'ctc' {
  if (v === undefined) return 'slots';
  if (v !== 'slots' && v !== 'ctc')
    throw new ModelError('model-invalid', 'manifest: reader.decoder must be slots or ctc');
  return v;
}

function boxScale(v: unknown): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) {
    throw new ModelError('model-invalid', 'manifest: detector.boxScale must be [width, height]');
  }
  return [num(v[0], 'detector.boxScale[0]', 0.5, 1.5), num(v[1], 'detector.boxScale[1]', 0.5, 1.5)];
}

function num(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new ModelError('model-invalid', `manifest: ${field} must be a number from ${min} to ${max}`);
  }
  return v;
}

function str(v: unknown, field: string, re?: RegExp): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 200 || (re && !re.test(v))) {
    throw new ModelError('model-invalid', `manifest: ${field} is missing or malformed`);
  }
  return v;
}

/** Validates a parsed manifest.json; the message names the first field that is wrong. */
export function parseManifest(json: unknown): PackManifest {
  if (!isObj(json)) throw new ModelError('model-invalid', 'manifest: not a JSON object');
  if (json['format'] !== MANIFEST_FORMAT) {
    throw new ModelError(
      'model-invalid',
      `manifest: format ${String(json['format'])} is not supported (expected 1)`,
    );
  }
  const name = str(json['name'], 'name', SAFE_NAME);
  const version = str(json['version'], 'version');
  if (!Array.isArray(json['files']) || json['files'].length === 0) {
    throw new ModelError('model-invalid', 'manifest: files must list the pack’s files');
  }
  const files = json['files'].map((f: unknown, i: number): PackFile => {
    if (!isObj(f)) throw new ModelError('model-invalid', `manifest: files[${i}] is not an object`);
    return {
      name: str(f['name'], `files[${i}].name`, SAFE_NAME),
      bytes: num(f['bytes'], `files[${i}].bytes`, 1, 256 * 1024 * 1024),
      sha256: str(f['sha256'], `files[${i}].sha256`, SHA256),
    };
  });
  const listed = new Set(files.map((f) => f.name));
  const d = json['detector'];
  const r = json['reader'];
  if (!isObj(d)) throw new ModelError('model-invalid', 'manifest: detector is missing');
  if (!isObj(r)) throw new ModelError('model-invalid', 'manifest: reader is missing');
  const detectorFile = str(d['file'], 'detector.file', SAFE_NAME);
  const readerFile = str(r['file'], 'reader.file', SAFE_NAME);
  for (const [field, file] of [
    ['detector.file', detectorFile],
    ['reader.file', readerFile],
  ] as const) {
    if (!listed.has(file))
      throw new ModelError('model-invalid', `manifest: ${field} ${file} is not in files`);
  }
  const charset = str(r['charset'], 'reader.charset', /^[0-9A-Z]+$/);
  const margin = r['margin'];
  if (!Array.isArray(margin) || margin.length !== 2) {
    throw new ModelError('model-invalid', 'manifest: reader.margin must be [x, y]');
  }
  const p = json['provenance'];
  if (!isObj(p) || !Array.isArray(p['data'])) {
    throw new ModelError(
      'model-invalid',
      'manifest: provenance (training and data with licences) is required',
    );
  }
  return {
    format: 1,
    name,
    version,
    files,
    detector: {
      file: detectorFile,
      input: shape(d['input'], 'detector.input'),
      ...(d['fastInput'] === undefined ? {} : { fastInput: shape(d['fastInput'], 'detector.fastInput') }),
      stride: num(d['stride'], 'detector.stride', 1, 64),
      threshold: num(d['threshold'], 'detector.threshold', 0.01, 0.99),
      ...(d['fastThreshold'] === undefined
        ? {}
        : { fastThreshold: num(d['fastThreshold'], 'detector.fastThreshold', 0.01, 0.99) }),
      channels: channels(d['channels'], 'detector.channels'),
      ...(d['boxScale'] === undefined ? {} : { boxScale: boxScale(d['boxScale']) }),
    },
    reader: {
      file: readerFile,
      input: shape(r['input'], 'reader.input'),
      decoder: decoder(r['decoder']),
      slots: num(r['slots'], 'reader.slots', 1, 64),
      charset,
      temperature: num(r['temperature'], 'reader.temperature', 0.05, 20),
      margin: [num(margin[0], 'reader.margin[0]', 0, 1), num(margin[1], 'reader.margin[1]', 0, 1)],
      channels: channels(r['channels'], 'reader.channels'),
    },
    provenance: {
      training: str(p['training'], 'provenance.training'),
      data: (p['data'] as unknown[]).map((x, i) => {
        if (!isObj(x))
          throw new ModelError('model-invalid', `manifest: provenance.data[${i}] is not an object`);
        return {
          name: str(x['name'], `provenance.data[${i}].name`),
          licence: str(x['licence'], `provenance.data[${i}].licence`),
          use: str(x['use'], `provenance.data[${i}].use`),
        };
      }),
    },
  };
}

export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
}

/** Checks one file's bytes against the manifest: size first (a truncated download), then the hash. */
export async function verifyFile(pack: PackManifest, file: PackFile, bytes: ArrayBuffer): Promise<void> {
  const where = `model pack ${pack.name} ${pack.version}`;
  if (bytes.byteLength !== file.bytes) {
    throw new ModelError(
      'model-corrupt',
      `${file.name} (${where}) is ${bytes.byteLength} bytes, expected ${file.bytes}: the file is damaged or incomplete. Reinstall the app or the model pack.`,
      file.name,
    );
  }
  const hash = await sha256Hex(bytes);
  if (hash !== file.sha256) {
    throw new ModelError(
      'model-corrupt',
      `${file.name} (${where}) does not match its SHA-256 in the manifest: the file is damaged or was altered. Reinstall the app or the model pack.`,
      file.name,
    );
  }
}

export type Fetcher = (url: string) => Promise<Response>;

/** Fetches the manifest and every file of a pack, verified. `base` is the pack's URL ending in `/`. */
export async function loadPack(
  base: string,
  fetcher: Fetcher,
): Promise<{ manifest: PackManifest; files: Map<string, ArrayBuffer> }> {
  const get = async (name: string): Promise<Response> => {
    let res: Response;
    try {
      res = await fetcher(base + name);
    } catch (e) {
      throw new ModelError(
        'model-missing',
        `${name} could not be fetched from ${base}: ${(e as Error).message}`,
        name,
      );
    }
    if (!res.ok) {
      throw new ModelError(
        'model-missing',
        `${name} is missing from the model pack at ${base} (HTTP ${res.status})`,
        name,
      );
    }
    return res;
  };
  let json: unknown;
  try {
    json = await (await get('manifest.json')).json();
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError('model-invalid', `manifest.json at ${base} is not valid JSON`, 'manifest.json');
  }
  const manifest = parseManifest(json);
  const files = new Map<string, ArrayBuffer>();
  for (const file of manifest.files) {
    const bytes = await (await get(file.name)).arrayBuffer();
    await verifyFile(manifest, file, bytes);
    files.set(file.name, bytes);
  }
  return { manifest, files };
}
