// Plate text as the system stores and compares it: uppercase letters and digits only.

export function normalizePlate(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** A plausible US plate: 1–8 letters or digits once normalised. */
export function isPlausiblePlate(text: string): boolean {
  return /^[A-Z0-9]{1,8}$/.test(normalizePlate(text));
}

/**
 * Characters a camera or an officer confuses, each mapped to one representative: O/0/D/Q, I/1/L/T, B/8, S/5, Z/2,
 * G/6. Used by hot-list matching (look-alike tolerance) and by recognition (resolving a character by the plate's
 * pattern).
 */
export const LOOK_ALIKE: Readonly<Record<string, string>> = {
  O: '0',
  D: '0',
  Q: '0',
  I: '1',
  L: '1',
  T: '1',
  B: '8',
  S: '5',
  Z: '2',
  G: '6',
};

/** The plate with every look-alike character replaced by its class representative. */
export function foldPlate(plate: string): string {
  let out = '';
  for (const ch of plate) out += LOOK_ALIKE[ch] ?? ch;
  return out;
}
