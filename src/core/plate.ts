// Plate text as the system stores and compares it: uppercase letters and digits only.
// (Look-alike folding and state formats arrive with recognition and hot lists.)

export function normalizePlate(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** A plausible US plate: 1–8 letters or digits once normalised. */
export function isPlausiblePlate(text: string): boolean {
  return /^[A-Z0-9]{1,8}$/.test(normalizePlate(text));
}
