// Loading general hot lists: from a file an administrator picks (the import handler) or from a URL source the unit
// fetches when due (the refresher). Both go through `loadList`: the whole file is checked, its extract date must be
// believable and no older than the list in force, and only then is the list replaced atomically and the hit index
// rebuilt. A refresh that fails leaves the list in force, records why on the source and in the access log.
import { parseClew } from '../core/hotlist/clew';
import type { ParseResult } from '../core/hotlist/entry';
import { parseCsv } from '../core/hotlist/csv';
import { parseNcic } from '../core/hotlist/ncic';
import { fetchDue, listIdentity, type ListFormat } from '../core/hotlist/source';
import { DAY_MS } from '../core/policy/rules';
import type { HotListSourceRow } from '../store/db';
import { HotListSourceStore } from '../store/hotListSources';
import { HotListStore, listDataAt } from '../store/hotlists';
import type { UnlockedKeys } from '../store/vault';
import type { BackendContext } from './context';
import { BadInputError } from './registry';

/** The largest list file the unit takes (characters; a 1,000,000-entry CLEW extract is about 21 MB). */
export const MAX_FILE_CHARS = 64 * 1024 * 1024;
/** A URL source that does not answer in this long has failed (the list in force stays). */
const FETCH_TIMEOUT_MS = 60_000;

export interface LoadResult {
  listId: string;
  version: number;
  entries: number;
  extractedAt: number | null;
}

const when = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

function parse(format: ListFormat, text: string, name: string): ParseResult {
  if (format.format === 'clew') return parseClew(text, format.list);
  if (format.format === 'ncic') return parseNcic(text);
  return parseCsv(text, format.mapping, name);
}

/**
 * Check a list file whole and, when it is good, replace the list in force with it. Throws BadInputError with the
 * reasons (line-numbered for the file's own faults) and changes nothing otherwise. With `onlyNewer`, a file whose
 * extract date equals the list in force is not loaded again (returns null).
 */
export async function loadList(
  ctx: BackendContext,
  keys: UnlockedKeys,
  request: { format: ListFormat; source: string; text: string; onlyNewer?: boolean },
): Promise<LoadResult | null> {
  const { format, source, text } = request;
  const { listId, name } = listIdentity(format);
  if (text.length === 0) throw new BadInputError('The file is empty; the list in force is unchanged.');
  if (text.length > MAX_FILE_CHARS)
    throw new BadInputError('The file is larger than 64 MB; the list in force is unchanged.');
  const parsed = parse(format, text, name);
  if (!parsed.ok) {
    const shown = parsed.issues.slice(0, 10).map((i) => `line ${i.line}: ${i.message}`);
    const more = parsed.issues.length > 10 ? ` (and ${parsed.issues.length - 10} more)` : '';
    throw new BadInputError(
      `The file was refused and the list in force is unchanged. ${shown.join('; ')}${more}`,
    );
  }
  const now = ctx.now();
  const { extractedAt } = parsed;
  if (extractedAt !== null && extractedAt > now + DAY_MS) {
    throw new BadInputError(
      `The file says it was extracted on ${when(extractedAt)}, in the future: check the file and this unit's ` +
        'clock. The list in force is unchanged.',
    );
  }
  const store = new HotListStore(ctx.db, ctx.health);
  const current = await store.list(listId);
  const currentAt = current?.extractedAt ?? null;
  if (extractedAt !== null && currentAt !== null) {
    if (extractedAt < currentAt) {
      throw new BadInputError(
        `This extract (${when(extractedAt)}) is older than the ${name} list in force (${when(currentAt)}); ` +
          'the newer list stays.',
      );
    }
    if (extractedAt === currentAt && request.onlyNewer) return null;
  }
  const version = await store.replace(keys, {
    listId,
    kind: 'general',
    name,
    source,
    loadedAt: now,
    extractedAt,
    entries: parsed.entries,
  });
  void ctx.hits.rebuild(ctx, keys);
  return { listId, version, entries: parsed.entries.length, extractedAt };
}

async function fetchText(url: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, {
      credentials: 'same-origin',
      cache: 'no-store',
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (e) {
    const reason =
      (e as Error).name === 'TimeoutError'
        ? `no answer in ${FETCH_TIMEOUT_MS / 1000} s`
        : (e as Error).message;
    throw new Error(`could not reach ${url} (${reason}); the unit may be offline`, { cause: e });
  }
  if (!res.ok) throw new Error(`${url} answered ${res.status} ${res.statusText}`.trim());
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_FILE_CHARS)
    throw new Error(`${url} sent ${length} bytes, more than the 64 MB a list may be`);
  return res.text();
}

export interface RefreshOutcome {
  listId: string;
  name: string;
  outcome: 'loaded' | 'unchanged' | 'failed';
  /** What happened, in words (also the access-log detail). */
  detail: string;
  entries?: number;
  version?: number;
}

/**
 * Fetches URL sources that are due and loads them, one run at a time. Runs in the signed-in session (the lists
 * are sealed under its keys): at sign-in and unlock, every few minutes from the worker's timer, and on an
 * administrator's "Refresh now". While the screen is locked it waits for the next unlock.
 */
export class ListRefresher {
  private running: Promise<RefreshOutcome[]> | null = null;

  runDue(ctx: BackendContext, keys: UnlockedKeys, actor: Actor, only?: string): Promise<RefreshOutcome[]> {
    if (this.running) return this.running.then(() => this.runDue(ctx, keys, actor, only));
    this.running = this.run(ctx, keys, actor, only).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Why the last timer run failed as a whole (storage), for diagnostics; per-source failures are on the source. */
  lastError: string | null = null;

  /**
   * Refresh due sources in the signed-in session, if it is unlocked and unblocked; otherwise nothing. Never
   * rejects (it runs from timers): a failure of the run as a whole is kept in `lastError`.
   */
  async tick(ctx: BackendContext): Promise<RefreshOutcome[]> {
    try {
      const s = ctx.sessions.current(await ctx.policy(), ctx.now());
      if (!s?.keys || s.blockers.length > 0 || s.mustEnrolSecondFactor) return [];
      const out = await this.runDue(ctx, s.keys, s.user);
      this.lastError = null;
      return out;
    } catch (e) {
      this.lastError = `Hot-list refresh could not run: ${(e as Error).message}`;
      return [];
    }
  }

  private async run(ctx: BackendContext, keys: UnlockedKeys, actor: Actor, only?: string) {
    const policy = await ctx.policy();
    const sources = new HotListSourceStore(ctx.db, ctx.health);
    const lists = new HotListStore(ctx.db, ctx.health);
    const out: RefreshOutcome[] = [];
    for (const row of await sources.all()) {
      if (only !== undefined && row.listId !== only) continue;
      if (row.source.origin !== 'url' || row.source.url === null) continue;
      const list = await lists.list(row.listId);
      const dataAt = list ? listDataAt(list) : null;
      if (only === undefined && !fetchDue(row.source, row.status, dataAt, policy, ctx.now())) continue;
      out.push(await this.refreshOne(ctx, keys, actor, row, sources));
    }
    return out;
  }

  private async refreshOne(
    ctx: BackendContext,
    keys: UnlockedKeys,
    actor: Actor,
    row: HotListSourceRow,
    sources: HotListSourceStore,
  ): Promise<RefreshOutcome> {
    const { listId, name, source } = row;
    const url = source.url!;
    const attemptAt = ctx.now();
    let outcome: RefreshOutcome;
    try {
      const text = await fetchText(url);
      const loaded = await loadList(ctx, keys, { format: source, source: url, text, onlyNewer: true });
      outcome = loaded
        ? {
            listId,
            name,
            outcome: 'loaded',
            detail: `${name} refreshed from ${url}: ${loaded.entries} entries, version ${loaded.version}.`,
            entries: loaded.entries,
            version: loaded.version,
          }
        : {
            listId,
            name,
            outcome: 'unchanged',
            detail: `${url} has no newer ${name} extract than the list in force; the unit will try again.`,
          };
    } catch (e) {
      outcome = {
        listId,
        name,
        outcome: 'failed',
        detail: `${name} refresh failed: ${(e as Error).message}`,
      };
    }
    await sources.record(listId, {
      lastAttemptAt: attemptAt,
      lastSuccessAt: outcome.outcome === 'loaded' ? attemptAt : row.status.lastSuccessAt,
      lastError: outcome.outcome === 'loaded' ? null : outcome.detail,
    });
    if (ctx.vault) {
      await ctx.log.append(ctx.vault, {
        userId: actor.id,
        username: actor.username,
        agency: actor.agency,
        action: 'hotlists.refresh',
        outcome: outcome.outcome === 'failed' ? 'failed' : 'ok',
        terms: { list: name, url },
        detail: outcome.detail,
        ...(outcome.entries === undefined ? {} : { resultCount: outcome.entries }),
      });
    }
    return outcome;
  }
}

export interface Actor {
  id: string;
  username: string;
  agency: string;
}
