/**
 * The line each debtor id was first seen on, for the "debtor id twice" check. An open-addressing
 * table in two Int32Arrays: 8 bytes a slot instead of the ~70 a Map entry takes, so a book of
 * millions of rows costs tens of megabytes at most. Ids are positive INT32s, so 0 marks a free slot.
 */
export class DebtorLineIndex {
  private ids: Int32Array;
  private lines: Int32Array;
  private size = 0;

  constructor(initialCapacity = 1 << 14) {
    this.ids = new Int32Array(initialCapacity);
    this.lines = new Int32Array(initialCapacity);
  }

  /** Remembers `debtorId` at `line` and returns 0, or returns the line it was first seen on. */
  firstLineOrAdd(debtorId: number, line: number): number {
    if (!Number.isInteger(debtorId) || debtorId <= 0 || debtorId > 0x7fffffff) {
      throw new RangeError(`not a positive INT32 debtor id: ${debtorId}`);
    }
    const mask = this.ids.length - 1;
    let slot = hash(debtorId) & mask;
    for (;;) {
      const id = this.ids[slot];
      if (id === 0) break;
      if (id === debtorId) return this.lines[slot] ?? 0;
      slot = (slot + 1) & mask;
    }
    this.ids[slot] = debtorId;
    this.lines[slot] = Math.min(line, 0x7fffffff);
    this.size += 1;
    if (this.size * 4 > this.ids.length * 3) this.grow();
    return 0;
  }

  private grow(): void {
    const { ids, lines } = this;
    this.ids = new Int32Array(ids.length * 2);
    this.lines = new Int32Array(ids.length * 2);
    const mask = this.ids.length - 1;
    for (let i = 0; i < ids.length; i += 1) {
      const id = ids[i] ?? 0;
      if (id === 0) continue;
      let slot = hash(id) & mask;
      while (this.ids[slot] !== 0) slot = (slot + 1) & mask;
      this.ids[slot] = id;
      this.lines[slot] = lines[i] ?? 0;
    }
  }
}

function hash(id: number): number {
  // Fibonacci hashing spreads consecutive ids, the usual shape of a book, across the table.
  const mixed = Math.imul(id, 0x9e3779b1);
  return (mixed ^ (mixed >>> 15)) >>> 0;
}
