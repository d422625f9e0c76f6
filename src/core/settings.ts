// Per-device settings (not agency policy): how this tablet or kiosk looks and what it calls itself.
// They hold no ALPR data, so they are stored in the clear.

export const THEMES = ['day', 'night', 'auto'] as const;
export type Theme = (typeof THEMES)[number];

export interface DeviceSettings {
  theme: Theme;
  /** The unit's name as shown in the status bar and written into reads (e.g. "Unit 12", "Kiosk Main St"). */
  unitName: string;
}

export const DEFAULT_DEVICE_SETTINGS: DeviceSettings = { theme: 'auto', unitName: 'Unassigned unit' };

export class SettingsError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'SettingsError';
  }
}

// Printable characters only: no control characters, no markup brackets (the name is shown and exported).
const UNIT_NAME_RE = /^[\p{L}\p{N} .,'()#/-]{1,40}$/u;

/** Validate a partial update; returns only the fields given, checked. */
export function parseSettingsPatch(value: unknown): Partial<DeviceSettings> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SettingsError('(settings)', 'must be an object');
  }
  const out: Partial<DeviceSettings> = {};
  for (const [key, v] of Object.entries(value)) {
    switch (key) {
      case 'theme':
        if (typeof v !== 'string' || !(THEMES as readonly string[]).includes(v)) {
          throw new SettingsError('theme', `must be one of ${THEMES.join(', ')}`);
        }
        out.theme = v as Theme;
        break;
      case 'unitName':
        if (typeof v !== 'string' || !UNIT_NAME_RE.test(v.trim())) {
          throw new SettingsError('unitName', "must be 1–40 letters, digits, spaces or . , ' ( ) # / -");
        }
        out.unitName = v.trim();
        break;
      default:
        throw new SettingsError(key, 'is not a device setting');
    }
  }
  return out;
}
