import pg from 'pg';
import type { LivePubSub } from './pubsub.ts';
import { NoticeFanout } from './pubsub.ts';
import type { ChangeNotice } from '../runtime/types.ts';

export const PROJECTION_CHANNEL = 'callstream_projections';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; past this, keys are dropped (clients refetch). */
const MAX_PAYLOAD = 7000;

/** Fits a notice into one NOTIFY: with too many keys, a table change is sent with `keys: []` meaning "refetch". */
export function encodeNotice(n: ChangeNotice): string {
  const full = JSON.stringify(n);
  if (Buffer.byteLength(full) < MAX_PAYLOAD) return full;
  return JSON.stringify({ ...n, changes: n.changes.map((c) => ({ table: c.table, keys: [] })) });
}

/**
 * Across processes: the runner NOTIFYs after each committed batch; every process LISTENs and fans the
 * notices out locally. A LISTEN connection that drops is reopened; notices sent meanwhile are lost, so
 * `since` then answers undefined and clients refetch.
 */
export class PgPubSub implements LivePubSub {
  private readonly fanout = new NoticeFanout();
  private readonly publisher: pg.Pool;
  private listener?: pg.Client;
  private closed = false;
  private readonly url: string;

  private constructor(url: string) {
    this.url = url;
    this.publisher = new pg.Pool({ connectionString: url, max: 2 });
    this.publisher.on('error', () => {});
  }

  static async connect(url: string): Promise<PgPubSub> {
    const ps = new PgPubSub(url);
    await ps.listen();
    return ps;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (m) => {
      if (m.channel !== PROJECTION_CHANNEL || !m.payload) return;
      const notice = JSON.parse(m.payload) as ChangeNotice;
      this.fanout.deliver(notice);
    });
    const reopen = () => {
      if (this.closed || this.listener !== client) return;
      this.listener = undefined;
      this.fanout.markGap();
      setTimeout(() => void this.listen().catch(reopen), 500).unref();
    };
    client.on('error', reopen);
    client.on('end', reopen);
    await client.connect();
    await client.query(`LISTEN ${PROJECTION_CHANNEL}`);
    this.listener = client;
  }

  async publish(notices: ChangeNotice[]): Promise<void> {
    for (const n of notices) await this.publisher.query('SELECT pg_notify($1, $2)', [PROJECTION_CHANNEL, encodeNotice(n)]);
  }

  subscribe(listener: (notice: ChangeNotice) => void, projection?: string): () => void {
    return this.fanout.subscribe(listener, projection);
  }

  since(position: number, projection?: string): ChangeNotice[] | undefined {
    return this.fanout.since(position, projection);
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.listener;
    this.listener = undefined;
    await c?.end().catch(() => {});
    await this.publisher.end();
  }
}
