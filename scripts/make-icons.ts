// Draws the app's icons (PNG at every size the manifest and browsers ask for, plus an SVG) from one vector
// description: a camera lens over a licence plate reading "ALPR". Deterministic; no image libraries.
// Usage: npm run icons  (writes public/icons/)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

type Rgb = [number, number, number];
type Shape =
  | { kind: 'rrect'; x: number; y: number; w: number; h: number; r: number; color: Rgb }
  | { kind: 'circle'; cx: number; cy: number; r: number; color: Rgb };

const NAVY: Rgb = [0x0b, 0x1f, 0x3a];
const GOLD: Rgb = [0xf2, 0xb7, 0x05];
const WHITE: Rgb = [0xf4, 0xf6, 0xf9];

const GLYPHS: Record<string, string[]> = {
  A: ['.###.', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  L: ['#....', '#....', '#....', '#....', '#....', '#....', '#####'],
  P: ['####.', '#...#', '#...#', '####.', '#....', '#....', '#....'],
  R: ['####.', '#...#', '#...#', '####.', '#.#..', '#..#.', '#...#'],
};

/** The drawing on a 512×512 canvas. `maskable` fills the square and keeps content in the 80% safe zone. */
export function iconShapes(maskable: boolean): Shape[] {
  const s = maskable ? 0.78 : 1;
  const o = (512 - 512 * s) / 2;
  const t = (v: number) => o + v * s;
  const shapes: Shape[] = [
    maskable
      ? { kind: 'rrect', x: 0, y: 0, w: 512, h: 512, r: 0, color: NAVY }
      : { kind: 'rrect', x: 0, y: 0, w: 512, h: 512, r: 96, color: NAVY },
    { kind: 'circle', cx: t(256), cy: t(104), r: 40 * s, color: GOLD },
    { kind: 'circle', cx: t(256), cy: t(104), r: 18 * s, color: NAVY },
    { kind: 'rrect', x: t(48), y: t(176), w: 416 * s, h: 220 * s, r: 28 * s, color: GOLD },
    { kind: 'rrect', x: t(62), y: t(190), w: 388 * s, h: 192 * s, r: 18 * s, color: WHITE },
  ];
  const cell = 14;
  const word = 'ALPR';
  const cols = word.length * 5 + (word.length - 1);
  const x0 = 256 - (cols * cell) / 2;
  const y0 = 286 - (7 * cell) / 2;
  [...word].forEach((ch, i) => {
    GLYPHS[ch]!.forEach((row, ry) => {
      [...row].forEach((px, rx) => {
        if (px === '#') {
          shapes.push({
            kind: 'rrect',
            x: t(x0 + (i * 6 + rx) * cell),
            y: t(y0 + ry * cell),
            w: cell * s,
            h: cell * s,
            r: 0,
            color: NAVY,
          });
        }
      });
    });
  });
  return shapes;
}

function inside(shape: Shape, x: number, y: number): boolean {
  if (shape.kind === 'circle') return (x - shape.cx) ** 2 + (y - shape.cy) ** 2 <= shape.r ** 2;
  const { x: sx, y: sy, w, h, r } = shape;
  if (x < sx || x > sx + w || y < sy || y > sy + h) return false;
  const cx = Math.min(Math.max(x, sx + r), sx + w - r);
  const cy = Math.min(Math.max(y, sy + r), sy + h - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** Rasterise with 4×4 supersampling; returns RGBA rows. */
export function rasterise(shapes: Shape[], size: number): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const k = 512 / size;
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) * k;
          const y = (py + (sy + 0.5) / n) * k;
          let color: Rgb | null = null;
          for (const shape of shapes) if (inside(shape, x, y)) color = shape.color;
          if (color) {
            r += color[0];
            g += color[1];
            b += color[2];
            a += 1;
          }
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
      }
      out[i + 3] = Math.round((a / (n * n)) * 255);
    }
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export function encodePng(rgba: Uint8Array, size: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array()),
  ]);
}

export function toSvg(shapes: Shape[]): string {
  const hex = (c: Rgb) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  const body = shapes
    .map((s) =>
      s.kind === 'circle'
        ? `<circle cx="${s.cx}" cy="${s.cy}" r="${s.r}" fill="${hex(s.color)}"/>`
        : `<rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}"${s.r ? ` rx="${s.r}"` : ''} fill="${hex(s.color)}"/>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">${body}</svg>\n`;
}

const OUTPUTS: Array<{ file: string; size: number; maskable: boolean }> = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'maskable-512.png', size: 512, maskable: true },
  { file: 'apple-touch-icon.png', size: 180, maskable: true },
  { file: 'favicon-32.png', size: 32, maskable: false },
];

export function writeIcons(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const { file, size, maskable } of OUTPUTS) {
    writeFileSync(join(dir, file), encodePng(rasterise(iconShapes(maskable), size), size));
    written.push(file);
  }
  writeFileSync(join(dir, 'icon.svg'), toSvg(iconShapes(false)));
  written.push('icon.svg');
  return written;
}

if (process.argv[1]?.endsWith('make-icons.ts')) {
  const dir = process.argv[2] ?? 'public/icons';
  console.log(`wrote ${writeIcons(dir).join(', ')} to ${dir}`);
}
