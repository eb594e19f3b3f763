import { blacklistDecider } from '../../../domain/blacklist/decider.ts';
import { BLACKLIST_EVENT_TYPES } from '../../../domain/blacklist/events.ts';
import type { ApiContext } from '../context.ts';
import { leadKey, run } from '../run.ts';

/** The blacklist is floor-wide (not per department): supervisors add, admins also remove. */
export const blacklistResolvers = {
  Query: {
    // Folded from the log on each request: the list is short (hundreds) and must be exact.
    async blacklist(_: unknown, __: unknown, ctx: ApiContext) {
      const listed = new Map<string, { phone: string; reason: string; by?: string; at: string }>();
      for (let after = 0; ; ) {
        const batch = await ctx.store.readAll({ after, maxCount: 5000, filter: { eventTypes: [...BLACKLIST_EVENT_TYPES] } });
        for (const e of batch) {
          const d = e.data as { phone: string; reason: string; by?: string; at: string };
          if (e.type === 'NumberBlacklisted') listed.set(d.phone, d);
          else listed.delete(d.phone);
        }
        if (batch.length < 5000) break;
        after = batch[batch.length - 1].position;
      }
      return [...listed.values()].sort((a, b) => b.at.localeCompare(a.at));
    },
  },
  Mutation: {
    blacklistNumber(_: unknown, a: { phone: string; reason: string; commandId?: string }, ctx: ApiContext) {
      const phone = leadKey(a.phone);
      return run(ctx, blacklistDecider, phone, 'BlacklistNumber', { phone, reason: a.reason }, a.commandId);
    },
    unblacklistNumber(_: unknown, a: { phone: string; reason: string; commandId?: string }, ctx: ApiContext) {
      return run(ctx, blacklistDecider, leadKey(a.phone), 'UnblacklistNumber', { reason: a.reason }, a.commandId);
    },
  },
};
