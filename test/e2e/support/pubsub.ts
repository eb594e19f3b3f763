/** Topic -> async iterators, enough for graphql-js subscriptions in a test server. */
export class PubSub {
  private listeners = new Map<string, Set<(payload: unknown) => void>>();

  publish(topic: string, payload: unknown) {
    for (const l of this.listeners.get(topic) ?? []) l(payload);
  }

  iterator(topic: string): AsyncIterableIterator<unknown> {
    const queue: unknown[] = [];
    let wake: ((r: IteratorResult<unknown>) => void) | null = null;
    let done = false;
    const listener = (payload: unknown) => {
      if (wake) {
        wake({ value: payload, done: false });
        wake = null;
      } else queue.push(payload);
    };
    const set = this.listeners.get(topic) ?? new Set();
    set.add(listener);
    this.listeners.set(topic, set);
    const finish = async (): Promise<IteratorResult<unknown>> => {
      done = true;
      set.delete(listener);
      wake?.({ value: undefined, done: true });
      return { value: undefined, done: true };
    };
    return {
      next: () => (queue.length ? Promise.resolve({ value: queue.shift(), done: false }) : done ? finish() : new Promise((r) => (wake = r))),
      return: finish,
      throw: async (e) => { await finish(); throw e; },
      [Symbol.asyncIterator]() { return this; },
    };
  }
}
