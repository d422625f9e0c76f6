import { describe, expect, it } from 'vitest';
import { decodeCentres, overlapOfSmaller, settleScales } from './detections';
import {
  clip,
  expand,
  inputShape,
  iou,
  letterbox,
  nms,
  replicateDraws,
  textTilt,
  toSource,
  touchesEdge,
  type Draw,
} from './geometry';
import { fitsPattern, mergeViews, rankReadings } from './grammar';
import { planar } from './pixels';
import { beamReadings, slotProbabilities, type SlotLayout } from './slots';

describe('planar', () => {
  // Two RGBA pixels: (10, 20, 30) and (200, 150, 100), alpha ignored.
  const rgba = new Uint8ClampedArray([10, 20, 30, 255, 200, 150, 100, 7]);
  it('writes channel planes in the model’s order at an offset', () => {
    const out = new Float32Array(8);
    planar(rgba, out, 2, 2, 'rgb');
    expect([...out]).toEqual([0, 0, 10, 200, 20, 150, 30, 100]);
    planar(rgba, out, 2, 2, 'bgr');
    expect([...out]).toEqual([0, 0, 30, 100, 20, 150, 10, 200]);
  });
  it('refuses sizes that do not fit', () => {
    expect(() => planar(rgba, new Float32Array(5), 0, 2, 'rgb')).toThrow(RangeError);
    expect(() => planar(rgba, new Float32Array(6), 0, 3, 'rgb')).toThrow(RangeError);
  });
});

describe('letterbox', () => {
  it('fits a 1280×720 frame into 512×288 with no padding', () => {
    const lb = letterbox(1280, 720, 512, 288);
    expect(lb.scale).toBeCloseTo(0.4);
    expect(lb.padX).toBeCloseTo(0);
    expect(lb.padY).toBeCloseTo(0);
  });
  it('pads a 4:3 frame left and right and a portrait frame even more', () => {
    const lb = letterbox(640, 480, 512, 288);
    expect(lb.scale).toBeCloseTo(0.6);
    expect(lb.padX).toBeCloseTo((512 - 384) / 2);
    expect(lb.padY).toBeCloseTo(0);
    const portrait = letterbox(918, 1632, 512, 288);
    expect(portrait.height).toBeCloseTo(288);
    expect(portrait.padX).toBeGreaterThan(150);
  });
  it('shapes a detector input like the image, about the nominal pixel count, in multiples of 32', () => {
    expect(inputShape(1280, 720, 1024, 576, 32)).toEqual({ width: 1024, height: 576 });
    expect(inputShape(918, 1632, 1024, 576, 32)).toEqual({ width: 576, height: 1024 });
    expect(inputShape(640, 480, 1024, 576, 32)).toEqual({ width: 896, height: 672 });
    expect(inputShape(640, 480, 512, 288, 32)).toEqual({ width: 448, height: 320 });
    // A very long region: no side beyond the nominal input's longer side, none below one multiple.
    expect(inputShape(4000, 100, 1024, 576, 32)).toEqual({ width: 1024, height: 128 });
    expect(inputShape(100, 100000, 1024, 576, 32)).toEqual({ width: 32, height: 1024 });
    expect(() => inputShape(0, 720, 1024, 576, 32)).toThrow(RangeError);
  });
  it('maps an input box back to source pixels exactly', () => {
    const lb = letterbox(640, 480, 512, 288);
    const src = { x: 100, y: 200, w: 60, h: 30 };
    const input = {
      x: src.x * lb.scale + lb.padX,
      y: src.y * lb.scale + lb.padY,
      w: src.w * lb.scale,
      h: src.h * lb.scale,
    };
    const back = toSource(input, lb);
    expect(back.x).toBeCloseTo(100);
    expect(back.y).toBeCloseTo(200);
    expect(back.w).toBeCloseTo(60);
    expect(back.h).toBeCloseTo(30);
  });
  it('refuses empty sizes', () => {
    expect(() => letterbox(0, 720, 512, 288)).toThrow(/positive/);
  });
});

describe('boxes', () => {
  it('computes IoU', () => {
    expect(iou({ x: 0, y: 0, w: 10, h: 10 }, { x: 0, y: 0, w: 10, h: 10 })).toBe(1);
    expect(iou({ x: 0, y: 0, w: 10, h: 10 }, { x: 5, y: 0, w: 10, h: 10 })).toBeCloseTo(50 / 150);
    expect(iou({ x: 0, y: 0, w: 10, h: 10 }, { x: 20, y: 20, w: 5, h: 5 })).toBe(0);
  });
  it('keeps the best of overlapping boxes and every separate one', () => {
    const kept = nms(
      [
        { x: 0, y: 0, w: 10, h: 10, score: 0.6 },
        { x: 1, y: 1, w: 10, h: 10, score: 0.9 },
        { x: 50, y: 50, w: 10, h: 10, score: 0.3 },
      ],
      0.5,
    );
    expect(kept.map((b) => b.score)).toEqual([0.9, 0.3]);
  });
  it('expands about the centre and clips to the frame', () => {
    const e = expand({ x: 10, y: 10, w: 100, h: 50 }, 0.1, 0.2);
    expect(e).toEqual({ x: 0, y: 0, w: 120, h: 70 });
    expect(clip({ x: -5, y: 90, w: 20, h: 20 }, 100, 100)).toEqual({ x: 0, y: 90, w: 15, h: 10 });
  });
});

describe('touchesEdge', () => {
  it('tells a plate cut by the frame edge from one fully in view', () => {
    expect(touchesEdge({ x: 0, y: 300, w: 80, h: 30 }, 1280, 720)).toBe(true);
    expect(touchesEdge({ x: 1210, y: 300, w: 69, h: 30 }, 1280, 720)).toBe(true);
    expect(touchesEdge({ x: 600, y: 700, w: 80, h: 19 }, 1280, 720)).toBe(true);
    expect(touchesEdge({ x: 600, y: 300, w: 80, h: 30 }, 1280, 720)).toBe(false);
    expect(touchesEdge({ x: 3, y: 3, w: 1273, h: 713 }, 1280, 720)).toBe(false);
  });
});

describe('replicateDraws', () => {
  // A software drawImage (nearest pixel at each destination pixel's centre) over a w×h source of distinct values.
  const render = (draws: Draw[], src: number[][], outW: number, outH: number) => {
    const out = Array.from({ length: outH }, () => Array<number>(outW).fill(-1));
    for (const [sx, sy, sw, sh, dx, dy, dw, dh] of draws) {
      for (let y = 0; y < outH; y++)
        for (let x = 0; x < outW; x++) {
          if (x + 0.5 < dx || x + 0.5 >= dx + dw || y + 0.5 < dy || y + 0.5 >= dy + dh) continue;
          const u = Math.floor(sx + ((x + 0.5 - dx) / dw) * sw);
          const v = Math.floor(sy + ((y + 0.5 - dy) / dh) * sh);
          out[y]![x] = src[v]![u]!;
        }
    }
    return out;
  };
  const src = [
    [0, 1, 2, 3],
    [10, 11, 12, 13],
    [20, 21, 22, 23],
  ];

  it('draws a region inside the source in one draw', () => {
    expect(replicateDraws({ x: 1, y: 0.5, w: 2, h: 2 }, 4, 3, 64, 32)).toEqual([
      [1, 0.5, 2, 2, 0, 0, 64, 32],
    ]);
  });

  it('fills what lies past the edges with the edge pixels, as a replicated border', () => {
    // One pixel past the left and top edges, two past the right, none past the bottom.
    const region = { x: -1, y: -1, w: 7, h: 4 };
    const out = render(replicateDraws(region, 4, 3, 7, 4), src, 7, 4);
    const clamp = (v: number, hi: number) => Math.max(0, Math.min(hi, v));
    const expected = Array.from({ length: 4 }, (_, y) =>
      Array.from({ length: 7 }, (_, x) => src[clamp(y - 1, 2)]![clamp(x - 1, 3)]!),
    );
    expect(out).toEqual(expected);
  });

  it('scales the border with the rest and draws nothing for a region off the source', () => {
    const out = render(replicateDraws({ x: -2, y: 0, w: 6, h: 3 }, 4, 3, 12, 6), src, 12, 6);
    expect(out[0]!.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(out[5]!).toEqual([20, 20, 20, 20, 20, 20, 21, 21, 22, 22, 23, 23]);
    expect(replicateDraws({ x: 5, y: 0, w: 2, h: 2 }, 4, 3, 8, 8)).toEqual([]);
  });
});

describe('decodeCentres', () => {
  const shape = { width: 8, height: 4, stride: 8 };
  const maps = () => {
    const m = new Float32Array(8 * 4 * 5).fill(0);
    m.fill(-10, 0, 32); // centre logits low everywhere
    return m;
  };
  it('finds a peak and decodes its box', () => {
    const m = maps();
    const i = 2 * 8 + 3; // cell (3, 2)
    m[i] = 3;
    m[i - 1] = 1; // a neighbour, lower: not a peak
    m[32 + i] = 0.5; // offset x
    m[64 + i] = 0.25; // offset y
    m[96 + i] = Math.log(4); // width 4 cells
    m[128 + i] = Math.log(2); // height 2 cells
    const found = decodeCentres(m, shape, 0.5);
    expect(found).toHaveLength(1);
    const b = found[0]!;
    expect(b.score).toBeCloseTo(1 / (1 + Math.exp(-3)));
    expect(b.x + b.w / 2).toBeCloseTo(3.5 * 8);
    expect(b.y + b.h / 2).toBeCloseTo(2.25 * 8);
    expect(b.w).toBeCloseTo(32);
    expect(b.h).toBeCloseTo(16);
  });
  it('returns nothing below the threshold and one peak for a plateau', () => {
    const m = maps();
    expect(decodeCentres(m, shape, 0.5)).toEqual([]);
    m[9] = 2;
    m[10] = 2;
    expect(decodeCentres(m, shape, 0.5)).toHaveLength(1);
  });
  it('refuses an output of the wrong size', () => {
    expect(() => decodeCentres(new Float32Array(10), shape, 0.5)).toThrow(/expected 160/);
  });
});

describe('textTilt', () => {
  const W = 128;
  const H = 64;
  const deg = (r: number) => (r * 180) / Math.PI;
  /**
   * A bright plate (a rectangle 2:1 with dark bars across it, as characters) on a dark ground, turned `angle` degrees
   * clockwise, each pixel the mean of 4×4 samples (smooth edges, as a resampled camera image has).
   */
  function turnedPlate(angle: number): Float32Array {
    const a = (angle * Math.PI) / 180;
    const at = (x: number, y: number) => {
      // Into the plate's own frame: turn back by the angle about the centre.
      const dx = x - W / 2;
      const dy = y - H / 2;
      const u = dx * Math.cos(a) + dy * Math.sin(a);
      const v = -dx * Math.sin(a) + dy * Math.cos(a);
      if (Math.abs(u) > 44 || Math.abs(v) > 22) return 40;
      const bar = Math.abs(v) < 12 && Math.abs(u) < 38 && Math.floor((u + 38) / 6) % 2 === 0;
      return bar ? 30 : 220;
    };
    const out = new Float32Array(W * H);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        let sum = 0;
        for (let j = 0; j < 4; j++)
          for (let i = 0; i < 4; i++) sum += at(x + (i + 0.5) / 4, y + (j + 0.5) / 4);
        out[y * W + x] = sum / 16;
      }
    return out;
  }
  it('finds the turn of a plate, either way, clockwise positive', () => {
    for (const angle of [0, 8, 15, -20, 25, -30]) {
      const t = textTilt(turnedPlate(angle), W, H);
      expect(Math.abs(deg(t.angle) - angle), `angle ${angle}`).toBeLessThan(2);
      expect(t.strength).toBeGreaterThan(0.3);
    }
  });
  it('says little for noise or a flat image', () => {
    let seed = 7;
    const noise = Float32Array.from({ length: W * H }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (seed / 2 ** 31) * 255;
    });
    expect(textTilt(noise, W, H).strength).toBeLessThan(0.1);
    expect(textTilt(new Float32Array(W * H).fill(90), W, H)).toEqual({ angle: 0, strength: 0 });
  });
});

describe('settling a still detected at two input sizes', () => {
  // A DC plate at (260, 290) 250×125: the full input boxed its left part, the coarse input all of it.
  const part = { x: 245, y: 316, w: 205, h: 75 };
  const whole = { x: 260, y: 286, w: 263, h: 128 };
  const elsewhere = { x: 900, y: 400, w: 120, h: 60 };
  it('measures overlap against the smaller box', () => {
    expect(overlapOfSmaller(part, whole)).toBeGreaterThan(0.9);
    expect(overlapOfSmaller(whole, part)).toBeCloseTo(overlapOfSmaller(part, whole));
    expect(overlapOfSmaller(part, elsewhere)).toBe(0);
    expect(overlapOfSmaller({ x: 0, y: 0, w: 10, h: 10 }, { x: 5, y: 0, w: 10, h: 10 })).toBeCloseTo(0.5);
    expect(overlapOfSmaller({ x: 0, y: 0, w: 0, h: 10 }, whole)).toBe(0);
  });
  it('keeps the surer reading of one plate seen at both sizes', () => {
    expect(
      settleScales(
        [
          { box: part, confidence: 0.7 },
          { box: elsewhere, confidence: 0.9 },
        ],
        [{ box: whole, confidence: 0.99 }],
      ),
    ).toEqual({ main: [false, true], coarse: [true] });
    expect(settleScales([{ box: part, confidence: 0.99 }], [{ box: whole, confidence: 0.7 }])).toEqual({
      main: [true],
      coarse: [false],
    });
  });
  it('adds a plate only the coarse input found, and never an unread one', () => {
    expect(settleScales([{ box: elsewhere, confidence: null }], [{ box: whole, confidence: 0.4 }])).toEqual({
      main: [true],
      coarse: [true],
    });
    // An unread box at the full input loses to a read one at the coarse; an unread coarse box is dropped.
    expect(settleScales([{ box: part, confidence: null }], [{ box: whole, confidence: 0.2 }])).toEqual({
      main: [false],
      coarse: [true],
    });
    expect(settleScales([{ box: part, confidence: 0.5 }], [{ box: whole, confidence: null }])).toEqual({
      main: [true],
      coarse: [false],
    });
    expect(settleScales([], [])).toEqual({ main: [], coarse: [] });
  });
  it('has a coarse box replace every full-input box it covers when it is surer than all of them', () => {
    const left = { x: 260, y: 300, w: 120, h: 90 };
    const right = { x: 400, y: 300, w: 120, h: 90 };
    const both = [
      { box: left, confidence: 0.6 },
      { box: right, confidence: 0.5 },
    ];
    expect(settleScales(both, [{ box: whole, confidence: 0.8 }])).toEqual({
      main: [false, false],
      coarse: [true],
    });
    expect(settleScales(both, [{ box: whole, confidence: 0.55 }])).toEqual({
      main: [true, true],
      coarse: [false],
    });
  });
});

const CHARSET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const PAD = CHARSET.length;
/** Logits for a reader output where each slot strongly prefers the given classes (with a runner-up). */
function logitsFor(slots: { best: string | null; second?: string | null; gap?: number }[]): Float32Array {
  const classes = CHARSET.length + 1;
  const out = new Float32Array(slots.length * classes).fill(0);
  slots.forEach((s, i) => {
    const idx = (c: string | null | undefined) => (c == null ? PAD : CHARSET.indexOf(c));
    out[i * classes + idx(s.best)] = 10;
    if (s.second !== undefined) out[i * classes + idx(s.second)] = 10 - (s.gap ?? 0.5);
  });
  return out;
}
const layout: SlotLayout = { slots: 8, charset: CHARSET, temperature: 1 };
const plate = (text: string, extra: Record<number, { second: string | null; gap?: number }> = {}) =>
  logitsFor(Array.from({ length: 8 }, (_, i) => ({ best: text[i] ?? null, ...(extra[i] ?? {}) })));

describe('slot decoding', () => {
  it('reads the most probable text and gives per-character probabilities', () => {
    const probs = slotProbabilities(plate('7ABC123'), layout);
    const [top] = beamReadings(probs, CHARSET);
    expect(top!.text).toBe('7ABC123');
    expect(top!.chars).toHaveLength(7);
    expect(top!.chars.every((c) => c > 0.99)).toBe(true);
  });
  it('offers alternates in order of probability', () => {
    const probs = slotProbabilities(plate('7ABC123', { 2: { second: '8', gap: 0.2 } }), layout);
    const readings = beamReadings(probs, CHARSET);
    expect(readings.slice(0, 2).map((r) => r.text)).toEqual(['7ABC123', '7A8C123']);
  });
  it('never places a character after a pad', () => {
    // Slot 3 prefers pad, slot 4 a character: the reading ends at the pad.
    const logits = logitsFor([
      { best: 'A' },
      { best: 'B' },
      { best: 'C' },
      { best: null },
      { best: 'X' },
      { best: null },
      { best: null },
      { best: null },
    ]);
    const readings = beamReadings(slotProbabilities(logits, layout), CHARSET);
    expect(readings.every((r) => !/ABCX/.test(r.text))).toBe(true);
    expect(readings[0]!.text).toBe('ABC');
  });
  it('applies the temperature', () => {
    const hot = slotProbabilities(plate('AB'), { ...layout, temperature: 5 });
    const cold = slotProbabilities(plate('AB'), layout);
    expect(hot[0]![CHARSET.indexOf('A')]!).toBeLessThan(cold[0]![CHARSET.indexOf('A')]!);
  });
});

describe('plate grammar', () => {
  it.each([
    ['7ABC123', 'CA', true],
    ['ABC123', 'CA', true],
    ['123ABC', 'CA', true],
    ['4A12345', 'CA', true],
    // California's series after 9ZZZ999 (reversed) and its reversed commercial series
    ['123ABC4', 'CA', true],
    ['123ABC4', null, true],
    ['59321P1', 'CA', true],
    ['1234ABC', 'CA', false],
    ['IABC123', 'CA', false],
    ['ABC1234', 'TX', true],
    ['ABC1234', null, true],
    ['GOBEARS', null, false],
    ['MJ3R1V', null, true],
  ])('%s in %s fits: %s', (text, state, fits) => {
    expect(fitsPattern(text, state)).toBe(fits);
  });

  const reading = (text: string, p: number) => ({ text, logp: Math.log(p), chars: [...text].map(() => 0.9) });

  it.each([
    // I/1 in the first place of a California passenger plate
    [['IABC123', '1ABC123'], [0.5, 0.4], '1ABC123'],
    // O/0 in the serial's digits
    [['7ABCO23', '7ABC023'], [0.55, 0.35], '7ABC023'],
    // 8/B in the letters
    [['7A8C123', '7ABC123'], [0.6, 0.3], '7ABC123'],
    // S/5, Z/2, G/6
    [['7ABC1S3', '7ABC153'], [0.5, 0.4], '7ABC153'],
    [['Z7ABC12', '27ABC12'], [0.6, 0.2], 'Z7ABC12'],
    // Missouri's AB1C2D: the I between letters is a 1 there
    [['MJ3RIV', 'MJ3R1V'], [0.5, 0.4], 'MJ3R1V'],
    // California's 123ABC4: its last place is a digit, though the letter variant fits the common shape 123ABCD
    [['123ABC1', '123ABCI'], [0.5, 0.4], '123ABC1'],
    [['482KTR8', '482KTRB'], [0.45, 0.4], '482KTR8'],
    [['593Z1P1', '59321P1'], [0.5, 0.4], '59321P1'],
    // Read 11 times more surely as a letter is not sure enough (the odds are 16 to 1)
    [['IAMW240', '1AMW240'], [0.55, 0.05], '1AMW240'],
  ] as const)('resolves %j by pattern', (texts, ps, winner) => {
    const ranked = rankReadings(texts.map((t, i) => reading(t, ps[i]!)));
    expect(ranked[0]!.text).toBe(winner);
  });

  it('moves probability only between look-alike variants, never to another reading', () => {
    const ranked = rankReadings([reading('IAMW240', 0.3), reading('AMW240', 0.35), reading('1AMW240', 0.2)]);
    expect(ranked.map((r) => r.text)).toEqual(['1AMW240', 'AMW240', 'IAMW240']);
    // The variants keep the 0.5 the reader gave them between them; AMW240 keeps its 0.35 (of 1, with 0.15 unread).
    expect(ranked[0]!.confidence + ranked[2]!.confidence).toBeCloseTo(0.5);
    expect(ranked[0]!.confidence).toBeCloseTo((0.5 * 0.2) / (0.2 + 0.3 / 16));
    expect(ranked[1]!.confidence).toBeCloseTo(0.35);
  });

  it('keeps a vanity plate that no look-alike variant explains', () => {
    const ranked = rankReadings([reading('GOBEARS', 0.7), reading('7ABC123', 0.2)]);
    expect(ranked[0]!.text).toBe('GOBEARS');
  });
  it('leaves a reading far more probable than its pattern-fitting variant in first place', () => {
    const ranked = rankReadings([reading('IABC123', 0.95), reading('1ABC123', 0.01)]);
    expect(ranked[0]!.text).toBe('IABC123');
  });
  it('drops readings too short or too long to be plates and keeps probabilities honest', () => {
    const ranked = rankReadings([reading('A', 0.5), reading('7ABC123', 0.3)]);
    expect(ranked.map((r) => r.text)).toEqual(['7ABC123']);
    expect(ranked[0]!.confidence).toBeCloseTo(0.3 / (0.3 + 0.5 + 0.2));
  });
});

describe('reading a plate in several framings', () => {
  const r = (text: string, confidence: number) => ({
    text,
    confidence,
    chars: [...text].map(() => confidence),
  });

  it('prefers the reading the views agree on over one view’s doubled last character', () => {
    const merged = mergeViews([
      [r('TTP4888', 0.5), r('TTP488', 0.3)],
      [r('TTP488', 0.7), r('TTP4888', 0.1)],
      [r('TTP488', 0.6)],
    ]);
    expect(merged[0]!.text).toBe('TTP488');
    expect(merged[0]!.confidence).toBeCloseTo((0.3 + 0.7 + 0.6) / 3);
    expect(merged[1]!.text).toBe('TTP4888');
    expect(merged[1]!.confidence).toBeCloseTo(0.2);
  });

  it('leaves a single view as it is', () => {
    expect(mergeViews([[r('7ABC123', 0.9), r('7A8C123', 0.05)]]).map((x) => x.text)).toEqual([
      '7ABC123',
      '7A8C123',
    ]);
  });
});

describe('doubled characters', () => {
  const reading = (text: string, p: number) => ({ text, logp: Math.log(p), chars: [...text].map(() => p) });

  it('prefer the reading without the double when both are candidates', () => {
    expect(rankReadings([reading('FNY8811', 0.4), reading('FNY881', 0.2)])[0]!.text).toBe('FNY881');
  });

  it('keep a double the reader is sure of, and one with no undoubled rival', () => {
    expect(rankReadings([reading('7ABB123', 0.9), reading('7AB123', 0.05)])[0]!.text).toBe('7ABB123');
    expect(rankReadings([reading('7ABB123', 0.4), reading('7ABC123', 0.3)])[0]!.text).toBe('7ABB123');
  });

  it('reads a round character as a zero when the reader hesitates, and keeps a sure or unrivalled O', () => {
    expect(rankReadings([reading('MO000SE', 0.5), reading('M0000SE', 0.3)])[0]!.text).toBe('M0000SE');
    // Read 6 times more surely as O is not sure enough (the odds are 17 to 1).
    expect(rankReadings([reading('CHOP8Y', 0.6), reading('CH0P8Y', 0.1)])[0]!.text).toBe('CH0P8Y');
    expect(rankReadings([reading('COUGAR', 0.95), reading('C0UGAR', 0.03)])[0]!.text).toBe('COUGAR');
    expect(rankReadings([reading('NOX218', 0.9), reading('N0X218', 0.03)])[0]!.text).toBe('NOX218');
    // With no zero among the candidates, an O is not held against the reading.
    const alone = rankReadings([reading('GOBEARS', 0.6), reading('GOBEARZ', 0.2)]);
    expect(alone[0]!.confidence).toBeCloseTo(0.6);
  });

  it('reads a 1 between letters as an I when the reader hesitates, and keeps a 1 beside a digit or a sure one', () => {
    expect(rankReadings([reading('NTGU1LTY', 0.5), reading('NTGUILTY', 0.45)])[0]!.text).toBe('NTGUILTY');
    expect(rankReadings([reading('REB1Z', 0.55), reading('REBIZ', 0.4)])[0]!.text).toBe('REBIZ');
    // Beside a digit, or at either end, a 1 is held to nothing.
    expect(rankReadings([reading('7AB1234', 0.5), reading('7ABI234', 0.45)])[0]!.text).toBe('7AB1234');
    expect(rankReadings([reading('ABC1', 0.5), reading('ABCI', 0.45)])[0]!.text).toBe('ABC1');
    // A sure 1 stays, and so does one with no I among the candidates.
    expect(rankReadings([reading('QU1LLS', 0.9), reading('QUILLS', 0.05)])[0]!.text).toBe('QU1LLS');
    expect(rankReadings([reading('AB1CD', 0.6), reading('AB7CD', 0.2)])[0]!.confidence).toBeCloseTo(0.6);
  });

  it('reads a long plate without a first 1 or I when the reader hesitates: the left border is a stroke', () => {
    expect(rankReadings([reading('16RJN062', 0.6), reading('6RJN062', 0.15)])[0]!.text).toBe('6RJN062');
    expect(rankReadings([reading('I6RJN062', 0.6), reading('6RJN062', 0.15)])[0]!.text).toBe('6RJN062');
    // A sure one stays; so do other long plates, and a first 1 in a plate of usual length.
    expect(rankReadings([reading('16RJN062', 0.95), reading('6RJN062', 0.02)])[0]!.text).toBe('16RJN062');
    expect(rankReadings([reading('NTGUILTY', 0.6), reading('NTGULTY', 0.15)])[0]!.text).toBe('NTGUILTY');
    expect(rankReadings([reading('1AMW240', 0.6), reading('AMW240', 0.15)])[0]!.text).toBe('1AMW240');
  });

  describe('edge marks (sequence readers)', () => {
    const unsureFirst = (text: string, p: number, first: number) => ({
      text,
      logp: Math.log(p),
      chars: [...text].map((_, i) => (i === 0 ? first : 0.99)),
    });
    const ctc = { slotDoubles: false, edgeMarks: true };

    it('reads a plate without a first character the reader could not name', () => {
      const ranked = rankReadings(
        [unsureFirst('8AA974', 0.42, 0.42), unsureFirst('3AA974', 0.24, 0.24)],
        null,
        ctc,
      );
      expect(ranked[0]!.text).toBe('AA974');
      // Both readings were the same mark: their probabilities add up.
      expect(ranked[0]!.confidence).toBeCloseTo(0.66);
      expect(ranked[0]!.chars).toHaveLength(5);
      expect(ranked.map((r) => r.text)).toEqual(['AA974']);
    });

    it('merges a trimmed reading with the same text read without the mark', () => {
      const ranked = rankReadings(
        [unsureFirst('1824BOJ', 0.19, 0.3), unsureFirst('824BOJ', 0.18, 0.99)],
        null,
        ctc,
      );
      expect(ranked[0]!.text).toBe('824BOJ');
      expect(ranked[0]!.confidence).toBeCloseTo(0.37);
    });

    it('keeps a first character read surely, a short plate whole and a California passenger plate', () => {
      expect(rankReadings([unsureFirst('6HP7562', 0.8, 0.76)], null, ctc)[0]!.text).toBe('6HP7562');
      expect(rankReadings([unsureFirst('E026', 0.8, 0.3)], null, ctc)[0]!.text).toBe('E026');
      expect(rankReadings([unsureFirst('6PGM335', 0.8, 0.5)], null, ctc)[0]!.text).toBe('6PGM335');
      expect(rankReadings([unsureFirst('482KTR8', 0.8, 0.5)], null, ctc)[0]!.text).toBe('482KTR8');
    });

    it('is off unless asked for (slot readers)', () => {
      expect(rankReadings([unsureFirst('8AA974', 0.42, 0.42)])[0]!.text).toBe('8AA974');
    });
  });
});
