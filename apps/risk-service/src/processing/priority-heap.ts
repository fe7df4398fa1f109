/**
 * Binary max-heap of (priority, debtor id) held in two typed arrays, so a million debtors
 * cost 16 MB. Highest priority first; equal priorities leave the lower debtor id first.
 * Fill with `add` (O(1)), then `heapify` once (O(n)), then `pop` (O(log n)).
 */
export class PriorityHeap {
  private priorities: Float64Array;
  private ids: Float64Array;
  private length = 0;
  private heapified = true;

  constructor(initialCapacity = 1024) {
    const capacity = Math.max(1, initialCapacity);
    this.priorities = new Float64Array(capacity);
    this.ids = new Float64Array(capacity);
  }

  get size(): number {
    return this.length;
  }

  /** Appends without restoring order; call `heapify` before popping. */
  add(priority: number, id: number): void {
    if (this.length === this.priorities.length) this.grow();
    this.priorities[this.length] = priority;
    this.ids[this.length] = id;
    this.length += 1;
    this.heapified = false;
  }

  push(priority: number, id: number): void {
    if (!this.heapified) this.heapify();
    this.add(priority, id);
    this.siftUp(this.length - 1);
    this.heapified = true;
  }

  heapify(): void {
    for (let i = (this.length >> 1) - 1; i >= 0; i -= 1) this.siftDown(i);
    this.heapified = true;
  }

  peek(): { priority: number; id: number } | undefined {
    if (this.length === 0) return undefined;
    if (!this.heapified) this.heapify();
    return { priority: this.priorities[0] as number, id: this.ids[0] as number };
  }

  /** Removes the top entry; returns its id, or undefined when empty. `out.priority` receives its priority when given. */
  pop(out?: { priority: number }): number | undefined {
    if (this.length === 0) return undefined;
    if (!this.heapified) this.heapify();
    const id = this.ids[0] as number;
    if (out) out.priority = this.priorities[0] as number;
    this.length -= 1;
    if (this.length > 0) {
      this.priorities[0] = this.priorities[this.length] as number;
      this.ids[0] = this.ids[this.length] as number;
      this.siftDown(0);
    }
    return id;
  }

  /** True when entry a must leave before entry b. */
  private before(a: number, b: number): boolean {
    const pa = this.priorities[a] as number;
    const pb = this.priorities[b] as number;
    return pa > pb || (pa === pb && (this.ids[a] as number) < (this.ids[b] as number));
  }

  private swap(a: number, b: number): void {
    const p = this.priorities[a] as number;
    this.priorities[a] = this.priorities[b] as number;
    this.priorities[b] = p;
    const id = this.ids[a] as number;
    this.ids[a] = this.ids[b] as number;
    this.ids[b] = id;
  }

  private siftUp(index: number): void {
    let child = index;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.before(child, parent)) return;
      this.swap(child, parent);
      child = parent;
    }
  }

  private siftDown(index: number): void {
    let parent = index;
    for (;;) {
      const left = 2 * parent + 1;
      if (left >= this.length) return;
      const right = left + 1;
      const first = right < this.length && this.before(right, left) ? right : left;
      if (!this.before(first, parent)) return;
      this.swap(first, parent);
      parent = first;
    }
  }

  private grow(): void {
    const capacity = this.priorities.length * 2;
    const priorities = new Float64Array(capacity);
    priorities.set(this.priorities);
    const ids = new Float64Array(capacity);
    ids.set(this.ids);
    this.priorities = priorities;
    this.ids = ids;
  }
}
