import { campaignDecider } from '../../../domain/campaign/decider.ts';
import { campaignStreamId } from '../../../domain/campaign/streams.ts';
import { fold } from '../../../domain/decider.ts';
import type { PreviewLeads } from '../../../floor/previewLeads.ts';
import { departmentInScope } from '../../auth/principal.ts';
import type { ApiContext } from '../context.ts';
import { apiError, forbidden, notFound } from '../errors.ts';

/** nextPreviewLead: only for a running preview campaign the caller's department may work. */
export function previewResolvers(preview: PreviewLeads) {
  return {
    Query: {
      async nextPreviewLead(_: unknown, a: { campaignId: string }, ctx: ApiContext) {
        const events = await ctx.store.readStream(campaignStreamId(a.campaignId));
        if (events.length === 0) throw notFound(`campaign ${a.campaignId}`);
        const campaign = fold(campaignDecider, events as never);
        if (!departmentInScope(await ctx.scope(), campaign.departmentId ?? '')) throw forbidden(`campaign ${a.campaignId}`);
        if (campaign.config.mode !== 'preview') {
          throw apiError('CAMPAIGN_NOT_PREVIEW', `活动为${campaign.config.mode}模式，由拨号器拨号 / campaign ${a.campaignId} is ${campaign.config.mode}: the dialer places its calls`);
        }
        if (campaign.status !== 'running') throw apiError('CAMPAIGN_NOT_RUNNING', `活动未在运行 / campaign ${a.campaignId} is ${campaign.status}, not running`);
        const p = ctx.principal!;
        const picked = await preview.next(a.campaignId, { agentId: p.userId, teamId: p.teamId });
        if (!picked) return null;
        const l = picked.lead;
        return { phone: l.phone, reason: picked.reason, attempts: l.attempts, lastDialAt: l.lastDialAt, callbackDueAt: l.callback?.dueAt, heldUntil: picked.heldUntil };
      },
    },
  };
}
