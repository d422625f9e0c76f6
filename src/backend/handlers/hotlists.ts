// Hot-list administration in the worker: import a CLEW, NCIC or CSV file (all or nothing; the list in force is
// replaced atomically only when the whole file is good), and list the lists with their age and staleness.
import { parseClew, type ClewList } from '../../core/hotlist/clew';
import type { ParseResult } from '../../core/hotlist/entry';
import { CSV_FIELDS, parseCsv, type CsvMapping } from '../../core/hotlist/csv';
import { parseNcic } from '../../core/hotlist/ncic';
import { hotListFreshness } from '../../core/policy/rules';
import { HotListStore } from '../../store/hotlists';
import type { BackendContext } from '../context';
import { fields, text } from '../input';
import { BadInputError, noInput, type HandlerDef } from '../registry';

const MAX_FILE_CHARS = 64 * 1024 * 1024;
const SOURCE = { min: 1, max: 120, pattern: /^[\w .()-]+$/, patternHint: 'must be a plain file name' };

export type ImportInput =
  | { format: 'clew'; list: ClewList; source: string; text: string }
  | { format: 'ncic'; source: string; text: string }
  | { format: 'csv'; listName: string; mapping: CsvMapping; source: string; text: string };

export interface ImportResult {
  listId: string;
  version: number;
  entries: number;
}

function parseImport(input: unknown): ImportInput {
  const o = fields(input, ['format', 'list', 'listName', 'mapping', 'source', 'text']);
  const body = o['text'];
  if (typeof body !== 'string' || body.length === 0) throw new BadInputError('text: the file is empty');
  if (body.length > MAX_FILE_CHARS) throw new BadInputError('text: the file is larger than 64 MB');
  const source = text(o, 'source', SOURCE);
  switch (o['format']) {
    case 'clew': {
      const list = o['list'];
      if (list !== 'SVS' && list !== 'SFR' && list !== 'SLR')
        throw new BadInputError('list must be SVS, SFR or SLR');
      return { format: 'clew', list, source, text: body };
    }
    case 'ncic':
      return { format: 'ncic', source, text: body };
    case 'csv': {
      const m = fields(o['mapping'], CSV_FIELDS);
      const mapping: CsvMapping = { plate: text(m, 'plate', { max: 80 }) };
      for (const key of CSV_FIELDS) {
        if (key !== 'plate' && m[key] !== undefined) mapping[key] = text(m, key, { max: 80 });
      }
      return {
        format: 'csv',
        listName: text(o, 'listName', {
          min: 2,
          max: 40,
          pattern: /^[A-Z0-9 _-]+$/i,
          patternHint: 'must be letters, digits, spaces, _ or -',
        }),
        mapping,
        source,
        text: body,
      };
    }
    default:
      throw new BadInputError('format must be clew, ncic or csv');
  }
}

function listIdOf(input: ImportInput): { listId: string; name: string } {
  if (input.format === 'clew') return { listId: input.list.toLowerCase(), name: input.list };
  if (input.format === 'ncic') return { listId: 'ncic', name: 'NCIC' };
  return {
    listId: `csv-${input.listName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    name: input.listName.toUpperCase(),
  };
}

const importList: HandlerDef<ImportInput, ImportResult, BackendContext> = {
  access: { permission: 'hotlists.import' },
  parse: parseImport,
  async run(ctx, input) {
    const { listId, name } = listIdOf(input);
    const parsed: ParseResult =
      input.format === 'clew'
        ? parseClew(input.text, input.list)
        : input.format === 'ncic'
          ? parseNcic(input.text)
          : parseCsv(input.text, input.mapping, name);
    if (!parsed.ok) {
      const shown = parsed.issues.slice(0, 10).map((i) => `line ${i.line}: ${i.message}`);
      const more = parsed.issues.length > 10 ? ` (and ${parsed.issues.length - 10} more)` : '';
      throw new BadInputError(
        `The file was refused and the list in force is unchanged. ${shown.join('; ')}${more}`,
      );
    }
    const s = ctx.sessions.current(await ctx.policy(), ctx.now())!;
    const version = await new HotListStore(ctx.db, ctx.health).replace(s.keys!, {
      listId,
      kind: 'general',
      name,
      source: input.source,
      loadedAt: ctx.now(),
      entries: parsed.entries,
    });
    return { listId, version, entries: parsed.entries.length };
  },
  audit: {
    terms: (i) => ({ format: i.format, source: i.source, ...(i.format === 'clew' ? { list: i.list } : {}) }),
    count: (r) => r.entries,
  },
};

export interface HotListView {
  id: string;
  name: string;
  source: string;
  loadedAt: number;
  version: number;
  entryCount: number;
  ageHours: number;
  stale: boolean;
}

const lists: HandlerDef<Record<string, never>, HotListView[], BackendContext> = {
  access: { permission: 'hotlists.view' },
  parse: noInput,
  async run(ctx) {
    const policy = await ctx.policy();
    return (await new HotListStore(ctx.db, ctx.health).lists()).map((l) => ({
      id: l.id,
      name: l.name,
      source: l.source,
      loadedAt: l.loadedAt,
      version: l.version,
      entryCount: l.entryCount,
      ...hotListFreshness(policy, l.loadedAt, ctx.now()),
    }));
  },
};

export const hotListHandlers = { 'hotlists.import': importList, 'hotlists.list': lists };
