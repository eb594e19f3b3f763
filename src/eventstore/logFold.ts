import type { EventStore, RecordedEvent, Subscription } from './types.ts';

const PAGE = 5000;

/**
 * Keeps an in-memory fold of the log up to date on demand: `catchUp()` reads what is new and hands each event to
 * `apply`. Calls queue behind each other, so two requests arriving together never apply an event twice, and an
 * event at or before the last one applied is skipped. `rewind()` (from `apply` or `afterPage`) starts over from
 * the beginning of the log, for a fold that learns it must keep what it passed over. `follow()` catches up once and
 * then keeps the fold live with a subscription (still each event once).
 */
export class LogFold {
  private readonly store: EventStore;
  private readonly eventTypes: string[];
  private readonly apply: (e: RecordedEvent) => void;
  private readonly afterPage?: () => void;
  private reading: Promise<void> = Promise.resolve();
  private rewound = false;
  private following?: Promise<void>;
  private sub?: Subscription;
  private stopped = false;
  /** Position of the last event applied. */
  position = 0;

  constructor(store: EventStore, eventTypes: readonly string[], apply: (e: RecordedEvent) => void, afterPage?: () => void) {
    this.store = store;
    this.eventTypes = [...eventTypes];
    this.apply = apply;
    this.afterPage = afterPage;
  }

  catchUp(): Promise<void> {
    const run = this.reading.then(() => this.readToHead());
    this.reading = run.catch(() => {});
    return run;
  }

  /**
   * Catch up once, then follow the log as it grows; later calls return the same promise. A catch-up that failed
   * (the database away) is not kept: the next call tries again from where the fold got to.
   */
  follow(): Promise<void> {
    if (this.following) return this.following;
    const following = (async () => {
      await this.catchUp();
      if (this.stopped) return;
      this.sub = this.store.subscribe(
        (events) => {
          for (const e of events) this.take(e);
        },
        { after: this.position, filter: { eventTypes: this.eventTypes } },
      );
    })();
    this.following = following;
    following.catch(() => {
      if (this.following === following) this.following = undefined;
    });
    return following;
  }

  /** Whether `follow()` has been asked for (its catch-up may still be running). */
  get followed(): boolean {
    return this.following !== undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.sub?.stop();
  }

  rewind(): void {
    this.position = 0;
    this.rewound = true;
  }

  private async readToHead(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ after: this.position, maxCount: PAGE, filter: { eventTypes: this.eventTypes } });
      for (const e of page) {
        this.take(e);
        if (this.rewound) break;
      }
      this.afterPage?.();
      if (this.rewound) {
        this.rewound = false;
        continue;
      }
      if (page.length < PAGE) return;
    }
  }

  /** Both the catch-up and the subscription come here: an event at or before the last one applied is skipped. */
  private take(e: RecordedEvent): void {
    if (e.position <= this.position) return;
    this.position = e.position;
    this.apply(e);
  }
}
