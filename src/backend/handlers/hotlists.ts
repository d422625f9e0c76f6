// Hot-list administration in the worker: import a CLEW, NCIC or CSV file (all or nothing; the list in force is
// replaced atomically only when the whole file is good), list the lists with their age and staleness, and keep
// each general list's refresh source (a file or a URL on the app's server, and an interval).
import type { ClewList } from '../../core/hotlist/clew';
import {
  checkInterval,
  checkListName,
  checkMapping,
  checkSourceUrl,
  checkSubstitutions,
  dueAt,
  intervalOf,
  listIdentity,
  SourceError,
  type HotListSource,
  type ListFormat,
  type SourceStatus,
} from '../../core/hotlist/source';
import { hotListFreshness } from '../../core/policy/rules';
import type { AgencyPolicy } from '../../core/policy';
import type { HotListRow, HotListSourceRow } from '../../store/db';
import { HotListSourceStore } from '../../store/hotListSources';
import { HotListStore, listDataAt } from '../../store/hotlists';
import type { BackendContext } from '../context';
import { signedIn } from '../guard';
import { fields, ID, optionalText, text } from '../input';
import { loadList, MAX_FILE_CHARS, type RefreshOutcome } from '../lists';
import { BadInputError, HandlerError, noInput, type HandlerDef } from '../registry';
import {
  editApprovalProblem,
  editedExpiry,
  LOCAL_LISTS,
  validateLocalEntry,
  type LocalEntryInput,
  type LocalList,
} from '../../core/hotlist/local';
import { LocalEntryStore, type LocalEntryView } from '../../store/localEntries';

const SOURCE = { min: 1, max: 120, pattern: /^[\w .()-]+$/, patternHint: 'must be a plain file name' };

export type ImportInput = ListFormat & { source: string; text: string };

export interface ImportResult {
  listId: string;
  version: number;
  entries: number;
}

/** Runs core source checks, turning their SourceError into the handler's bad-input answer. */
function checked<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof SourceError) throw new BadInputError(e.message);
    throw e;
  }
}

/** A file's format from handler input: `format`, and `list` (CLEW) or `listName` and `mapping` (CSV). */
function parseFormat(o: Record<string, unknown>): ListFormat {
  return checked((): ListFormat => {
    switch (o['format']) {
      case 'clew': {
        const list = o['list'];
        if (list !== 'SVS' && list !== 'SFR' && list !== 'SLR')
          throw new BadInputError('list must be SVS, SFR or SLR');
        return { format: 'clew', list: list as ClewList };
      }
      case 'ncic':
        return { format: 'ncic' };
      case 'csv': {
        const m = o['mapping'];
        if (typeof m !== 'object' || m === null || Array.isArray(m))
          throw new BadInputError('mapping: name the file’s columns');
        const listName = typeof o['listName'] === 'string' ? o['listName'] : '';
        return {
          format: 'csv',
          listName: checkListName(listName),
          mapping: checkMapping(m as Record<string, unknown>),
        };
      }
      default:
        throw new BadInputError('format must be clew, ncic or csv');
    }
  });
}

function parseImport(input: unknown): ImportInput {
  const o = fields(input, ['format', 'list', 'listName', 'mapping', 'source', 'text']);
  const body = o['text'];
  if (typeof body !== 'string' || body.length === 0) throw new BadInputError('text: the file is empty');
  if (body.length > MAX_FILE_CHARS) throw new BadInputError('text: the file is larger than 64 MB');
  return { ...parseFormat(o), source: text(o, 'source', SOURCE), text: body };
}

const importList: HandlerDef<ImportInput, ImportResult, BackendContext> = {
  access: { permission: 'hotlists.import' },
  parse: parseImport,
  async run(ctx, input) {
    const s = signedIn(ctx);
    const loaded = (await loadList(ctx, s.keys, { format: input, source: input.source, text: input.text }))!;
    return { listId: loaded.listId, version: loaded.version, entries: loaded.entries };
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
  /** When the source extracted this version, when the file says. */
  extractedAt: number | null;
  version: number;
  entryCount: number;
  /** Age of the data (from extraction, else from loading). */
  ageHours: number;
  intervalHours: number;
  stale: boolean;
}

const lists: HandlerDef<Record<string, never>, HotListView[], BackendContext> = {
  access: { permission: 'hotlists.view' },
  parse: noInput,
  async run(ctx) {
    const policy = await ctx.policy();
    const sources = new Map(
      (await new HotListSourceStore(ctx.db, ctx.health).all()).map((r) => [r.listId, r]),
    );
    return (await new HotListStore(ctx.db, ctx.health).lists()).map((l) => {
      const intervalHours = intervalOf(sources.get(l.id)?.source ?? null, policy);
      return {
        id: l.id,
        name: l.name,
        source: l.source,
        loadedAt: l.loadedAt,
        extractedAt: l.extractedAt ?? null,
        version: l.version,
        entryCount: l.entryCount,
        intervalHours,
        ...hotListFreshness(policy, listDataAt(l), ctx.now(), intervalHours),
      };
    });
  },
};

// ---- refresh sources ----------------------------------------------------------------------------------------------

export type SourceInput = ListFormat & {
  origin: HotListSource['origin'];
  url: string | null;
  intervalHours: number | null;
  substitutions?: number | null;
};

export type SourceView = HotListSource & {
  listId: string;
  name: string;
  status: SourceStatus;
  /** When the list next falls due (null: nothing loaded yet, due now). */
  dueAt: number | null;
  updatedBy: string;
  updatedAt: number;
};

function sourceView(row: HotListSourceRow, list: HotListRow | undefined, policy: AgencyPolicy): SourceView {
  return {
    ...row.source,
    listId: row.listId,
    name: row.name,
    status: row.status,
    dueAt: dueAt(row.source, list ? listDataAt(list) : null, policy),
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt,
  };
}

const sources: HandlerDef<Record<string, never>, SourceView[], BackendContext> = {
  access: { permission: 'hotlists.view' },
  parse: noInput,
  async run(ctx) {
    const policy = await ctx.policy();
    const lists = new HotListStore(ctx.db, ctx.health);
    const out: SourceView[] = [];
    for (const row of await new HotListSourceStore(ctx.db, ctx.health).all()) {
      out.push(sourceView(row, await lists.list(row.listId), policy));
    }
    return out;
  },
};

const saveSource: HandlerDef<SourceInput, SourceView, BackendContext> = {
  access: { permission: 'hotlists.import' },
  parse(input) {
    const o = fields(input, [
      'format',
      'list',
      'listName',
      'mapping',
      'origin',
      'url',
      'intervalHours',
      'substitutions',
    ]);
    const origin = o['origin'];
    if (origin !== 'file' && origin !== 'url') throw new BadInputError('origin must be file or url');
    const url = origin === 'url' ? text(o, 'url', { max: 500 }) : null;
    const hours = o['intervalHours'];
    if (hours !== undefined && hours !== null && typeof hours !== 'number')
      throw new BadInputError('intervalHours must be a number of hours');
    const subs = o['substitutions'];
    if (subs !== undefined && subs !== null && typeof subs !== 'number')
      throw new BadInputError('substitutions must be 0 or 1');
    return {
      ...parseFormat(o),
      origin,
      url,
      intervalHours: (hours as number | null | undefined) ?? null,
      substitutions: (subs as number | null | undefined) ?? null,
    };
  },
  async run(ctx, input) {
    const policy = await ctx.policy();
    const s = signedIn(ctx);
    const source: HotListSource = checked(() => ({
      ...input,
      url: input.origin === 'url' ? checkSourceUrl(input.url!, ctx.webOrigin) : null,
      intervalHours: checkInterval(input.intervalHours, policy),
      substitutions: checkSubstitutions(input.substitutions),
    }));
    const { listId, name } = listIdentity(source);
    const row = await new HotListSourceStore(ctx.db, ctx.health).save(
      listId,
      name,
      source,
      s.user.username,
      ctx.now(),
    );
    const list = await new HotListStore(ctx.db, ctx.health).list(listId);
    void ctx.hits.rebuild(ctx, s.keys); // the index holds each list's interval (staleness) and substitutions
    // A URL source that is due is fetched now, in the background (the Sources table shows the outcome).
    if (source.origin === 'url') void ctx.refresher.tick(ctx);
    return sourceView(row, list, policy);
  },
  audit: {
    terms: (i) => ({
      format: i.format,
      origin: i.origin,
      ...(i.url ? { url: i.url } : {}),
      ...(i.format === 'clew' ? { list: i.list } : i.format === 'csv' ? { list: i.listName } : {}),
    }),
  },
};

const LIST_ID = { min: 3, max: 48, pattern: /^[a-z0-9-]+$/, patternHint: 'must be a list id' };

const removeSource: HandlerDef<{ listId: string }, { removed: boolean }, BackendContext> = {
  access: { permission: 'hotlists.import' },
  parse(input) {
    return { listId: text(fields(input, ['listId']), 'listId', LIST_ID) };
  },
  async run(ctx, { listId }) {
    const store = new HotListSourceStore(ctx.db, ctx.health);
    if (!(await store.get(listId)))
      throw new HandlerError('not-found', 'No refresh source is set for that list.');
    await store.remove(listId);
    return { removed: true };
  },
  audit: { terms: (i) => ({ listId: i.listId }) },
};

const refreshNow: HandlerDef<{ listId: string }, RefreshOutcome, BackendContext> = {
  access: { permission: 'hotlists.import' },
  parse(input) {
    return { listId: text(fields(input, ['listId']), 'listId', LIST_ID) };
  },
  async run(ctx, { listId }) {
    const row = await new HotListSourceStore(ctx.db, ctx.health).get(listId);
    if (!row) throw new HandlerError('not-found', 'No refresh source is set for that list.');
    if (row.source.origin !== 'url')
      throw new BadInputError(`${row.name} is loaded from a file: load the new file below.`);
    const s = signedIn(ctx);
    const [outcome] = await ctx.refresher.runDue(ctx, s.keys, s.user, listId);
    return outcome!;
  },
  audit: { terms: (i) => ({ listId: i.listId }) },
};

export const hotListHandlers = {
  'hotlists.import': importList,
  'hotlists.list': lists,
  'hotlists.sources': sources,
  'hotlists.saveSource': saveSource,
  'hotlists.removeSource': removeSource,
  'hotlists.fetchNow': refreshNow,
};

// ---- locally entered hot plates ---------------------------------------------------------------------------------

const LOCAL_FIELDS = [
  'plate',
  'state',
  'list',
  'synopsis',
  'caseNumber',
  'vehicle',
  'expiresAt',
  'priority',
] as const;

function parseLocalInput(input: unknown): LocalEntryInput {
  const o = fields(input, [...LOCAL_FIELDS]);
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

const proposeEdit: HandlerDef<LocalEntryInput & { id: string }, LocalEntryView, BackendContext> = {
  access: { permission: 'hotlists.enter' },
  parse(input) {
    const { id, ...rest } = fields(input, ['id', ...LOCAL_FIELDS]);
    return { id: text({ id }, 'id', ID), ...parseLocalInput(rest) };
  },
  async run(ctx, { id, ...input }) {
    const policy = await ctx.policy();
    const s = signedIn(ctx);
    const store = new LocalEntryStore(ctx.db, ctx.health);
    const current = await store.get(s.keys, id);
    if (!current) throw new HandlerError('not-found', 'No such local entry.');
    const checked = validateLocalEntry({ ...input, expiresAt: null }, policy, ctx.now());
    if (input.expiresAt !== null && input.expiresAt <= ctx.now())
      throw new BadInputError('expiresAt: The expiry must be in the future');
    if (!checked.ok)
      throw new BadInputError(checked.problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    const entry = { ...checked.entry, expiresAt: editedExpiry(policy, current.enteredAt, input.expiresAt) };
    try {
      return await store.proposeEdit(s.keys, id, {
        entry,
        by: { id: s.user.id, username: s.user.username, name: s.user.name },
        at: ctx.now(),
      });
    } catch (e) {
      if ((e as { code?: string }).code === 'conflict')
        throw new HandlerError('conflict', (e as Error).message);
      throw e;
    }
  },
  audit: {
    terms: (i) => ({ entryId: i.id, plate: i.plate.toUpperCase(), caseNumber: i.caseNumber.toUpperCase() }),
  },
};

const decideEdit: HandlerDef<{ id: string; approve: boolean }, LocalEntryView, BackendContext> = {
  access: { permission: 'hotlists.approveEdit' },
  parse(input) {
    const o = fields(input, ['id', 'approve']);
    if (typeof o['approve'] !== 'boolean') throw new BadInputError('approve must be true or false');
    return { id: text(o, 'id', ID), approve: o['approve'] };
  },
  async run(ctx, { id, approve }) {
    const s = signedIn(ctx);
    const store = new LocalEntryStore(ctx.db, ctx.health);
    const current = await store.get(s.keys, id);
    if (!current) throw new HandlerError('not-found', 'No such local entry.');
    if (!current.pendingEdit) throw new HandlerError('conflict', 'No edit of this entry is waiting.');
    const enterer = await ctx.users.byId(current.enteredBy.id);
    const problem = editApprovalProblem(s.user, current.enteredBy, enterer?.supervisorId ?? null);
    if (problem) throw new HandlerError('forbidden', problem);
    try {
      const decided = await store.decideEdit(s.keys, id, {
        by: { id: s.user.id, username: s.user.username },
        at: ctx.now(),
        approved: approve,
      });
      if (approve) void ctx.hits.rebuild(ctx, s.keys);
      return decided;
    } catch (e) {
      if ((e as { code?: string }).code === 'conflict')
        throw new HandlerError('conflict', (e as Error).message);
      throw e;
    }
  },
  audit: { terms: (i) => ({ entryId: i.id, decision: i.approve ? 'edit approved' : 'edit rejected' }) },
};

export const localEntryHandlers = {
  'hotlists.enterLocal': enterLocal,
  'hotlists.localEntries': localEntries,
  'hotlists.decideLocal': decideLocal,
  'hotlists.proposeEdit': proposeEdit,
  'hotlists.decideEdit': decideEdit,
};
