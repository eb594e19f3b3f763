import { randomUUID } from 'node:crypto';
import { handleCommand } from '../../commands/handleCommand.ts';
import type { Command, Decider, DomainEvent } from '../../domain/decider.ts';
import { DomainError } from '../../domain/decider.ts';
import { toE164 } from '../../domain/phone/normalize.ts';
import { deterministicUuid } from '../../eventstore/ids.ts';
import type { ApiContext } from './context.ts';
import { commandResult } from './results.ts';

/**
 * Runs one command as the signed-in caller. The client's command id is namespaced by user, so two
 * people who happen to pick the same id never see each other's results.
 */
export async function run<C extends Command, E extends DomainEvent, S>(
  ctx: ApiContext,
  decider: Decider<C, E, S>,
  id: string,
  type: C['type'],
  data: C['data'],
  commandId?: string | null,
) {
  const p = ctx.principal!;
  const command = {
    type,
    data,
    meta: { now: new Date().toISOString(), commandId: commandId ? `${p.userId}:${commandId}` : undefined, actorId: p.userId, actorRole: p.role },
  } as C;
  return commandResult(await handleCommand(ctx.store, decider, id, command));
}

/** A new id for something a command creates; stable for a repeated command id so a retry lands on the same stream. */
export function newIdFor(ctx: ApiContext, kind: string, commandId?: string | null): string {
  return commandId ? deterministicUuid(kind, ctx.principal!.userId, commandId) : randomUUID();
}

/** A lead id is its E.164 number; accept any common way of writing it. */
export function leadKey(raw: string): string {
  const e164 = toE164(raw);
  if (e164 instanceof DomainError) throw e164;
  return e164;
}
