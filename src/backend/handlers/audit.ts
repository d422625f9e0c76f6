// The auditor's view of the access log: filter (a look at stored data, so it needs a purpose), verify the chain,
// export CSV or JSON with the chain proof. There is no handler that edits or deletes an entry.
import type { VerifyResult } from '../../core/audit/chain';
import type { PurposeInput } from '../../core/security/purpose';
import type { OpenedEntry } from '../../store/accessLog';
import type { BackendContext } from '../context';
import { signedIn } from '../guard';
import { fields, optionalText } from '../input';
import { BadInputError, HandlerError, noInput, type HandlerDef } from '../registry';

export interface AuditFilter {
  username: string | null;
  action: string | null;
  plate: string | null;
  from: number | null;
  to: number | null;
}

interface FilteredInput {
  purpose: PurposeInput;
  filter: AuditFilter;
}

function parseFilter(value: unknown): AuditFilter {
  const o = fields(value ?? {}, ['username', 'action', 'plate', 'from', 'to']);
  const time = (key: string) => {
    const v = o[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new BadInputError(`filter.${key} must be a time`);
    return v;
  };
  return {
    username: optionalText(o, 'username', { max: 64 })?.toLowerCase() ?? null,
    action: optionalText(o, 'action', { max: 64 }),
    plate:
      optionalText(o, 'plate', {
        max: 10,
        pattern: /^[A-Za-z0-9]+$/,
        patternHint: 'must be letters and digits',
      })?.toUpperCase() ?? null,
    from: time('from'),
    to: time('to'),
  };
}

function parseFiltered(input: unknown, extra: string[] = []): FilteredInput & Record<string, unknown> {
  const o = fields(input, ['purpose', 'filter', ...extra]);
  return { ...o, purpose: o['purpose'] as PurposeInput, filter: parseFilter(o['filter']) };
}

function matches(e: OpenedEntry, f: AuditFilter): boolean {
  if (f.username && e.username !== f.username) return false;
  if (f.action && !e.action.startsWith(f.action)) return false;
  if (f.from !== null && e.at < f.from) return false;
  if (f.to !== null && e.at > f.to) return false;
  if (f.plate) {
    const values = Object.values(e.terms ?? {}).map((v) => v.toUpperCase().replace(/[^A-Z0-9*?]/g, ''));
    if (!values.some((v) => v.includes(f.plate!))) return false;
  }
  return true;
}

const filterTerms = ({ filter }: FilteredInput): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(filter)) if (v !== null) out[k] = String(v);
  return out;
};

async function filtered(ctx: BackendContext, filter: AuditFilter): Promise<OpenedEntry[]> {
  const all = await ctx.log.entries(signedIn(ctx).keys, filter.from ?? 0);
  return all.filter((e) => matches(e, filter));
}

const entries: HandlerDef<FilteredInput, OpenedEntry[], BackendContext> = {
  access: { permission: 'audit.view', purpose: true },
  parse: (input) => parseFiltered(input),
  run: (ctx, { filter }) => filtered(ctx, filter),
  audit: { terms: filterTerms, count: (out) => out.length },
};

const verify: HandlerDef<Record<string, never>, VerifyResult, BackendContext> = {
  access: { permission: 'audit.verify' },
  parse: noInput,
  async run(ctx) {
    if (!ctx.vault) throw new HandlerError('conflict', 'This unit is not set up yet.');
    return ctx.log.verify(ctx.vault);
  },
  audit: { count: (r) => (r.ok ? r.count : r.checked) },
};

export interface AuditExport {
  filename: string;
  mime: string;
  content: string;
}

const b64 = (buf: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(buf)));
const CSV_COLUMNS = [
  'seq',
  'time',
  'username',
  'agency',
  'action',
  'outcome',
  'terms',
  'purposeCategory',
  'purposeReference',
  'caseNumber',
  'resultCount',
  'detail',
  'hash',
] as const;

/** A CSV field: quoted, and neutralised against spreadsheet formula injection (a hostile plate or note). */
function csvField(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

const exportLog: HandlerDef<FilteredInput & { format: 'csv' | 'json' }, AuditExport, BackendContext> = {
  access: { permission: 'audit.verify', purpose: true },
  parse(input) {
    const p = parseFiltered(input, ['format']);
    if (p['format'] !== 'csv' && p['format'] !== 'json')
      throw new BadInputError('format must be csv or json');
    return { purpose: p.purpose, filter: p.filter, format: p['format'] };
  },
  async run(ctx, { filter, format }) {
    if (!ctx.vault) throw new HandlerError('conflict', 'This unit is not set up yet.');
    const rows = await filtered(ctx, filter);
    const verification = await ctx.log.verify(ctx.vault);
    const proof = await ctx.log.proof();
    const sig = (c: { seq: number; hash: string; signature: ArrayBuffer } | null) =>
      c ? { seq: c.seq, hash: c.hash, signature: b64(c.signature) } : null;
    const chainProof = {
      deviceId: ctx.device.deviceId,
      algorithm:
        'SHA-256 chain; ECDSA P-256 (SHA-256) checkpoints over "alpr-log-checkpoint-v1|device|seq|hash"',
      publicKey: await crypto.subtle.exportKey('jwk', ctx.vault.logVerifyKey),
      head: sig(proof.head),
      anchor: sig(proof.anchor),
      checkpoints: proof.checkpoints.map(sig),
      verification,
    };
    const stamp = new Date(ctx.now()).toISOString().replace(/[:.]/g, '-');
    if (format === 'json') {
      return {
        filename: `access-log-${stamp}.json`,
        mime: 'application/json',
        content: JSON.stringify({ exportedAt: ctx.now(), filter, entries: rows, chainProof }, null, 2),
      };
    }
    const lines = [CSV_COLUMNS.join(',')];
    for (const e of rows) {
      lines.push(
        [
          e.seq,
          new Date(e.at).toISOString(),
          e.username,
          e.agency,
          e.action,
          e.outcome,
          e.terms ? JSON.stringify(e.terms) : '',
          e.purpose?.category,
          e.purpose?.reference,
          e.caseNumber,
          e.resultCount,
          e.detail,
          e.hash,
        ]
          .map(csvField)
          .join(','),
      );
    }
    lines.push('');
    lines.push(`# chain proof: ${JSON.stringify(chainProof)}`);
    return { filename: `access-log-${stamp}.csv`, mime: 'text/csv', content: lines.join('\r\n') };
  },
  audit: { terms: filterTerms },
};

export const auditHandlers = {
  'audit.entries': entries,
  'audit.verify': verify,
  'audit.export': exportLog,
};
