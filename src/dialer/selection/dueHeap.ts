/**
 * A binary min-heap of leads by `due` (ms), then by id: "which leads come due first" without scanning them all.
 * Entries are (due, id, stamp) kept in parallel typed arrays, 16 bytes each: a million-lead list puts most of
 * its leads on such heaps, and an object per entry cost several times that. The stamp lets the owner tell an
 * entry that is out of date (the lead changed since) from the current one.
 */
export class DueHeap {
  private due = new Float64Array(64);
  private ids = new Uint32Array(64);
  private stamps = new Uint32Array(64);
  private n = 0;

  get size(): number {
    return this.n;
  }

  push(due: number, id: number, stamp: number): void {
    if (this.n === this.ids.length) this.grow();
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(due, id, p)) break;
      this.move(p, i);
      i = p;
    }
    this.set(i, due, id, stamp);
  }

  /** The first entry, or undefined when empty. */
  peek(): { due: number; id: number; stamp: number } | undefined {
    return this.n === 0 ? undefined : { due: this.due[0], id: this.ids[0], stamp: this.stamps[0] };
  }

  pop(): { due: number; id: number; stamp: number } | undefined {
    const top = this.peek();
    if (!top) return undefined;
    const last = --this.n;
    if (last > 0) {
      const due = this.due[last];
      const id = this.ids[last];
      const stamp = this.stamps[last];
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= last) break;
        const r = l + 1;
        const m = r < last && this.less(r, l) ? r : l;
        if (!this.lessThan(m, due, id)) break;
        this.move(m, i);
        i = m;
      }
      this.set(i, due, id, stamp);
    }
    return top;
  }

  clear(): void {
    this.n = 0;
  }

  /** (due, id) comes before the entry at slot j. */
  private before(due: number, id: number, j: number): boolean {
    return due < this.due[j] || (due === this.due[j] && id < this.ids[j]);
  }

  /** The entry at slot j comes before (due, id). */
  private lessThan(j: number, due: number, id: number): boolean {
    return this.due[j] < due || (this.due[j] === due && this.ids[j] < id);
  }

  private less(a: number, b: number): boolean {
    return this.lessThan(a, this.due[b], this.ids[b]);
  }

  private move(from: number, to: number): void {
    this.set(to, this.due[from], this.ids[from], this.stamps[from]);
  }

  private set(i: number, due: number, id: number, stamp: number): void {
    this.due[i] = due;
    this.ids[i] = id;
    this.stamps[i] = stamp;
  }

  private grow(): void {
    const size = this.ids.length * 2;
    const due = new Float64Array(size);
    due.set(this.due);
    const ids = new Uint32Array(size);
    ids.set(this.ids);
    const stamps = new Uint32Array(size);
    stamps.set(this.stamps);
    this.due = due;
    this.ids = ids;
    this.stamps = stamps;
  }
}
