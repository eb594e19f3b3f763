/** Book-keeping for work in flight on one ESL connection, so all of it can fail at once on close. */
import { EslTimeoutError } from './errors.ts';

export interface Pending {
  what: string;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class Inflight {
  private readonly items = new Set<Pending>();

  /** Track an operation; on timeout it is rejected with EslTimeoutError and `onTimeout` runs. */
  add(what: string, timeoutMs: number, reject: (err: Error) => void, onTimeout?: (err: Error) => void): Pending {
    const p: Pending = {
      what,
      reject,
      timer: setTimeout(() => {
        this.items.delete(p);
        const err = new EslTimeoutError(what, timeoutMs);
        p.reject(err);
        onTimeout?.(err);
      }, timeoutMs),
    };
    this.items.add(p);
    return p;
  }

  has(p: Pending): boolean {
    return this.items.has(p);
  }

  remove(p: Pending): void {
    clearTimeout(p.timer);
    this.items.delete(p);
  }

  failAll(makeError: (what: string) => Error): void {
    for (const p of [...this.items]) {
      this.remove(p);
      p.reject(makeError(p.what));
    }
  }
}

/** Results that arrive as events, keyed by an id we chose (Job-UUID, Application-UUID). */
export class KeyedWaiters {
  private readonly inflight: Inflight;
  private readonly waiting = new Map<string, (value: string) => void>();

  constructor(inflight: Inflight) {
    this.inflight = inflight;
  }

  /** `cancel` forgets the wait (e.g. the command that would produce it was refused). */
  wait(key: string, what: string, timeoutMs: number): { result: Promise<string>; cancel: () => void } {
    let cancel = () => {};
    const result = new Promise<string>((resolve, reject) => {
      const p = this.inflight.add(what, timeoutMs, (err) => {
        this.waiting.delete(key);
        reject(err);
      });
      this.waiting.set(key, (value) => {
        this.inflight.remove(p);
        resolve(value);
      });
      cancel = () => {
        this.inflight.remove(p);
        this.waiting.delete(key);
      };
    });
    // Callers await the result only after the command's reply; keep an early rejection handled.
    result.catch(() => {});
    return { result, cancel };
  }

  settle(key: string, value: string): void {
    const fn = this.waiting.get(key);
    this.waiting.delete(key);
    fn?.(value);
  }
}
