/** Binary min-heap of timed events; ties keep insertion order so runs are deterministic. */
export interface Timed<P> {
  at: number;
  seq: number;
  payload: P;
}

export class EventQueue<P> {
  private readonly heap: Timed<P>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, payload: P): void {
    const h = this.heap;
    h.push({ at, seq: this.seq++, payload });
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  pop(): Timed<P> | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

function before<P>(x: Timed<P>, y: Timed<P>): boolean {
  return x.at < y.at || (x.at === y.at && x.seq < y.seq);
}
