/** A binary min-heap by `due` (ms), then `tie`: "which leads come due first" without scanning them all. */
export class DueHeap<T> {
  private readonly items: { due: number; tie: number; value: T }[] = [];

  get size(): number {
    return this.items.length;
  }

  push(due: number, tie: number, value: T): void {
    const a = this.items;
    a.push({ due, tie, value });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i], a[p])) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }

  peek(): { due: number; tie: number; value: T } | undefined {
    return this.items[0];
  }

  pop(): { due: number; tie: number; value: T } | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l], a[m])) m = l;
        if (r < a.length && before(a[r], a[m])) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}

function before(x: { due: number; tie: number }, y: { due: number; tie: number }): boolean {
  return x.due < y.due || (x.due === y.due && x.tie < y.tie);
}
