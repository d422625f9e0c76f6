// The agency policy document: one versioned, validated JSON document holding every setting the system enforces.
// Invariant: code never reads a raw document; it goes through validatePolicy/parsePolicy first, which rejects
// unknown fields, out-of-range values and any attempt to switch off a statutory safeguard (SB 34, POLICY.md).

export const POLICY_SCHEMA_VERSION = 1;

export interface PurposeCategory {
  /** Stable id stored with every access-log entry. */
  id: string;
  label: string;
}

export interface AgencyPolicy {
  schemaVersion: typeof POLICY_SCHEMA_VERSION;
  /** The agency's revision of its policy; users acknowledge a revision. Increases with every change. */
  revision: number;
  /** ISO date (YYYY-MM-DD) the revision takes effect. */
  effectiveFrom: string;
  /** ISO date of the last review; the policy is reviewed at least every `reviewIntervalDays`. */
  reviewedOn: string;
  reviewIntervalDays: number;
  retention: {
    /** Reads that never matched a hot list. */
    nonHitReadDays: number;
    /** Reads that produced a hit, with the hit and its verification record. */
    hitReadDays: number;
    /** Reads linked to an investigation (case number recorded). */
    investigationLinkedDays: number;
    /** Downloaded, printed or shared copies are destroyed within this period. */
    sharedCopyDays: number;
    /** The tamper-evident access log. At least three years. */
    accessLogDays: number;
    /** Audit reports and their working papers. At least three years. */
    auditRecordDays: number;
  };
  training: {
    /** Training older than this blocks all use until renewed. */
    intervalDays: number;
  };
  accounts: {
    /** An account unused this long is suspended. */
    inactivitySuspendDays: number;
    /** Every user's authorization is reviewed this often. */
    approvalReviewDays: number;
  };
  signIn: {
    /** Failed attempts before the account locks until an administrator unlocks it. */
    maxFailedAttempts: number;
    /** Minutes without interaction before the screen locks. */
    idleLockMinutes: number;
    minPasswordLength: number;
  };
  purpose: {
    /** Categories a user picks from; each look at stored data also needs a specific reference. */
    categories: PurposeCategory[];
    /** Minimum length of the reference (case/incident number or a suspect's last name). */
    minReferenceLength: number;
    /** The agency's case/incident number format, as a regular expression matched against the whole reference. */
    caseNumberPattern: string;
    /** Words that are not a purpose on their own (e.g. "investigation"). Added to the statutory list. */
    vagueTerms: string[];
    /** Stated purposes containing these are refused. Added to the statutory list. */
    prohibitedTerms: string[];
  };
  hotLists: {
    /** General lists (SVS, SFR, SLR…) older than this are stale. At most 24 hours. */
    refreshIntervalHours: number;
    /** Locally entered plates expire after at most this many days. */
    localEntryMaxDays: number;
    /** Hot-list versions and expired local entries are deleted after this period. */
    retentionDays: number;
  };
  sharing: {
    /** Kinds of California public agency data may be shared with. Nothing outside California, ever. */
    allowedRecipientKinds: RecipientKind[];
    /** Shared data must be destroyed by the recipient within this period, stated on every release. */
    recipientRetentionDays: number;
  };
  audit: {
    /** Searches are audited at least this often. */
    intervalDays: number;
    /** Searches sampled per audit. */
    sampleSize: number;
  };
}

/** California public agencies (Civil Code § 1798.90.5(f)). Federal, out-of-state and private bodies are not. */
export const RECIPIENT_KINDS = [
  'ca-state-agency',
  'ca-county-agency',
  'ca-city-agency',
  'ca-special-district',
] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

/**
 * Purposes that can never be stated, whatever an agency configures (POLICY.md §2, §6). Matched as whole words or
 * phrases, case-insensitively; a trailing `*` matches any ending (`deport*` matches "deportation").
 */
export const STATUTORY_PROHIBITED_TERMS: readonly string[] = [
  'immigration',
  'immigrant*',
  'deport*',
  'undocumented',
  'illegal alien*',
  'visa status',
  'ICE hold',
  'personal use',
  'personal reason*',
  'personal matter*',
  'harass*',
  'intimidat*',
  'first amendment',
  'protest monitoring',
  'monitor* protest*',
  'political affiliation',
  'religious affiliation',
  'sexual orientation',
  'gender identity',
  'national origin',
  'nationality',
  'ethnicity',
  'racial profil*',
];

/** Words that never make a purpose on their own (POLICY.md §3, §8). */
export const STATUTORY_VAGUE_TERMS: readonly string[] = [
  'investigation',
  'inv',
  'invest',
  'criminal investigation',
  'law enforcement',
  'le',
  'official',
  'official business',
  'official use',
  'police business',
  'patrol',
  'test',
  'testing',
  'n/a',
  'na',
  'none',
  'misc',
  'miscellaneous',
  'other',
  'general',
  'check',
  'query',
  'search',
  'info',
  'unknown',
];

export const DEFAULT_POLICY: AgencyPolicy = {
  schemaVersion: POLICY_SCHEMA_VERSION,
  revision: 1,
  effectiveFrom: '2026-01-01',
  reviewedOn: '2026-01-01',
  reviewIntervalDays: 365,
  retention: {
    nonHitReadDays: 365,
    hitReadDays: 730,
    investigationLinkedDays: 1825,
    sharedCopyDays: 30,
    accessLogDays: 1095,
    auditRecordDays: 1095,
  },
  training: { intervalDays: 730 },
  accounts: { inactivitySuspendDays: 365, approvalReviewDays: 365 },
  signIn: { maxFailedAttempts: 5, idleLockMinutes: 15, minPasswordLength: 12 },
  purpose: {
    categories: [
      { id: 'criminal-investigation', label: 'Criminal investigation' },
      { id: 'stolen-vehicle', label: 'Locating a stolen vehicle or plate' },
      { id: 'wanted-person', label: 'Locating a wanted person' },
      { id: 'missing-person', label: 'Missing person / Amber / Silver alert' },
      { id: 'major-crime-canvass', label: 'Canvass around a major crime' },
      { id: 'hit-verification', label: 'Verifying a hit' },
      { id: 'audit', label: 'Compliance audit' },
      { id: 'court-order', label: 'Court order or discovery' },
    ],
    minReferenceLength: 3,
    // e.g. 24-012345, 2024-0012345, SO24-01234 (the dash keeps it apart from licence and SSN formats)
    caseNumberPattern: '[A-Z]{0,4}[0-9]{2,4}-[0-9]{3,8}',
    vagueTerms: [],
    prohibitedTerms: [],
  },
  hotLists: { refreshIntervalHours: 24, localEntryMaxDays: 30, retentionDays: 30 },
  sharing: { allowedRecipientKinds: [...RECIPIENT_KINDS], recipientRetentionDays: 30 },
  audit: { intervalDays: 90, sampleSize: 25 },
};

export interface PolicyIssue {
  /** Dotted path of the offending field, e.g. `retention.nonHitReadDays`. */
  path: string;
  message: string;
}

export type PolicyResult = { ok: true; policy: AgencyPolicy } | { ok: false; issues: PolicyIssue[] };

export class PolicyValidationError extends Error {
  constructor(readonly issues: PolicyIssue[]) {
    super(`Invalid agency policy: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'PolicyValidationError';
  }
}

// ---- a small, strict structural validator -------------------------------------------------------------------

type Check = (value: unknown, path: string, issues: PolicyIssue[]) => void;

const describe = (v: unknown): string =>
  v === undefined
    ? 'nothing'
    : typeof v === 'string'
      ? JSON.stringify(v)
      : Array.isArray(v)
        ? 'a list'
        : String(v);

const int =
  (min: number, max: number, why = ''): Check =>
  (v, path, issues) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      issues.push({
        path,
        message: `must be a whole number from ${min} to ${max}${why ? ` (${why})` : ''}; got ${describe(v)}`,
      });
    }
  };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isoDate: Check = (v, path, issues) => {
  if (typeof v !== 'string' || !ISO_DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) {
    issues.push({ path, message: `must be a date written YYYY-MM-DD; got ${describe(v)}` });
  } else if (new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v) {
    issues.push({ path, message: `is not a real calendar date: ${v}` });
  }
};

const text =
  (minLen: number, maxLen: number): Check =>
  (v, path, issues) => {
    if (typeof v !== 'string' || v.trim().length < minLen || v.length > maxLen) {
      issues.push({ path, message: `must be text of ${minLen} to ${maxLen} characters; got ${describe(v)}` });
    }
  };

const list =
  (item: Check, minItems: number, maxItems: number, unique?: (v: unknown) => unknown): Check =>
  (v, path, issues) => {
    if (!Array.isArray(v)) {
      issues.push({ path, message: `must be a list; got ${describe(v)}` });
      return;
    }
    if (v.length < minItems || v.length > maxItems) {
      issues.push({ path, message: `must hold ${minItems} to ${maxItems} items; has ${v.length}` });
    }
    const seen = new Set<unknown>();
    v.forEach((el, i) => {
      item(el, `${path}[${i}]`, issues);
      if (unique) {
        const key = unique(el);
        if (seen.has(key)) issues.push({ path: `${path}[${i}]`, message: `repeats ${describe(key)}` });
        seen.add(key);
      }
    });
  };

const oneOf =
  (allowed: readonly string[], why: string): Check =>
  (v, path, issues) => {
    if (typeof v !== 'string' || !allowed.includes(v)) {
      issues.push({ path, message: `must be one of ${allowed.join(', ')} (${why}); got ${describe(v)}` });
    }
  };

const exactly =
  (expected: unknown, message: string): Check =>
  (v, path, issues) => {
    if (v !== expected) issues.push({ path, message: `${message}; got ${describe(v)}` });
  };

const object =
  (shape: Record<string, Check>): Check =>
  (v, path, issues) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      issues.push({ path: path || '(document)', message: `must be an object; got ${describe(v)}` });
      return;
    }
    const rec = v as Record<string, unknown>;
    for (const [key, check] of Object.entries(shape)) {
      const p = path ? `${path}.${key}` : key;
      if (!(key in rec)) issues.push({ path: p, message: 'is missing' });
      else check(rec[key], p, issues);
    }
    for (const key of Object.keys(rec)) {
      if (!(key in shape))
        issues.push({ path: path ? `${path}.${key}` : key, message: 'is not a known setting' });
    }
  };

const ID = /^[a-z][a-z0-9-]{1,39}$/;
const purposeCategory = object({
  id: (v, path, issues) => {
    if (typeof v !== 'string' || !ID.test(v)) {
      issues.push({ path, message: `must be a short lowercase id (a-z, 0-9, -); got ${describe(v)}` });
    }
  },
  label: text(3, 80),
});

const term = text(2, 60);

const policyShape = object({
  schemaVersion: exactly(
    POLICY_SCHEMA_VERSION,
    `must be ${POLICY_SCHEMA_VERSION} (the version this app reads)`,
  ),
  revision: int(1, 1_000_000),
  effectiveFrom: isoDate,
  reviewedOn: isoDate,
  reviewIntervalDays: int(30, 365, 'reviewed at least every 12 months'),
  retention: object({
    nonHitReadDays: int(1, 730, 'non-hit reads are kept at most 2 years'),
    hitReadDays: int(1, 1825),
    investigationLinkedDays: int(1, 1825, 'at most 5 years'),
    sharedCopyDays: int(1, 365),
    accessLogDays: int(1095, 3650, 'access records are kept at least 3 years'),
    auditRecordDays: int(1095, 3650, 'audit documents are kept at least 3 years'),
  }),
  training: object({ intervalDays: int(30, 730, 'training is renewed at least every 2 years') }),
  accounts: object({
    inactivitySuspendDays: int(1, 365, 'unused accounts are suspended within 12 months'),
    approvalReviewDays: int(1, 365, 'approvals are reviewed at least annually'),
  }),
  signIn: object({
    maxFailedAttempts: int(3, 10),
    idleLockMinutes: int(1, 60),
    minPasswordLength: int(8, 128),
  }),
  purpose: object({
    categories: list(purposeCategory, 1, 50, (c) => (c as { id?: unknown } | null)?.id),
    minReferenceLength: int(3, 40),
    caseNumberPattern: (v, path, issues) => {
      if (typeof v !== 'string' || v.length < 1 || v.length > 200) {
        issues.push({
          path,
          message: `must be a regular expression of 1 to 200 characters; got ${describe(v)}`,
        });
        return;
      }
      let re: RegExp;
      try {
        re = new RegExp(`^(?:${v})$`);
      } catch (e) {
        issues.push({ path, message: `is not a valid regular expression: ${(e as Error).message}` });
        return;
      }
      if (re.test('')) issues.push({ path, message: 'must not accept an empty case number' });
    },
    vagueTerms: list(term, 0, 200, (t) => t),
    prohibitedTerms: list(term, 0, 200, (t) => t),
  }),
  hotLists: object({
    refreshIntervalHours: int(1, 24, 'general lists are refreshed at least daily'),
    localEntryMaxDays: int(1, 365),
    retentionDays: int(1, 3650),
  }),
  sharing: object({
    allowedRecipientKinds: list(
      oneOf(RECIPIENT_KINDS, 'only California public agencies'),
      0,
      RECIPIENT_KINDS.length,
      (k) => k,
    ),
    recipientRetentionDays: int(1, 365),
  }),
  audit: object({
    intervalDays: int(30, 365, 'audits run at least annually'),
    sampleSize: int(1, 10_000),
  }),
});

/** Cross-field rules the structure alone cannot express. */
function crossChecks(p: AgencyPolicy, issues: PolicyIssue[]): void {
  if (p.retention.hitReadDays < p.retention.nonHitReadDays) {
    issues.push({
      path: 'retention.hitReadDays',
      message: `must not be shorter than retention.nonHitReadDays (${p.retention.nonHitReadDays})`,
    });
  }
  if (p.retention.investigationLinkedDays < p.retention.hitReadDays) {
    issues.push({
      path: 'retention.investigationLinkedDays',
      message: `must not be shorter than retention.hitReadDays (${p.retention.hitReadDays})`,
    });
  }
}

/** Validate an untrusted value (parsed JSON) as an agency policy. Never throws. */
export function validatePolicy(value: unknown): PolicyResult {
  const issues: PolicyIssue[] = [];
  if (typeof value === 'object' && value !== null && 'schemaVersion' in value) {
    const sv = (value as { schemaVersion: unknown }).schemaVersion;
    if (sv !== POLICY_SCHEMA_VERSION) {
      return {
        ok: false,
        issues: [
          {
            path: 'schemaVersion',
            message: `this app reads policy schema ${POLICY_SCHEMA_VERSION}; got ${describe(sv)}`,
          },
        ],
      };
    }
  }
  policyShape(value, '', issues);
  if (issues.length === 0) crossChecks(value as AgencyPolicy, issues);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, policy: structuredCloneJson(value as AgencyPolicy) };
}

/** Validate or throw a PolicyValidationError whose message names every offending field. */
export function parsePolicy(value: unknown): AgencyPolicy {
  const result = validatePolicy(value);
  if (!result.ok) throw new PolicyValidationError(result.issues);
  return result.policy;
}

/** Parse policy JSON text (e.g. a file an administrator picked). */
export function parsePolicyJson(json: string): AgencyPolicy {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw new PolicyValidationError([
      { path: '(document)', message: `is not valid JSON: ${(e as Error).message}` },
    ]);
  }
  return parsePolicy(value);
}

function structuredCloneJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
