import pg from 'pg';

/**
 * Tells subscribers that the log grew: one LISTEN connection per store, shared by all subscriptions.
 * A generation counter closes the race between "read found nothing" and "start waiting". A slow poll
 * backs up NOTIFY, which PostgreSQL drops while the listening connection is down.
 */
export class LogWatcher {
  generation = 0;
  private client?: pg.Client;
  private starting?: Promise<void>;
  private waiters = new Set<() => void>();
  private stopped = false;

  private readonly url: string;
  private readonly channel: string;
  private readonly pollIntervalMs: number;

  constructor(url: string, channel: string, pollIntervalMs: number) {
    this.url = url;
    this.channel = channel;
    this.pollIntervalMs = pollIntervalMs;
  }

  start(): Promise<void> {
    this.starting ??= this.connect();
    return this.starting;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', () => this.bump());
    client.on('error', () => this.reconnectLater(client));
    client.on('end', () => this.reconnectLater(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      this.client = client;
      this.bump(); // anything committed while we were not listening is picked up by the next read
    } catch {
      this.reconnectLater(client);
    }
  }

  private reconnectLater(client: pg.Client): void {
    if (this.stopped || (this.client && this.client !== client)) return;
    this.client = undefined;
    client.removeAllListeners();
    client.on('error', () => {});
    client.end().catch(() => {});
    setTimeout(() => {
      this.starting = this.connect();
    }, 500).unref();
  }

  private bump(): void {
    this.generation++;
    this.wakeAll();
  }

  wakeAll(): void {
    for (const w of this.waiters) w();
    this.waiters.clear();
  }

  /** Resolves when the log may have changed since `generation`, or after the poll interval. */
  waitForChange(generation: number): Promise<void> {
    if (this.generation !== generation || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.pollIntervalMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.add(done);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeAll();
    const c = this.client;
    this.client = undefined;
    if (c) {
      c.removeAllListeners();
      c.on('error', () => {});
      await c.end().catch(() => {});
    }
  }
}
