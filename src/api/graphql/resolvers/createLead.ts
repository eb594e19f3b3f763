import { handleCommand } from '../../../commands/handleCommand.ts';
import { campaignDecider } from '../../../domain/campaign/decider.ts';
import { leadDecider } from '../../../domain/lead/decider.ts';
import { departmentInScope } from '../../auth/principal.ts';
import { campaignDepartment } from '../../routes/imports.ts';
import type { ApiContext } from '../context.ts';
import { badInput, forbidden, notFound } from '../errors.ts';
import { leadKey, run } from '../run.ts';

/** The list a campaign's hand-entered customers belong to (a campaign dials the leads of its lists). */
export const manualListId = (campaignId: string) => `manual-${campaignId}`;

function textFields(raw: unknown): Record<string, string> {
  if (raw == null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw badInput('customFields 须为对象 / customFields must be an object of names to values');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v == null || v === '') continue;
    if (typeof v === 'object') throw badInput(`字段 ${k} 须为文本 / custom field "${k}" must be text or a number`);
    out[k] = String(v);
  }
  return out;
}

/**
 * One customer typed in by an agent (an unknown caller, a referral): a lead of the campaign's manual list.
 * A number already known merges into its lead instead of making a second one.
 */
export async function createLead(_: unknown, a: { phone: string; name?: string; campaignId: string; customFields?: unknown; commandId?: string }, ctx: ApiContext) {
  const key = leadKey(a.phone); // a bad number is a typed error with its reason, before anything is written
  const departmentId = await campaignDepartment(ctx.store, a.campaignId);
  if (departmentId === undefined) throw notFound(`campaign ${a.campaignId}`);
  if (!departmentInScope(await ctx.scope(), departmentId)) throw forbidden(`campaign ${a.campaignId}`);
  const name = a.name?.trim() || undefined;
  if (name && name.length > 200) throw badInput('姓名过长 / the name is longer than 200 characters');
  const fields = textFields(a.customFields);
  const p = ctx.principal!;
  const listId = manualListId(a.campaignId);
  await handleCommand(ctx.store, campaignDecider, a.campaignId, {
    type: 'AttachList',
    data: { listId },
    meta: { now: new Date().toISOString(), commandId: `${listId}:attach`, actorId: p.userId, actorRole: p.role },
  });
  return run(ctx, leadDecider, key, 'ImportLead', { phone: a.phone, name, source: 'api', batchId: listId, fields, departmentId: departmentId ?? undefined }, a.commandId);
}
