import { describe, expect, it } from 'vitest';
import { parseSettingsPatch } from './settings';

describe('device settings', () => {
  it('accepts a theme and a trimmed unit name', () => {
    expect(parseSettingsPatch({ theme: 'night', unitName: '  Unit 12 ' })).toEqual({
      theme: 'night',
      unitName: 'Unit 12',
    });
  });

  it.each([
    [{ theme: 'purple' }, /^theme:/],
    [{ unitName: '<script>alert(1)</script>' }, /^unitName:/],
    [{ unitName: 'x'.repeat(41) }, /^unitName:/],
    [{ unitName: 'a\u0000b' }, /^unitName:/],
    [{ volume: 3 }, /^volume: is not a device setting/],
    [null, /must be an object/],
  ])('rejects %j with a message naming the field', (input, message) => {
    expect(() => parseSettingsPatch(input)).toThrow(message);
  });
});

describe('camera settings', () => {
  const cam = { deviceId: 'abc', name: 'Front', position: 'front', width: 1280, height: 720, fps: 30 };
  it('accepts up to 4 named cameras and a dedupe window', () => {
    expect(
      parseSettingsPatch({
        cameras: [cam, { ...cam, deviceId: 'def', name: 'Rear', position: 'rear' }],
        dedupeWindowS: 20,
      }),
    ).toMatchObject({
      cameras: [{ name: 'Front' }, { name: 'Rear' }],
      dedupeWindowS: 20,
    });
  });
  it.each([
    [{ cameras: [cam, cam] }, /own name/],
    [{ cameras: [{ ...cam, position: 'roof' }] }, /cameras\[0\]\.position/],
    [{ cameras: [{ ...cam, fps: 0 }] }, /cameras\[0\]\.fps/],
    [{ cameras: [{ ...cam, name: '<b>x</b>' }] }, /cameras\[0\]\.name/],
    [{ cameras: [{ ...cam, extra: 1 }] }, /cameras\[0\]\.extra/],
    [{ cameras: Array(5).fill(cam) }, /at most 4/],
    [{ dedupeWindowS: 1 }, /dedupeWindowS/],
  ])('rejects %j', (input, message) => {
    expect(() => parseSettingsPatch(input)).toThrow(message);
  });
});
