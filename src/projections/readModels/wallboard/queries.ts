import { sql } from 'slonik';
import type { AgentDoc } from '../floor/agent.ts';
import type { CallDoc } from '../floor/call.ts';
import { CounterRow, DocRow } from '../shared/rows.ts';
import { isoInstant, ratio, sumCounters, tableIn, type Db, type ReadOptions } from '../shared/query.ts';

export interface WallboardAgent {
  agentId: string;
  name?: string;
  teamId?: string;
  state: AgentDoc['state'];
  reason?: string;
  since?: string;
  secondsInState: number | null;
  callId?: string;
}

export interface WallboardQueue {
  queueId: string;
  waiting: number;
  longestWaitSeconds: number;
  /** Since the start of the window: offered, answered, abandoned and the share answered within `slSeconds`. */
  offered: number;
  answered: number;
  abandoned: number;
  serviceLevel: number | null;
}

export interface Wallboard {
  now: string;
  agents: WallboardAgent[];
  agentsByState: Record<string, number>;
  queues: WallboardQueue[];
  abandonedCalls: { callId: string; phone?: string; queueId?: string; campaignId?: string; waitedMs: number; reason: string; at: string }[];
}

const SL_BUCKETS = [10, 20, 30, 60];

/**
 * The floor now (or at `now`, from an as-of schema): agents by state with time in state, calls waiting and
 * the longest wait, service level and abandoned calls (listed) since `windowStart` (default: last 24 h).
 */
export async function wallboard(
  db: Db,
  f: ReadOptions & { now?: string; windowStart?: string; slSeconds?: number; teamId?: string; queueIds?: string[] } = {},
): Promise<Wallboard> {
  const now = isoInstant(f.now, 'now') ?? new Date().toISOString();
  const windowStart = isoInstant(f.windowStart, 'windowStart') ?? new Date(Date.parse(now) - 86_400_000).toISOString();
  const sl = f.slSeconds ?? 20;
  const slKey = `answeredWithin${SL_BUCKETS.find((s) => s >= sl) ?? 60}s`;
  const agentRows = await db.any(sql.type(DocRow)`SELECT key, doc FROM ${tableIn(f, 'agent')} ORDER BY key`);
  const agents = agentRows
    .map((r) => r.doc as AgentDoc)
    .filter((a) => a.state !== 'logged_out' && (!f.teamId || a.teamId === f.teamId))
    .map((a) => ({
      agentId: a.agentId,
      name: a.name,
      teamId: a.teamId,
      state: a.state,
      reason: a.reason,
      since: a.since,
      callId: a.callId,
      secondsInState: a.since ? Math.max(0, Math.round((Date.parse(now) - Date.parse(a.since)) / 1000)) : null,
    }));
  const agentsByState: Record<string, number> = {};
  for (const a of agents) agentsByState[a.state] = (agentsByState[a.state] ?? 0) + 1;

  const queueRows = await db.any(sql.type(DocRow)`SELECT key, doc FROM ${tableIn(f, 'queue')} ORDER BY key`);
  const hourRows = await db.any(sql.type(CounterRow)`
    SELECT key, dims, counters FROM ${tableIn(f, 'queue_hour')} WHERE hour >= ${windowStart.slice(0, 13)} AND hour <= ${now.slice(0, 13)}`);
  const queues = queueRows
    .filter((r) => !f.queueIds || f.queueIds.includes(r.key))
    .map((r) => {
      const waiting = Object.values(r.doc.waiting as Record<string, string>).filter((since) => since <= now);
      const c = sumCounters(hourRows.filter((h) => h.dims.queueId === r.key));
      return {
        queueId: r.key,
        waiting: waiting.length,
        longestWaitSeconds: waiting.length ? Math.round(Math.max(...waiting.map((s) => Date.parse(now) - Date.parse(s))) / 1000) : 0,
        offered: c.offered ?? 0,
        answered: c.answered ?? 0,
        abandoned: c.abandoned ?? 0,
        serviceLevel: ratio(c[slKey] ?? 0, (c.answered ?? 0) + (c.abandoned ?? 0)),
      };
    });
  const abandoned = await db.any(sql.type(DocRow)`
    SELECT key, doc FROM ${tableIn(f, 'call')} WHERE abandoned_at >= ${windowStart} AND abandoned_at <= ${now} ORDER BY abandoned_at DESC LIMIT 200`);
  return {
    now,
    agents,
    agentsByState,
    queues,
    abandonedCalls: abandoned.map((r) => {
      const c = r.doc as CallDoc;
      return { callId: c.callId, phone: c.phone, queueId: c.queueId, campaignId: c.campaignId, ...c.abandoned! };
    }),
  };
}
