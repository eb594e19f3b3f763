import { sql } from 'slonik';
import { z } from 'zod';
import type { CampaignDoc } from '../floor/campaign.ts';
import { CounterRow, DocRow } from '../shared/rows.ts';
import { prefixed, ratio, sumCounters, tableIn, type Db, type ReadOptions } from '../shared/query.ts';

export interface CampaignFigures {
  dials: number;
  blocked: number;
  answered: number;
  machine: number;
  contacts: number;
  abandoned: number;
  talkMs: number;
  orders: number;
  revenueFen: number;
  dispositions: Record<string, number>;
  /** orders / contacts */
  conversion: number | null;
  /** abandoned / answered by a human (TSR and Ofcom definition) */
  abandonRate: number | null;
}

export function figures(c: Record<string, number>): CampaignFigures {
  const n = (k: string) => c[k] ?? 0;
  return {
    dials: n('dials'),
    blocked: n('blocked'),
    answered: n('answered'),
    machine: n('machine'),
    contacts: n('contacts'),
    abandoned: n('abandoned'),
    talkMs: n('talkMs'),
    orders: n('orders'),
    revenueFen: n('revenueFen'),
    dispositions: prefixed(c, 'disp:'),
    conversion: ratio(n('orders'), n('contacts')),
    abandonRate: ratio(n('abandoned'), n('answered')),
  };
}

export interface CampaignProgress {
  campaign: CampaignDoc | null;
  leadsByStatus: Record<string, number>;
  leadsTotal: number;
  total: CampaignFigures;
  /** Rolling windows ending at `now`, to the hour: the regulators' 24 h (Ofcom) and 30 days (TSR). */
  last24h: CampaignFigures;
  last30d: CampaignFigures;
}

const hoursAgo = (now: string, h: number) => new Date(Date.parse(now) - h * 3_600_000).toISOString().slice(0, 13);

export async function campaignProgress(db: Db, campaignId: string, opts: ReadOptions & { now?: string } = {}): Promise<CampaignProgress> {
  const now = opts.now ?? new Date().toISOString();
  const campaignRow = await db.maybeOne(sql.type(DocRow)`SELECT key, doc FROM ${tableIn(opts, 'campaign')} WHERE key = ${campaignId}`);
  const campaign = (campaignRow?.doc as CampaignDoc | undefined) ?? null;
  const lists = campaign?.listIds ?? [];
  const statuses = await db.any(sql.type(z.object({ status: z.string(), n: z.number() }))`
    SELECT status, count(*)::int AS n FROM ${tableIn(opts, 'lead')}
    WHERE last_campaign_id = ${campaignId} OR (doc -> 'batchIds') ?| ${sql.array(lists, 'text')}
    GROUP BY status`);
  const rows = await db.any(sql.type(CounterRow)`SELECT key, dims, counters FROM ${tableIn(opts, 'campaign_hour')} WHERE campaign_id = ${campaignId}`);
  const since24 = hoursAgo(now, 23);
  const since30 = hoursAgo(now, 30 * 24 - 1);
  const upTo = now.slice(0, 13);
  const within = (from: string) => rows.filter((r) => r.dims.hour >= from && r.dims.hour <= upTo);
  const leadsByStatus = Object.fromEntries(statuses.map((s) => [s.status, s.n]));
  return {
    campaign,
    leadsByStatus,
    leadsTotal: statuses.reduce((a, s) => a + s.n, 0),
    total: figures(sumCounters(rows)),
    last24h: figures(sumCounters(within(since24))),
    last30d: figures(sumCounters(within(since30))),
  };
}

export async function listCampaigns(db: Db, opts: ReadOptions & { departmentId?: string; status?: string } = {}): Promise<CampaignDoc[]> {
  const rows = await db.any(sql.type(DocRow)`SELECT key, doc FROM ${tableIn(opts, 'campaign')} ORDER BY key`);
  return rows.map((r) => r.doc as CampaignDoc).filter((c) => (!opts.departmentId || c.departmentId === opts.departmentId) && (!opts.status || c.status === opts.status));
}
