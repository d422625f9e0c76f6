import { describe, expect, it } from 'vitest';
import { loadPack, ModelError, parseManifest, sha256Hex, type PackManifest } from './manifest';

const enc = new TextEncoder();
const DETECTOR = enc.encode('detector weights').buffer as ArrayBuffer;
const READER = enc.encode('reader weights, a little longer').buffer as ArrayBuffer;

async function manifestFor(files: Record<string, ArrayBuffer>): Promise<PackManifest> {
  return {
    format: 1,
    name: 'plates-us',
    version: '0.1.0',
    files: await Promise.all(
      Object.entries(files).map(async ([name, b]) => ({
        name,
        bytes: b.byteLength,
        sha256: await sha256Hex(b),
      })),
    ),
    detector: { file: 'detector.onnx', input: [3, 288, 512], stride: 8, threshold: 0.3, channels: 'rgb' },
    reader: {
      file: 'reader.onnx',
      input: [3, 64, 128],
      decoder: 'slots',
      slots: 8,
      charset: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      temperature: 1.2,
      margin: [0.05, 0.1],
      channels: 'bgr',
    },
    provenance: { training: 'models/train', data: [{ name: 'synthetic', licence: 'project', use: 'train' }] },
  };
}

function server(files: Record<string, ArrayBuffer | string>) {
  return async (url: string): Promise<Response> => {
    const name = url.slice('https://unit.test/pack/'.length);
    const body = files[name];
    return body === undefined ? new Response('not found', { status: 404 }) : new Response(body);
  };
}

const BASE = 'https://unit.test/pack/';

/** A valid manifest whose detector fields a test may replace with anything. */
async function looseManifest(): Promise<{ detector: Record<string, unknown> }> {
  return (await manifestFor({ 'detector.onnx': DETECTOR, 'reader.onnx': READER })) as unknown as {
    detector: Record<string, unknown>;
  };
}

describe('model pack manifest', () => {
  it('loads a pack whose files match their sizes and hashes', async () => {
    const manifest = await manifestFor({ 'detector.onnx': DETECTOR, 'reader.onnx': READER });
    const pack = await loadPack(
      BASE,
      server({ 'manifest.json': JSON.stringify(manifest), 'detector.onnx': DETECTOR, 'reader.onnx': READER }),
    );
    expect(pack.manifest).toEqual(manifest);
    expect(pack.files.get('reader.onnx')!.byteLength).toBe(READER.byteLength);
  });

  it('names a file whose bytes were altered (same size, wrong hash)', async () => {
    const manifest = await manifestFor({ 'detector.onnx': DETECTOR, 'reader.onnx': READER });
    const altered = new Uint8Array(READER.slice(0));
    altered[3] = altered[3]! ^ 0xff;
    const err = await loadPack(
      BASE,
      server({
        'manifest.json': JSON.stringify(manifest),
        'detector.onnx': DETECTOR,
        'reader.onnx': altered.buffer,
      }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).code).toBe('model-corrupt');
    expect((err as ModelError).file).toBe('reader.onnx');
    expect((err as ModelError).message).toMatch(/reader\.onnx .*SHA-256/);
  });

  it('names a truncated file by its size', async () => {
    const manifest = await manifestFor({ 'detector.onnx': DETECTOR, 'reader.onnx': READER });
    const err = await loadPack(
      BASE,
      server({
        'manifest.json': JSON.stringify(manifest),
        'detector.onnx': DETECTOR.slice(0, 5),
        'reader.onnx': READER,
      }),
    ).catch((e: unknown) => e);
    expect((err as ModelError).code).toBe('model-corrupt');
    expect((err as ModelError).message).toMatch(/detector\.onnx .* is 5 bytes, expected 16/);
  });

  it('names a missing file', async () => {
    const manifest = await manifestFor({ 'detector.onnx': DETECTOR, 'reader.onnx': READER });
    const err = await loadPack(
      BASE,
      server({ 'manifest.json': JSON.stringify(manifest), 'detector.onnx': DETECTOR }),
    ).catch((e: unknown) => e);
    expect((err as ModelError).code).toBe('model-missing');
    expect((err as ModelError).file).toBe('reader.onnx');
  });

  it('refuses a manifest that is not JSON or is missing its provenance', async () => {
    const notJson = await loadPack(BASE, server({ 'manifest.json': '{oops' })).catch((e: unknown) => e);
    expect((notJson as ModelError).code).toBe('model-invalid');
    const manifest = (await manifestFor({
      'detector.onnx': DETECTOR,
      'reader.onnx': READER,
    })) as unknown as Record<string, unknown>;
    expect(() => parseManifest({ ...manifest, provenance: undefined })).toThrow(/provenance/);
    expect(() => parseManifest({ ...manifest, format: 2 })).toThrow(/format 2/);
    expect(() => parseManifest({ ...manifest, files: [{ name: '../evil', bytes: 1, sha256: 'x' }] })).toThrow(
      /files\[0\]\.name/,
    );
  });

  it('reads the reader decoder: slots by default, ctc when named, anything else refused', async () => {
    const manifest = (await manifestFor({
      'detector.onnx': DETECTOR,
      'reader.onnx': READER,
    })) as unknown as { reader: Record<string, unknown> };
    const { decoder: _, ...unnamed } = manifest.reader;
    expect(parseManifest({ ...manifest, reader: unnamed }).reader.decoder).toBe('slots');
    const ctc = parseManifest({ ...manifest, reader: { ...manifest.reader, decoder: 'ctc', slots: 32 } });
    expect(ctc.reader).toMatchObject({ decoder: 'ctc', slots: 32 });
    expect(() => parseManifest({ ...manifest, reader: { ...manifest.reader, decoder: 'rnn' } })).toThrow(
      /reader\.decoder must be slots or ctc/,
    );
  });

  it('reads the detector fast input when there is one, and refuses a malformed one', async () => {
    const manifest = await looseManifest();
    expect(parseManifest(manifest).detector.fastInput).toBeUndefined();
    const fast = parseManifest({
      ...manifest,
      detector: { ...manifest.detector, input: [3, 576, 1024], fastInput: [3, 288, 512] },
    });
    expect(fast.detector).toMatchObject({ input: [3, 576, 1024], fastInput: [3, 288, 512] });
    expect(() =>
      parseManifest({ ...manifest, detector: { ...manifest.detector, fastInput: [288, 512] } }),
    ).toThrow(/detector\.fastInput must be \[3, height, width\]/);
  });

  it('reads the fast input threshold when there is one, and refuses one out of range', async () => {
    const manifest = await looseManifest();
    expect(parseManifest(manifest).detector.fastThreshold).toBeUndefined();
    const with_ = (fastThreshold: unknown) => ({
      ...manifest,
      detector: { ...manifest.detector, input: [3, 576, 1024], fastInput: [3, 288, 512], fastThreshold },
    });
    expect(parseManifest(with_(0.3)).detector).toMatchObject({ threshold: 0.3, fastThreshold: 0.3 });
    expect(parseManifest(with_(0.25)).detector.fastThreshold).toBe(0.25);
    expect(() => parseManifest(with_(1.5))).toThrow(/detector\.fastThreshold must be a number from 0\.01/);
    expect(() => parseManifest(with_('0.3'))).toThrow(/detector\.fastThreshold/);
  });

  it('reads the detector box scale when there is one, and refuses one out of range or malformed', async () => {
    const manifest = await looseManifest();
    expect(parseManifest(manifest).detector.boxScale).toBeUndefined();
    const with_ = (boxScale: unknown) => ({ ...manifest, detector: { ...manifest.detector, boxScale } });
    expect(parseManifest(with_([0.91, 0.83])).detector.boxScale).toEqual([0.91, 0.83]);
    expect(() => parseManifest(with_([0.91]))).toThrow(/detector\.boxScale must be \[width, height\]/);
    expect(() => parseManifest(with_([0.91, 0]))).toThrow(
      /detector\.boxScale\[1\] must be a number from 0\.5/,
    );
    expect(() => parseManifest(with_(['0.9', 0.8]))).toThrow(/detector\.boxScale\[0\]/);
  });

  it('refuses a model file the manifest does not list', async () => {
    const manifest = await manifestFor({ 'detector.onnx': DETECTOR });
    expect(() => parseManifest(manifest)).toThrow(/reader\.file reader\.onnx is not in files/);
  });
});
