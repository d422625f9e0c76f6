// Small validators for handler inputs. Each throws BadInputError naming the field, so the UI can say exactly what
// to fix. Text is trimmed and refused if it holds control characters or markup brackets.
import { BadInputError, objectInput } from './registry';

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f<>\u202a-\u202e\u2066-\u2069]/;

export interface TextRule {
  min?: number;
  max: number;
  pattern?: RegExp;
  /** What the pattern means, for the error message. */
  patternHint?: string;
  /** Keep inner whitespace and do not trim (passwords). */
  raw?: boolean;
}

export function text(o: Record<string, unknown>, key: string, rule: TextRule): string {
  const v = o[key];
  if (typeof v !== 'string') throw new BadInputError(`${key} is required`);
  const s = rule.raw ? v : v.trim();
  const min = rule.min ?? 1;
  if (s.length < min || s.length > rule.max) {
    throw new BadInputError(`${key} must be ${min}–${rule.max} characters`);
  }
  if (!rule.raw && UNSAFE.test(s)) throw new BadInputError(`${key} contains characters that are not allowed`);
  if (rule.pattern && !rule.pattern.test(s))
    throw new BadInputError(`${key} ${rule.patternHint ?? 'has the wrong format'}`);
  return s;
}

export function optionalText(o: Record<string, unknown>, key: string, rule: TextRule): string | null {
  return o[key] === undefined || o[key] === null || o[key] === '' ? null : text(o, key, rule);
}

export function timestamp(o: Record<string, unknown>, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < Date.UTC(1990, 0, 1) || v > Date.UTC(2200, 0, 1)) {
    throw new BadInputError(`${key} must be a date`);
  }
  return Math.trunc(v);
}

export function oneOfList<T extends string>(
  o: Record<string, unknown>,
  key: string,
  allowed: readonly T[],
  min = 1,
): T[] {
  const v = o[key];
  if (!Array.isArray(v) || v.length < min) throw new BadInputError(`${key} must list at least ${min}`);
  for (const item of v) {
    if (!allowed.includes(item as T))
      throw new BadInputError(`${key}: unknown value ${JSON.stringify(item)}`);
  }
  return [...new Set(v as T[])];
}

export function fields(input: unknown, allowed: readonly string[]): Record<string, unknown> {
  return objectInput(input, allowed);
}

export const USERNAME: TextRule = {
  min: 3,
  max: 32,
  pattern: /^[a-z0-9][a-z0-9._-]*$/,
  patternHint: 'may hold only a-z, 0-9, . _ -',
};
export const PERSON_NAME: TextRule = {
  min: 2,
  max: 80,
  pattern: /^[\p{L}\p{M}' .-]+$/u,
  patternHint: "may hold only letters, spaces and . ' -",
};
export const JOB_TITLE: TextRule = { min: 2, max: 80 };
export const PASSWORD: TextRule = { min: 1, max: 256, raw: true };
export const TOTP_CODE: TextRule = {
  min: 6,
  max: 8,
  pattern: /^\d{6,8}$/,
  patternHint: 'must be the 6-digit code from the authenticator app',
};
export const ID: TextRule = {
  min: 26,
  max: 26,
  pattern: /^[0-9A-HJKMNP-TV-Z]{26}$/,
  patternHint: 'is not a record id',
};
