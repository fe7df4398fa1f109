import { randomFillSync } from "node:crypto";
import { v7 } from "uuid";

// uuid's own v7() asks the OS for 16 random bytes per id, one system call each, which a large run
// feels (docs/benchmarks.md). Same ids and ordering, with the random bytes from a pooled buffer.
const IDS_PER_REFILL = 256;
const pool = new Uint8Array(16 * IDS_PER_REFILL);
let offset = pool.length;
const state = { msecs: Number.NEGATIVE_INFINITY, seq: 0 };

/**
 * A UUIDv7 outbox message id. Time-ordered ids keep the outbox's unique index append-only;
 * within one millisecond a counter keeps them increasing, as uuid's v7() does.
 */
export function newMessageId(now: number = Date.now()): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const random = pool.subarray(offset, offset + 16);
  offset += 16;
  if (now > state.msecs) {
    state.msecs = now;
    // uuid's v7Sequence: a random 31-bit start for each new millisecond.
    state.seq =
      (((random[6] as number) & 0x7f) << 24) |
      ((random[7] as number) << 16) |
      ((random[8] as number) << 8) |
      (random[9] as number);
  } else {
    state.seq = (state.seq + 1) | 0;
    if (state.seq === 0) state.msecs += 1;
  }
  return v7({ random, msecs: state.msecs, seq: state.seq });
}
