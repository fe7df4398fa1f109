import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PriorityHeap } from "./priority-heap";

const byPriorityThenId = (a: [number, number], b: [number, number]) => b[0] - a[0] || a[1] - b[1];

function drain(heap: PriorityHeap): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const slot = { priority: 0 };
  for (let id = heap.pop(slot); id !== undefined; id = heap.pop(slot)) out.push([slot.priority, id]);
  return out;
}

const entries = fc.uniqueArray(
  fc.tuple(fc.integer({ min: 0, max: 450 * 10_000_000 }), fc.integer({ min: 1, max: 2_000_000 })),
  { selector: ([, id]) => id, maxLength: 400 },
);

describe("PriorityHeap", () => {
  it("when filled with add + heapify, then pops in the same order as a sort by priority desc, id asc", () => {
    fc.assert(
      fc.property(entries, (items) => {
        const heap = new PriorityHeap(2);
        for (const [priority, id] of items) heap.add(priority, id);
        heap.heapify();
        expect(drain(heap)).toEqual([...items].sort(byPriorityThenId));
      }),
    );
  });

  it("when filled with push one by one, then the order is the same as a sort", () => {
    fc.assert(
      fc.property(entries, (items) => {
        const heap = new PriorityHeap(1);
        for (const [priority, id] of items) heap.push(priority, id);
        expect(drain(heap)).toEqual([...items].sort(byPriorityThenId));
      }),
    );
  });

  it("when priorities tie, then the lower debtor id leaves first", () => {
    const heap = new PriorityHeap();
    for (const id of [42, 7, 19, 3]) heap.add(1000, id);
    heap.add(999, 1);
    expect(drain(heap).map(([, id]) => id)).toEqual([3, 7, 19, 42, 1]);
  });

  it("when empty, then pop and peek return undefined and size is 0", () => {
    const heap = new PriorityHeap();
    expect(heap.pop()).toBeUndefined();
    expect(heap.peek()).toBeUndefined();
    expect(heap.size).toBe(0);
  });

  it("when popping without heapify, then order is still correct (heapify is implied)", () => {
    const heap = new PriorityHeap();
    heap.add(1, 1);
    heap.add(5, 2);
    heap.add(3, 3);
    expect(heap.peek()).toEqual({ priority: 5, id: 2 });
    expect(drain(heap).map(([, id]) => id)).toEqual([2, 3, 1]);
  });
});
