import { sql } from 'slonik';
import type { IvrEvent, IvrMenu, IvrTarget } from '../../../domain/ivr/events.ts';
import { ivrDecider, type IvrState } from '../../../domain/ivr/decider.ts';
import { ivrStreamId } from '../../../domain/ivr/streams.ts';
import { leadDecider } from '../../../domain/lead/decider.ts';
import type { CallbackDoc } from '../../../projections/readModels/leads/evolve.ts';
import { tableIn } from '../../../projections/readModels/shared/query.ts';
import { DocRow } from '../../../projections/readModels/shared/rows.ts';
import { departmentInScope, inScope } from '../../auth/principal.ts';
import type { ApiContext } from '../context.ts';
import { badInput, forbidden, notFound } from '../errors.ts';
import { run } from '../run.ts';

type A = Record<string, any>;

/** `{"1": {"queue": "sales"}, "0": {"agent": "a1"}, "9": {"hangup": true}}` in the IVR decider's terms. */
function ivrMenu(input: A, promptFile: string | undefined): IvrMenu {
  const options = input.options;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw badInput('options 须为按键到去向的对象 / options must map keys to targets, e.g. {"1": {"queue": "sales"}}');
  const choices: Record<string, IvrTarget> = {};
  for (const [key, raw] of Object.entries(options as A)) {
    const t = raw as A;
    if (typeof t?.queue === 'string') choices[key] = { kind: 'queue', id: t.queue };
    else if (typeof t?.agent === 'string') choices[key] = { kind: 'agent', id: t.agent };
    else if (typeof t?.voicemail === 'string') choices[key] = { kind: 'voicemail', id: t.voicemail };
    else if (t?.hangup) choices[key] = { kind: 'hangup' };
    else throw badInput(`按键 ${key} 的去向无效 / key "${key}": give {"queue": id}, {"agent": id}, {"voicemail": id} or {"hangup": true} (sub-menus are not supported yet)`, { key });
  }
  return {
    rootNodeId: 'root',
    nodes: [{ id: 'root', promptFile, promptText: promptFile ? undefined : input.name, choices, timeoutSeconds: input.timeoutSeconds ?? 5, maxRetries: 2, onFailure: { kind: 'hangup' } }],
  };
}

/** The menu as its stream tells it (version, department, removed). */
async function ivrState(ctx: ApiContext, menuId: string): Promise<IvrState> {
  return (await ctx.store.readStream(ivrStreamId(menuId))).reduce((s, e) => ivrDecider.evolve(s, e as unknown as IvrEvent), ivrDecider.initialState());
}

/** Admins edit any menu; supervisors those of their departments. A menu from before departments is the admins'. */
async function requireMenuDepartment(ctx: ApiContext, menuId: string, departmentId: string | undefined) {
  if (!departmentInScope(await ctx.scope(), departmentId)) throw forbidden(`IVR menu ${menuId}`);
}

export const followUpResolvers = {
  Mutation: {
    /** The lead of a callback comes from the callbacks read model; the lead decider checks the rest (open, whose). */
    completeCallback: async (_: unknown, a: { callbackId: string; callId?: string; commandId?: string }, ctx: ApiContext) => {
      const row = await ctx.pool.maybeOne(sql.type(DocRow)`SELECT key, doc FROM ${tableIn({}, 'callback')} WHERE key = ${a.callbackId}`);
      const cb = row?.doc as CallbackDoc | undefined;
      if (!cb) throw notFound(`callback ${a.callbackId}`);
      if (cb.visibility !== 'public' && !inScope(await ctx.scope(), cb.owner)) throw forbidden(`callback ${a.callbackId}`);
      return run(ctx, leadDecider, cb.phone, 'CompleteCallback', { callbackId: a.callbackId, callId: a.callId ?? undefined }, a.commandId);
    },
    /**
     * The owner cancels their own callback; anyone else must have the lead's department in scope (the owner's
     * people when the lead has no department). The decider then keeps it to the owner or a supervisor.
     */
    cancelCallback: async (_: unknown, a: { callbackId: string; reason?: string; commandId?: string }, ctx: ApiContext) => {
      const row = await ctx.pool.maybeOne(sql.type(DocRow)`SELECT key, doc FROM ${tableIn({}, 'callback')} WHERE key = ${a.callbackId}`);
      const cb = row?.doc as CallbackDoc | undefined;
      if (!cb) throw notFound(`callback ${a.callbackId}`);
      if (cb.owner !== ctx.principal!.userId) {
        const imported = (await ctx.store.readStream(`lead-${cb.phone}`, { maxCount: 1 }))[0];
        const departmentId = (imported?.data as A | undefined)?.departmentId as string | undefined;
        const scope = await ctx.scope();
        if (departmentId ? !departmentInScope(scope, departmentId) : !inScope(scope, cb.owner)) throw forbidden(`callback ${a.callbackId}`);
      }
      return run(ctx, leadDecider, cb.phone, 'CancelCallback', { callbackId: a.callbackId, reason: a.reason ?? '' }, a.commandId);
    },
    /**
     * Publishes the menu as its next version (the decider refuses an edit of a stale version). A new menu
     * belongs to the given department (default: the caller's); an existing one only its department's
     * supervisors (or an admin) may edit. Publishing a removed menu brings it back.
     */
    setIvrMenu: async (_: unknown, a: { id: string; input: A; commandId?: string }, ctx: ApiContext) => {
      let promptFile: string | undefined;
      if (a.input.promptId) {
        const events = await ctx.store.readStream(`prompt-${a.input.promptId}`, { maxCount: 1 });
        promptFile = (events[0]?.data as A | undefined)?.file;
        if (!promptFile) throw notFound(`prompt ${a.input.promptId}`);
      }
      const menu = ivrMenu(a.input, promptFile);
      const current = await ivrState(ctx, a.id);
      const departmentId = current.departmentId ?? a.input.departmentId ?? ctx.principal!.departmentId;
      await requireMenuDepartment(ctx, a.id, current.menuId ? current.departmentId : departmentId);
      const data = { menuId: a.id, name: a.input.name, basedOnVersion: current.version, menu, departmentId: a.input.departmentId ?? departmentId };
      return run(ctx, ivrDecider, a.id, 'PublishIvrMenu', data, a.commandId);
    },
    /** IvrMenuRemoved: the list drops the menu and the switch sends its callers to the default destination. */
    removeIvrMenu: async (_: unknown, a: { id: string; reason?: string; commandId?: string }, ctx: ApiContext) => {
      const current = await ivrState(ctx, a.id);
      if (!current.menuId) throw notFound(`IVR menu ${a.id}`);
      await requireMenuDepartment(ctx, a.id, current.departmentId);
      return run(ctx, ivrDecider, a.id, 'RemoveIvrMenu', { reason: a.reason ?? undefined }, a.commandId);
    },
  },
};
