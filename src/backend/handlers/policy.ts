// Adopting a new revision of the agency policy (ALPR Administrator). The document is validated in full; the
// revision must move forward; every user (the administrator included) must acknowledge it before further use.
import { parsePolicy, PolicyValidationError, type AgencyPolicy } from '../../core/policy';
import { accessBlockers } from '../../core/security/access';
import type { BackendContext } from '../context';
import { signedIn } from '../guard';
import { fields } from '../input';
import { BadInputError, HandlerError, type HandlerDef } from '../registry';

const adopt: HandlerDef<{ document: AgencyPolicy }, { revision: number }, BackendContext> = {
  access: { permission: 'policy.change' },
  parse(input) {
    const o = fields(input, ['document']);
    try {
      return { document: parsePolicy(o['document']) };
    } catch (e) {
      if (e instanceof PolicyValidationError) throw new BadInputError(e.message);
      throw e;
    }
  },
  async run(ctx, { document }) {
    const current = await ctx.policy();
    if (document.revision <= current.revision) {
      throw new HandlerError('conflict', `The new revision must be above ${current.revision}.`);
    }
    const s = signedIn(ctx);
    await ctx.health.write(async () => {
      await ctx.db.policies.add({
        revision: document.revision,
        document,
        adoptedAt: ctx.now(),
        adoptedBy: s.user.id,
      });
    });
    s.blockers = accessBlockers(await ctx.users.facts(s.user), document, ctx.now());
    return { revision: document.revision };
  },
  audit: { terms: ({ document }) => ({ policyRevision: String(document.revision) }) },
};

export const policyHandlers = { 'policy.adopt': adopt };
