import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boxFit, devHalf, heldOutManifest, heldOutModels, judge, sourceStamp } from './eval';

describe('eval --half', () => {
  it('splits files as models/train/train_reader.py dev_fold does (values from its Python)', () => {
    const python: Record<string, 'a' | 'b'> = {
      'ak721.png': 'b',
      'ak848.png': 'a',
      'car1.jpg': 'b',
      'us10.jpg': 'b',
      'wts-lg-000072.jpg': 'a',
      '0b86cecf-67d1-4fc0-87c9-b36b0ee228bb.jpg': 'a',
    };
    for (const [file, half] of Object.entries(python)) expect(devHalf(file), file).toBe(half);
  });

  it('puts every name in one half, both halves in use', () => {
    const names = Array.from({ length: 200 }, (_, i) => `plate${i}.png`);
    const a = names.filter((n) => devHalf(n) === 'a').length;
    expect(a).toBeGreaterThan(60);
    expect(200 - a).toBeGreaterThan(60);
  });
});

describe('eval boxFit', () => {
  const label = { x: 100, y: 100, w: 100, h: 50 };
  /** A box grown about the label's centre by fw, fh. */
  const grown = (fw: number, fh: number) => ({
    x: 150 - (100 * fw) / 2,
    y: 125 - (50 * fh) / 2,
    w: 100 * fw,
    h: 50 * fh,
  });

  it('gives the median factors that fit the reported boxes to the labelled ones', () => {
    const pairs = [grown(1.1, 1.2), grown(1.2, 1.25), grown(1.0, 1.0)].map((found) => ({ label, found }));
    // Ratios w 0.91, 0.83, 1 → median 0.91; h 0.83, 0.8, 1 → 0.83.
    expect(boxFit(pairs)).toEqual([0.91, 0.83]);
    expect(boxFit([{ label, found: label }])).toEqual([1, 1]);
  });

  it('leaves out boxes that miss the plate, and gives null when none is near', () => {
    const far = { x: 600, y: 600, w: 300, h: 300 };
    expect(
      boxFit([
        { label, found: grown(1.1, 1.2) },
        { label, found: far },
      ]),
    ).toEqual([0.91, 0.83]);
    expect(boxFit([{ label, found: far }])).toBeNull();
    expect(boxFit([])).toBeNull();
  });
});

describe('eval judge', () => {
  const box = { x: 100, y: 100, w: 100, h: 50 };
  const plate = (text: string, alternates: string[] = []) => ({
    text,
    confidence: 0.8,
    chars: [...text].map(() => 0.9),
    alternates: alternates.map((t) => ({ text: t, confidence: 0.05 })),
    box,
  });
  const label = { plate: '7ABC012', box };

  it('counts a top reading as read, and as in the top 6', () => {
    const j = judge(label, { plates: [plate('7ABC012')], detections: [box] });
    expect(j).toEqual({ hit: true, hitO0: true, inTop6: true, detected: true, bestIou: 1 });
  });

  it('counts the label among the alternates in the top 6 only, and O = 0 apart', () => {
    const j = judge(label, { plates: [plate('7A8C012', ['7ABC012'])], detections: [box] });
    expect(j).toMatchObject({ hit: false, hitO0: false, inTop6: true });
    expect(judge(label, { plates: [plate('7ABCO12')], detections: [box] })).toMatchObject({
      hit: false,
      hitO0: true,
      inTop6: false,
    });
  });

  it('finds the plate by any detection, read or not; a crop has no box to find', () => {
    const far = { x: 600, y: 600, w: 100, h: 50 };
    expect(judge(label, { plates: [], detections: [far] })).toMatchObject({ detected: false, bestIou: 0 });
    expect(judge(label, { plates: [], detections: [far, box] })).toMatchObject({
      detected: true,
      bestIou: 1,
    });
    expect(judge({ plate: '7ABC012' }, { plates: [], detections: [] })).toMatchObject({
      detected: true,
      bestIou: 1,
      inTop6: false,
    });
  });
});

describe('eval --heldout', () => {
  it('reads each half with the models trained on the other: detector and reader for photos, reader for crops', () => {
    expect(heldOutModels(false, 'b')).toEqual([
      { role: 'detector', file: 'detector-a.onnx', trainedOn: 'a' },
      { role: 'reader', file: 'reader-photos-a.onnx', trainedOn: 'a' },
    ]);
    expect(heldOutModels(false, 'a').map((m) => m.file)).toEqual(['detector-b.onnx', 'reader-photos-b.onnx']);
    expect(heldOutModels(true, 'b')).toEqual([{ role: 'reader', file: 'reader-a.onnx', trainedOn: 'a' }]);
    expect(heldOutModels(true, 'a')).toEqual([{ role: 'reader', file: 'reader-b.onnx', trainedOn: 'b' }]);
  });

  it("swaps one model's size and SHA-256 in the manifest and leaves the other model's", () => {
    const manifest = {
      version: '0.6.0',
      files: [
        { name: 'detector.onnx', bytes: 10, sha256: 'd'.repeat(64) },
        { name: 'reader.onnx', bytes: 20, sha256: 'r'.repeat(64) },
      ],
      detector: { file: 'detector.onnx' },
      reader: { file: 'reader.onnx' },
    };
    const bytes = new TextEncoder().encode('abc');
    const swapped = heldOutManifest(manifest, 'reader', bytes, 'reader-a');
    expect(swapped.version).toBe('0.6.0+heldout-reader-a');
    expect(swapped.files).toEqual([
      manifest.files[0],
      // SHA-256 of "abc".
      {
        name: 'reader.onnx',
        bytes: 3,
        sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      },
    ]);
    expect(manifest.files[1]!.bytes).toBe(20);
    expect(() =>
      heldOutManifest({ ...manifest, reader: { file: 'other.onnx' } }, 'reader', bytes, 'reader-a'),
    ).toThrow(/does not list its reader file other.onnx/);
  });
});

describe('eval sourceStamp (--no-build reuses a page only while it is the same)', () => {
  const tree = () => {
    const root = mkdtempSync(join(tmpdir(), 'eval-stamp-'));
    const put = (path: string, text: string) => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    put('src/engine/engine.ts', 'const VIEWS = 2;');
    put('tests/eval/page/main.ts', 'run();');
    put('scripts/model-packs.ts', 'export {};');
    put('models/plates-us/manifest.json', JSON.stringify({ files: [{ name: 'reader.onnx' }] }));
    put('models/plates-us/reader.onnx', 'weights');
    put('models/heldout/reader-a.onnx', 'half a');
    put('README.md', 'docs');
    return { root, put };
  };

  it('changes with the engine code, the page and a pack model, not with files the page is not built from', () => {
    const { root, put } = tree();
    try {
      const first = sourceStamp(root);
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect(sourceStamp(root)).toBe(first);
      put('README.md', 'other docs');
      put('models/heldout/reader-a.onnx', 'half a, trained again'); // no manifest: not a pack the page serves
      expect(sourceStamp(root)).toBe(first);
      put('src/engine/engine.ts', 'const VIEWS = 3;');
      const code = sourceStamp(root);
      expect(code).not.toBe(first);
      put('tests/eval/page/main.ts', 'run(); run();');
      const page = sourceStamp(root);
      expect(page).not.toBe(code);
      put('models/plates-us/reader.onnx', 'other weights');
      expect(sourceStamp(root)).not.toBe(page);
      put('src/engine/extra.ts', '');
      expect(sourceStamp(root)).not.toBe(page);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
