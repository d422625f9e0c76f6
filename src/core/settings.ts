// Per-device settings (not agency policy): how this tablet or kiosk looks and what it calls itself.
// They hold no ALPR data, so they are stored in the clear.

export const THEMES = ['day', 'night', 'auto'] as const;
export type Theme = (typeof THEMES)[number];

export const CAMERA_POSITIONS = ['front', 'rear', 'left', 'right', 'fixed'] as const;
export type CameraPosition = (typeof CAMERA_POSITIONS)[number];

/** A camera this unit uses, remembered by the browser's device id. */
export interface CameraSetting {
  deviceId: string;
  name: string;
  position: CameraPosition;
  /** Requested resolution and frame rate (the camera may deliver something else; the patrol screen shows it). */
  width: number;
  height: number;
  fps: number;
}

export interface DeviceSettings {
  theme: Theme;
  /** The unit's name as shown in the status bar and written into reads (e.g. "Unit 12", "Kiosk Main St"). */
  unitName: string;
  cameras: CameraSetting[];
  /** The same plate seen again within this many seconds on one camera is the same vehicle pass. */
  dedupeWindowS: number;
}

export const DEFAULT_DEVICE_SETTINGS: DeviceSettings = {
  theme: 'auto',
  unitName: 'Unassigned unit',
  cameras: [],
  dedupeWindowS: 30,
};

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
const CAMERA_NAME_RE = /^[\p{L}\p{N} .,'()#/-]{1,30}$/u;

function parseCamera(v: unknown, i: number): CameraSetting {
  const field = `cameras[${i}]`;
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new SettingsError(field, 'must be an object');
  const c = v as Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (!['deviceId', 'name', 'position', 'width', 'height', 'fps'].includes(key)) {
      throw new SettingsError(`${field}.${key}`, 'is not a camera setting');
    }
  }
  if (typeof c['deviceId'] !== 'string' || c['deviceId'].length > 200) {
    throw new SettingsError(`${field}.deviceId`, 'must be the browser’s camera id');
  }
  if (typeof c['name'] !== 'string' || !CAMERA_NAME_RE.test(c['name'].trim())) {
    throw new SettingsError(`${field}.name`, 'must be 1–30 letters, digits or spaces');
  }
  if (typeof c['position'] !== 'string' || !(CAMERA_POSITIONS as readonly string[]).includes(c['position'])) {
    throw new SettingsError(`${field}.position`, `must be one of ${CAMERA_POSITIONS.join(', ')}`);
  }
  const int = (key: string, min: number, max: number) => {
    const n = c[key];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      throw new SettingsError(`${field}.${key}`, `must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
  return {
    deviceId: c['deviceId'],
    name: c['name'].trim(),
    position: c['position'] as CameraPosition,
    width: int('width', 160, 3840),
    height: int('height', 120, 2160),
    fps: int('fps', 1, 60),
  };
}

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
      case 'cameras':
        if (!Array.isArray(v) || v.length > 4) throw new SettingsError('cameras', 'list at most 4 cameras');
        out.cameras = v.map(parseCamera);
        if (new Set(out.cameras.map((c) => c.name)).size !== out.cameras.length) {
          throw new SettingsError('cameras', 'each camera needs its own name');
        }
        break;
      case 'dedupeWindowS':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 2 || v > 600) {
          throw new SettingsError('dedupeWindowS', 'must be a whole number of seconds from 2 to 600');
        }
        out.dedupeWindowS = v;
        break;
      default:
        throw new SettingsError(key, 'is not a device setting');
    }
  }
  return out;
}
