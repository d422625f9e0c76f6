// Hot-list administration in the worker: import a CLEW, NCIC or CSV file (all or nothing; the list in force is
// replaced atomically only when the whole file is good), and list the lists with their age and staleness.
import { parseClew, type ClewList } from '../../core/hotlist/clew';
import type { ParseResult } from '../../core/hotlist/entry';
import { CSV_FIELDS, parseCsv, type CsvMapping } from '../../core/hotlist/csv';
import { parseNcic } from '../../core/hotlist/ncic';
import { hotListFreshness } from '../../core/policy/rules';
import { HotListStore } from '../../store/hotlists';
import type { BackendContext } from '../context';
import { signedIn } from '../guard';
import { fields, ID, optionalText, text } from '../input';
import { BadInputError, HandlerError, noInput, type HandlerDef } from '../registry';
import {
  LOCAL_LISTS,
  validateLocalEntry,
  type LocalEntryInput,
  type LocalList,
} from '../../core/hotlist/local';
import { LocalEntryStore, type LocalEntryView } from '../../store/localEntries';

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
    const s = signedIn(ctx);
    const version = await new HotListStore(ctx.db, ctx.health).replace(s.keys, {
      listId,
      kind: 'general',
      name,
      source: input.source,
      loadedAt: ctx.now(),
      entries: parsed.entries,
    });
    void ctx.hits.rebuild(ctx, s.keys);
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

// ---- locally entered hot plates ---------------------------------------------------------------------------------

function parseLocalInput(input: unknown): LocalEntryInput {
  const o = fields(input, [
    'plate',
    'state',
    'list',
    'synopsis',
    'caseNumber',
    'vehicle',
    'expiresAt',
    'priority',
  ]);
  const list = o['list'];
  if (typeof list !== 'string' || !(LOCAL_LISTS as readonly string[]).includes(list)) {
    throw new BadInputError(`list must be one of ${LOCAL_LISTS.join(', ')}`);
  }
  const expiresAt = o['expiresAt'] === undefined || o['expiresAt'] === null ? null : o['expiresAt'];
  if (expiresAt !== null && (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt))) {
    throw new BadInputError('expiresAt must be a time');
  }
  const priority = o['priority'] ?? 'normal';
  if (priority !== 'high' && priority !== 'normal')
    throw new BadInputError('priority must be high or normal');
  return {
    plate: text(o, 'plate', { max: 12 }),
    state: optionalText(o, 'state', { max: 2 }),
    list: list as LocalList,
    synopsis: text(o, 'synopsis', { max: 500 }),
    caseNumber: text(o, 'caseNumber', { max: 40 }),
    vehicle: optionalText(o, 'vehicle', { max: 120 }),
    expiresAt: expiresAt as number | null,
    priority,
  };
}

const enterLocal: HandlerDef<LocalEntryInput, LocalEntryView, BackendContext> = {
  access: { permission: 'hotlists.enter' },
  parse: parseLocalInput,
  async run(ctx, input) {
    const policy = await ctx.policy();
    const checked = validateLocalEntry(input, policy, ctx.now());
    if (!checked.ok)
      throw new BadInputError(checked.problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    const s = signedIn(ctx);
    const store = new LocalEntryStore(ctx.db, ctx.health);
    const id = await store.add(s.keys, {
      entry: checked.entry,
      enteredBy: { id: s.user.id, username: s.user.username, name: s.user.name },
      enteredAt: ctx.now(),
    });
    return (await store.get(s.keys, id))!;
  },
  audit: {
    terms: (i) => ({ plate: i.plate.toUpperCase(), list: i.list, caseNumber: i.caseNumber.toUpperCase() }),
  },
};

const localEntries: HandlerDef<Record<string, never>, LocalEntryView[], BackendContext> = {
  access: { permission: 'hotlists.view' },
  parse: noInput,
  async run(ctx) {
    const s = signedIn(ctx);
    return new LocalEntryStore(ctx.db, ctx.health).all(s.keys, ctx.now());
  },
  audit: { count: (out) => out.length },
};

const decideLocal: HandlerDef<
  { id: string; approve: boolean; note: string | null },
  LocalEntryView,
  BackendContext
> = {
  access: { permission: 'hotlists.approve' },
  parse(input) {
    const o = fields(input, ['id', 'approve', 'note']);
    if (typeof o['approve'] !== 'boolean') throw new BadInputError('approve must be true or false');
    return { id: text(o, 'id', ID), approve: o['approve'], note: optionalText(o, 'note', { max: 200 }) };
  },
  async run(ctx, { id, approve, note }) {
    const s = signedIn(ctx);
    const store = new LocalEntryStore(ctx.db, ctx.health);
    const current = await store.get(s.keys, id);
    if (!current) throw new HandlerError('not-found', 'No such local entry.');
    if (current.enteredBy.id === s.user.id) {
      throw new HandlerError(
        'forbidden',
        'Another administrator must approve an entry you entered yourself.',
      );
    }
    const decided = await store.decide(s.keys, id, {
      by: { id: s.user.id, username: s.user.username },
      at: ctx.now(),
      approved: approve,
      note,
    });
    void ctx.hits.rebuild(ctx, s.keys);
    return decided;
  },
  audit: { terms: (i) => ({ entryId: i.id, decision: i.approve ? 'approved' : 'rejected' }) },
};

export const localEntryHandlers = {
  'hotlists.enterLocal': enterLocal,
  'hotlists.localEntries': localEntries,
  'hotlists.decideLocal': decideLocal,
};
