import { sql } from 'slonik';
import { figures, type CampaignFigures } from '../campaignProgress/queries.ts';
import type { LeadDoc } from '../leads/evolve.ts';
import { CounterRow, DocRow } from '../shared/rows.ts';
import { decodeCursor, encodeCursor, hourRange, pageSize, sumCounters, tableIn, toPage, type Db, type Page, type PageArgs, type ReadOptions } from '../shared/query.ts';

export interface TaskStatisticsRow extends CampaignFigures {
  /** 'YYYY-MM-DD' (local day) or 'YYYY-MM-DDTHH' (local hour) in `timeZone`. */
  period: string;
}

export interface TaskStatistics {
  campaignId: string;
  rows: TaskStatisticsRow[];
  total: CampaignFigures;
}

function localPeriod(hourUtc: string, timeZone: string, by: 'day' | 'hour'): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(`${hourUtc}:00:00Z`));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  const day = `${p.year}-${p.month}-${p.day}`;
  return by === 'day' ? day : `${day}T${p.hour}`;
}

/**
 * Task (campaign) statistics per local day or hour over [from, to): dials, answers, contacts, abandons,
 * dispositions, orders, revenue. Days follow `timeZone` (default Asia/Shanghai) since floors report locally.
 */
export async function taskStatistics(
  db: Db,
  campaignId: string,
  f: ReadOptions & { from: string; to: string; by?: 'day' | 'hour'; timeZone?: string },
): Promise<TaskStatistics> {
  const { fromHour, toHour } = hourRange(f.from, f.to);
  const rows = await db.any(sql.type(CounterRow)`
    SELECT key, dims, counters FROM ${tableIn(f, 'campaign_hour')}
    WHERE campaign_id = ${campaignId} AND hour >= ${fromHour} AND hour < ${toHour} ORDER BY hour`);
  const groups = new Map<string, (typeof rows)[number][]>();
  for (const r of rows) {
    const period = localPeriod(r.dims.hour, f.timeZone ?? 'Asia/Shanghai', f.by ?? 'day');
    groups.set(period, [...(groups.get(period) ?? []), r]);
  }
  return {
    campaignId,
    rows: [...groups].map(([period, rs]) => ({ period, ...figures(sumCounters(rs)) })),
    total: figures(sumCounters(rows)),
  };
}

export interface TaskDetailRow {
  phone: string;
  name?: string;
  status: string;
  attempts: number;
  lastDialAt?: string;
  lastDisposition?: string;
  lastAgentId?: string;
  owner?: string;
  doNotCall: boolean;
}

/** Task (campaign) detail: one row per lead worked in or listed for the campaign, by phone number. */
export async function taskDetail(db: Db, campaignId: string, f: ReadOptions & PageArgs & { status?: string } = {}): Promise<Page<TaskDetailRow>> {
  const size = pageSize(f);
  const campaign = await db.maybeOne(sql.type(DocRow)`SELECT key, doc FROM ${tableIn(f, 'campaign')} WHERE key = ${campaignId}`);
  const lists: string[] = campaign?.doc.listIds ?? [];
  const where = [sql.fragment`(last_campaign_id = ${campaignId} OR (doc -> 'batchIds') ?| ${sql.array(lists, 'text')})`];
  if (f.status) where.push(sql.fragment`status = ${f.status}`);
  const after = decodeCursor(f.after);
  if (after) where.push(sql.fragment`key > ${after.key}`);
  const rows = await db.any(sql.type(DocRow)`SELECT key, doc FROM ${tableIn(f, 'lead')} WHERE ${sql.join(where, sql.fragment` AND `)} ORDER BY key LIMIT ${size + 1}`);
  return toPage(
    rows,
    size,
    (r) => {
      const d = r.doc as LeadDoc;
      return {
        phone: d.phone,
        name: d.name,
        status: d.status,
        attempts: d.attempts,
        lastDialAt: d.lastDialAt,
        lastDisposition: d.dispositions.at(-1)?.code,
        lastAgentId: d.lastAgentId,
        owner: d.holder?.agentId ?? (d.assignee && `${d.assignee.kind}:${d.assignee.id}`),
        doNotCall: !!d.dnc,
      };
    },
    (r) => encodeCursor(null, r.key),
  );
}
