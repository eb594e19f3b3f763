import { sql, type DatabasePool, type DatabasePoolConnection } from 'slonik';
import type { EventStore, RecordedEvent, Subscription } from '../../eventstore/types.ts';
import type { LivePubSub } from '../live/pubsub.ts';
import { applyBatchWithCheckpoints, ProjectionSupersededError, readCheckpoints } from './checkpoints.ts';
import type { ProjectionMetrics } from './metrics.ts';
import { ensureProjections, type RebuildOptions } from './rebuild.ts';
import { LIVE_SCHEMA, type Projection } from './types.ts';

export interface RunnerOptions {
  pool: DatabasePool;
  store: EventStore;
  projections: Projection[];
  pubsub?: LivePubSub;
  metrics?: ProjectionMetrics;
  /** Events per transaction (default 1000). */
  batchSize?: number;
  /** Wait before resubscribing after a failed batch (default 1000 ms). */
  retryDelayMs?: number;
  onError?: (e: unknown) => void;
  rebuild?: RebuildOptions;
}

/**
 * Keeps a group of projections up to date: one subscription to the global log, one transaction per batch
 * holding every projection's rows and checkpoint, then a change notice after commit. A failed batch
 * commits nothing; the runner resubscribes from the stored checkpoints.
 */
export class ProjectionRunner {
  private readonly opts: RunnerOptions;
  private subscription?: Subscription;
  private stopped = false;
  private readonly applied = new Map<string, number>();
  private waiters: { position: number; resolve: () => void }[] = [];
  private loop?: Promise<void>;
  private head = 0;

  constructor(opts: RunnerOptions) {
    this.opts = opts;
  }

  /** Creates or rebuilds the read models as needed, then follows the log. */
  async start(): Promise<void> {
    await ensureProjections(this.opts.pool, this.opts.store, this.opts.projections, this.opts.rebuild);
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        // One connection for the runner's life: no pool acquire and reset (DISCARD ALL) per batch.
        await this.opts.pool.connect((conn) => this.follow(conn));
        if (this.stopped) return;
      } catch (e) {
        if (this.stopped) return;
        this.opts.onError?.(e);
        if (e instanceof ProjectionSupersededError) {
          this.stopped = true;
          return;
        }
      }
      await new Promise((r) => setTimeout(r, this.opts.retryDelayMs ?? 1000));
    }
  }

  private async follow(conn: DatabasePoolConnection): Promise<void> {
    const stored = await readCheckpoints(conn, this.opts.projections.map((p) => p.name));
    for (const [name, cp] of stored) this.note(name, cp.position);
    if (this.stopped) return;
    const after = Math.min(...this.opts.projections.map((p) => stored.get(p.name)?.position ?? 0));
    // Known before the first batch, so a runner that starts far behind reports its lag while it catches up.
    this.head = Math.max(this.head, await this.opts.store.headPosition());
    this.subscription = this.opts.store.subscribe((events) => this.apply(conn, events), {
      after,
      batchSize: this.opts.batchSize ?? 1000,
      // no store-side type filter: see replay.ts; each projection skips what it does not handle
      onCaughtUp: (position) => this.caughtUp(position),
    });
    // stop() may have run while the awaits above were pending, before there was a subscription to stop.
    if (this.stopped) await this.subscription.stop();
    await this.subscription.done;
  }

  private async apply(conn: DatabasePoolConnection, events: RecordedEvent[]): Promise<void> {
    const started = performance.now();
    const notices = await conn.transaction(async (tx) => {
      // Rows and checkpoint still commit atomically; a server crash may only forget the last few commits
      // (both together), which are then applied again. Waiting for the disk would dominate live lag.
      await tx.query(sql.unsafe`SET LOCAL synchronous_commit = off`);
      return applyBatchWithCheckpoints(tx, this.opts.projections, events, LIVE_SCHEMA);
    });
    const last = events[events.length - 1];
    const seconds = (performance.now() - started) / 1000;
    const m = this.opts.metrics;
    for (const p of this.opts.projections) {
      this.note(p.name, last.position);
      if (m) {
        const types = new Set(p.eventTypes);
        m.events.inc({ projection: p.name }, events.filter((e) => types.has(e.type)).length);
        m.batchSeconds.observe({ projection: p.name }, seconds);
        m.position.set({ projection: p.name }, last.position);
        m.lagSeconds.set({ projection: p.name }, Math.max(0, (Date.now() - Date.parse(last.recordedAt)) / 1000));
        m.lagEvents.set({ projection: p.name }, Math.max(0, this.head - last.position));
      }
    }
    if (notices.length && this.opts.pubsub) await this.opts.pubsub.publish(notices).catch((e) => this.opts.onError?.(e));
  }

  private caughtUp(position: number): void {
    this.head = Math.max(this.head, position);
    for (const p of this.opts.projections) {
      this.note(p.name, position);
      this.opts.metrics?.lagEvents.set({ projection: p.name }, 0);
      this.opts.metrics?.lagSeconds.set({ projection: p.name }, 0);
    }
  }

  private note(name: string, position: number): void {
    if ((this.applied.get(name) ?? 0) < position) this.applied.set(name, position);
    const reached = this.reached();
    this.waiters = this.waiters.filter((w) => (w.position <= reached ? (w.resolve(), false) : true));
  }

  /** The lowest position every projection of this runner has reached. */
  reached(): number {
    return Math.min(...this.opts.projections.map((p) => this.applied.get(p.name) ?? 0));
  }

  /** Resolves once every projection has applied (or skipped) the log up to `position`. */
  waitFor(position: number): Promise<void> {
    if (this.reached() >= position) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ position, resolve }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
    await this.loop?.catch(() => {});
  }
}
