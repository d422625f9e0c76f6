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
