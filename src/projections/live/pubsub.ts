import type { ChangeNotice } from '../runtime/types.ts';

export type { ChangeNotice, TableChange } from '../runtime/types.ts';

/**
 * Where the projection runner tells the API what changed. Notices arrive in position order; each
 * carries the global position, so a client that reconnects with its last position asks `since` for
 * what it missed (or learns it must refetch, when that is older than what is kept).
 */
export interface LivePubSub {
  publish(notices: ChangeNotice[]): Promise<void>;
  /** `projection` narrows to one read model; omitted means all. Returns the unsubscribe function. */
  subscribe(listener: (notice: ChangeNotice) => void, projection?: string): () => void;
  /** Notices after `position` still kept, or undefined when some may already be forgotten. */
  since(position: number, projection?: string): ChangeNotice[] | undefined;
  close(): Promise<void>;
}

/** Keeps the last notices in order and fans them out to listeners in this process. */
export class NoticeFanout {
  private readonly kept: ChangeNotice[] = [];
  private readonly listeners = new Set<{ fn: (n: ChangeNotice) => void; projection?: string }>();
  /** Everything at or before this position may have been dropped from `kept`. */
  private forgottenUpTo = 0;
  private gap = false;
  private readonly capacity: number;

  constructor(capacity = 10_000) {
    this.capacity = capacity;
  }

  /** Notices may have been missed (a dropped LISTEN connection): clients older than the next one refetch. */
  markGap(): void {
    this.gap = true;
    this.kept.length = 0;
  }

  deliver(notice: ChangeNotice): void {
    if (this.gap) {
      this.gap = false;
      this.forgottenUpTo = notice.position;
    }
    this.kept.push(notice);
    if (this.kept.length > this.capacity) this.forgottenUpTo = this.kept.splice(0, this.kept.length - this.capacity).at(-1)!.position;
    for (const l of this.listeners) {
      if (l.projection && l.projection !== notice.projection) continue;
      try {
        l.fn(notice);
      } catch {
        // one failing listener must not starve the others
      }
    }
  }

  subscribe(fn: (n: ChangeNotice) => void, projection?: string): () => void {
    const entry = { fn, projection };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  since(position: number, projection?: string): ChangeNotice[] | undefined {
    if (this.gap || position < this.forgottenUpTo) return undefined;
    return this.kept.filter((n) => n.position > position && (!projection || n.projection === projection));
  }
}

/** The default: one process runs projections and serves the API. */
export class InProcessPubSub implements LivePubSub {
  private readonly fanout: NoticeFanout;
  constructor(capacity?: number) {
    this.fanout = new NoticeFanout(capacity);
  }
  async publish(notices: ChangeNotice[]): Promise<void> {
    for (const n of notices) this.fanout.deliver(n);
  }
  subscribe(listener: (notice: ChangeNotice) => void, projection?: string): () => void {
    return this.fanout.subscribe(listener, projection);
  }
  since(position: number, projection?: string): ChangeNotice[] | undefined {
    return this.fanout.since(position, projection);
  }
  async close(): Promise<void> {}
}
