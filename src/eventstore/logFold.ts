import type { EventStore, RecordedEvent } from './types.ts';

const PAGE = 5000;

/**
 * Keeps an in-memory fold of the log up to date on demand: `catchUp()` reads what is new and hands each event to
 * `apply`. Calls queue behind each other, so two requests arriving together never apply an event twice, and an
 * event at or before the last one applied is skipped. `rewind()` (from `apply` or `afterPage`) starts over from
 * the beginning of the log, for a fold that learns it must keep what it passed over.
 */
export class LogFold {
  private readonly store: EventStore;
  private readonly eventTypes: string[];
  private readonly apply: (e: RecordedEvent) => void;
  private readonly afterPage?: () => void;
  private reading: Promise<void> = Promise.resolve();
  private rewound = false;
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

  rewind(): void {
    this.position = 0;
    this.rewound = true;
  }

  private async readToHead(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ after: this.position, maxCount: PAGE, filter: { eventTypes: this.eventTypes } });
      for (const e of page) {
        if (e.position <= this.position) continue;
        this.position = e.position;
        this.apply(e);
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
}
