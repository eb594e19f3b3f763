import { sql } from 'slonik';
import type { AgentDoc } from '../floor/agent.ts';
import { CounterRow, DocRow } from '../shared/rows.ts';
import { hourRange, prefixed, QueryInputError, ratio, sumCounters, tableIn, type Db, type ReadOptions } from '../shared/query.ts';

export interface AgentPerformance {
  agentId: string;
  name?: string;
  teamId?: string;
  departmentId?: string;
  calls: number;
  contacts: number;
  dials: number;
  talkMs: number;
  wrapMs: number;
  readyMs: number;
  pauseMs: number;
  pauseByReason: Record<string, number>;
  loggedInMs: number;
  orders: number;
  revenueFen: number;
  /** orders / contacts */
  conversion: number | null;
  qaAverage: number | null;
  qaCount: number;
  dispositions: Record<string, number>;
  /** 1 = best by `rankBy`; ties share a rank. */
  rank: number;
}

export type RankBy = 'orders' | 'revenueFen' | 'contacts' | 'calls' | 'talkMs' | 'conversion' | 'qaAverage';
const RANKABLE: RankBy[] = ['orders', 'revenueFen', 'contacts', 'calls', 'talkMs', 'conversion', 'qaAverage'];

/** Agent ranking over any period [from, to), to the hour; optionally one team or department. */
export async function agentRanking(
  db: Db,
  f: ReadOptions & { from: string; to: string; rankBy?: RankBy; teamId?: string; departmentId?: string },
): Promise<AgentPerformance[]> {
  const rankBy = f.rankBy ?? 'orders';
  if (!RANKABLE.includes(rankBy)) throw new QueryInputError('BAD_RANK_BY', `rankBy must be one of ${RANKABLE.join(', ')}`);
  const { fromHour, toHour } = hourRange(f.from, f.to);
  const rows = await db.any(sql.type(CounterRow)`
    SELECT key, dims, counters FROM ${tableIn(f, 'agent_hour')} WHERE hour >= ${fromHour} AND hour < ${toHour}`);
  const agents = new Map((await db.any(sql.type(DocRow)`SELECT key, doc FROM ${tableIn(f, 'agent')}`)).map((r) => [r.key, r.doc as AgentDoc]));
  const byAgent = new Map<string, (typeof rows)[number][]>();
  for (const r of rows) byAgent.set(r.dims.agentId, [...(byAgent.get(r.dims.agentId) ?? []), r]);
  const list: AgentPerformance[] = [];
  for (const [agentId, rs] of byAgent) {
    const a = agents.get(agentId);
    if (f.teamId && a?.teamId !== f.teamId) continue;
    if (f.departmentId && a?.departmentId !== f.departmentId) continue;
    const c = sumCounters(rs);
    const n = (k: string) => c[k] ?? 0;
    list.push({
      agentId,
      name: a?.name,
      teamId: a?.teamId,
      departmentId: a?.departmentId,
      calls: n('calls'),
      contacts: n('contacts'),
      dials: n('dials'),
      talkMs: n('talkMs'),
      wrapMs: n('wrapMs'),
      readyMs: n('readyMs'),
      pauseMs: n('pauseMs'),
      pauseByReason: prefixed(c, 'pause:'),
      loggedInMs: n('loggedInMs'),
      orders: n('orders'),
      revenueFen: n('revenueFen'),
      conversion: ratio(n('orders'), n('contacts')),
      qaAverage: ratio(n('qaSum'), n('qaCount')),
      qaCount: n('qaCount'),
      dispositions: prefixed(c, 'disp:'),
      rank: 0,
    });
  }
  const score = (p: AgentPerformance) => (p[rankBy] as number | null) ?? -Infinity;
  list.sort((a, b) => score(b) - score(a) || a.agentId.localeCompare(b.agentId));
  list.forEach((p, i) => (p.rank = i > 0 && score(list[i - 1]) === score(p) ? list[i - 1].rank : i + 1));
  return list;
}
