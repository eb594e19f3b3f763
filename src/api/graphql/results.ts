import type { CommandResult } from '../../commands/handleCommand.ts';
import type { Principal } from '../auth/principal.ts';
import type { Actor } from '../auth/identity.ts';

/** The GraphQL CommandResult of a handled command. */
export function commandResult(r: CommandResult<unknown>) {
  return {
    streamId: r.streamId,
    events: r.events.map((e) => ({ id: e.id, streamId: e.streamId, revision: e.revision, position: e.position, type: e.type })),
    position: r.position,
    repeated: r.repeated,
  };
}

export const actorOf = (p: Principal, commandId?: string | null): Actor => ({
  actorId: p.userId,
  actorRole: p.role,
  commandId: commandId ?? undefined,
});

/** GraphQL enums are upper case (TEAM_LEADER), the domain's roles lower case (team_leader). */
export const roleIn = (r: string) => r.toLowerCase() as Principal['role'];
export const roleOut = (r: string) => r.toUpperCase();

/** Opaque cursor over an offset; good enough for the API's own small lists. */
export const encodeCursor = (n: number) => Buffer.from(`o:${n}`).toString('base64url');
export function decodeCursor(c: string | null | undefined): number {
  if (!c) return 0;
  const m = /^o:(\d+)$/.exec(Buffer.from(c, 'base64url').toString());
  return m ? Number(m[1]) : 0;
}
