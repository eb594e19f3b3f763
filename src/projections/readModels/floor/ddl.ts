import { sql, type QuerySqlToken } from 'slonik';
import { docTable } from '../../runtime/docs.ts';

const counterTable = (schema: string, name: string, dim: string): QuerySqlToken[] => [
  sql.unsafe`CREATE TABLE IF NOT EXISTS ${sql.identifier([schema, name])} (
    key text PRIMARY KEY,
    dims jsonb NOT NULL,
    counters jsonb NOT NULL,
    ${sql.identifier([dim])} text GENERATED ALWAYS AS (dims ->> ${sql.literalValue(camel(dim))}) STORED,
    hour text GENERATED ALWAYS AS (dims ->> 'hour') STORED
  )`,
  sql.unsafe`CREATE INDEX IF NOT EXISTS ${sql.identifier([`${name}_by_${dim}`])} ON ${sql.identifier([schema, name])} (${sql.identifier([dim])}, hour)`,
  sql.unsafe`CREATE INDEX IF NOT EXISTS ${sql.identifier([`${name}_by_hour`])} ON ${sql.identifier([schema, name])} (hour)`,
];

function camel(s: string): string {
  return s.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
}

/** Tables of the floor projection: calls, agents, queues, campaigns, orders as sales, and their hourly counters. */
export function floorTables(schema: string): QuerySqlToken[] {
  const call = sql.identifier([schema, 'call']);
  const idx = (name: string, cols: ReturnType<typeof sql.fragment>) => sql.unsafe`CREATE INDEX IF NOT EXISTS ${sql.identifier([name])} ON ${call} ${cols}`;
  return [
    sql.unsafe`CREATE TABLE IF NOT EXISTS ${call} (
      key text PRIMARY KEY,
      doc jsonb NOT NULL,
      started_at text GENERATED ALWAYS AS (doc ->> 'startedAt') STORED,
      ended_at text GENERATED ALWAYS AS (doc ->> 'endedAt') STORED,
      phone text GENERATED ALWAYS AS (doc ->> 'phone') STORED,
      agent_id text GENERATED ALWAYS AS (doc ->> 'agentId') STORED,
      campaign_id text GENERATED ALWAYS AS (doc ->> 'campaignId') STORED,
      queue_id text GENERATED ALWAYS AS (doc ->> 'queueId') STORED,
      direction text GENERATED ALWAYS AS (doc ->> 'direction') STORED,
      disposition text GENERATED ALWAYS AS (doc #>> '{disposition,code}') STORED,
      has_recording boolean GENERATED ALWAYS AS (jsonb_array_length(doc -> 'recordings') > 0) STORED,
      abandoned_at text GENERATED ALWAYS AS (doc #>> '{abandoned,at}') STORED,
      qa_total numeric GENERATED ALWAYS AS ((doc #>> '{qa,total}')::numeric) STORED
    )`,
    idx('call_by_start', sql.fragment`(started_at, key)`),
    idx('call_by_phone', sql.fragment`(phone, started_at)`),
    idx('call_by_agent', sql.fragment`(agent_id, started_at)`),
    idx('call_by_campaign', sql.fragment`(campaign_id, started_at)`),
    idx('call_by_queue', sql.fragment`(queue_id, started_at)`),
    idx('call_abandoned', sql.fragment`(abandoned_at) WHERE abandoned_at IS NOT NULL`),
    idx('call_scored', sql.fragment`(agent_id) WHERE qa_total IS NOT NULL`),
    docTable(schema, 'disposition'),
    docTable(schema, 'agent'),
    docTable(schema, 'queue'),
    docTable(schema, 'campaign'),
    docTable(schema, 'sale'),
    ...counterTable(schema, 'campaign_hour', 'campaign_id'),
    ...counterTable(schema, 'agent_hour', 'agent_id'),
    ...counterTable(schema, 'queue_hour', 'queue_id'),
  ];
}
