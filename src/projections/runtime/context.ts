import { sql } from 'slonik';
import type { ProjectionContext, TableChange } from './types.ts';

/** A fresh context per transaction attempt, so a retried attempt does not report the changes twice. */
export function createContext(schema: string): ProjectionContext & { changes(): TableChange[] } {
  const changed = new Map<string, Set<string>>();
  return {
    schema,
    table: (name) => sql.identifier([schema, name]),
    changed(table, key) {
      let keys = changed.get(table);
      if (!keys) changed.set(table, (keys = new Set()));
      keys.add(key);
    },
    changes: () => [...changed].map(([table, keys]) => ({ table, keys: [...keys] })),
  };
}

/** Event time: the domain's `at`, else the metadata's occurredAt, else when it was stored. */
export function eventTime(e: { data: any; metadata: { occurredAt?: string }; recordedAt: string }): string {
  const at = e.data?.at ?? e.metadata?.occurredAt ?? e.recordedAt;
  // Already a UTC instant as toISOString writes it: no Date round trip (this runs for every event of a rebuild).
  if (typeof at === 'string' && at.length === 24 && at[23] === 'Z' && at[10] === 'T' && ISO_UTC.test(at)) return at;
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? e.recordedAt : d.toISOString();
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
