// Stored reads, one at a time: opening a read is a look at stored ALPR data, so it needs the reads.view permission
// and a stated purpose (the purpose gate), and every call — refused, not found or shown — is in the access log with
// the read's id and the purpose. Search across reads is a separate handler (not built yet).
import type { PurposeInput } from '../../core/security/purpose';
import { ReadStore, type OpenedRead } from '../../store/reads';
import type { BackendContext } from '../context';
import { signedIn } from '../guard';
import { fields, ID, text } from '../input';
import { HandlerError, type HandlerDef } from '../registry';

/** One stored read as its details panel shows it. */
export type ReadDetail = OpenedRead;

const get: HandlerDef<{ purpose: PurposeInput; id: string }, ReadDetail, BackendContext> = {
  access: { permission: 'reads.view', purpose: true },
  parse(input) {
    const o = fields(input, ['purpose', 'id']);
    return { purpose: o['purpose'] as PurposeInput, id: text(o, 'id', ID) };
  },
  async run(ctx, { id }) {
    const s = signedIn(ctx);
    const read = await new ReadStore(ctx.db, ctx.health, ctx.now).open(s.keys, id);
    if (!read) throw new HandlerError('not-found', 'No stored read has that id.');
    return read;
  },
  audit: { terms: (i) => ({ readId: i.id }), count: () => 1 },
};

export const readHandlers = { 'reads.get': get };
