/**
 * A small deterministic PRNG keyed by (seed, key): the simulator must give the same partner
 * record for the same seed and debtor id in any process, in any order of arrival, so each
 * debtor gets its own stream instead of sharing one global sequence.
 *
 * The two 32-bit inputs are mixed with MurmurHash3's finaliser into a 32-bit state, which
 * drives mulberry32. Both are public, tiny and good enough for simulation (not for security).
 */
export type RandomSource = () => number;

function fmix32(input: number): number {
  let h = input >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform numbers in [0, 1) with 2^-32 resolution, reproducible from (seed, key). */
export function seededRandom(seed: number, key: number): RandomSource {
  let state = fmix32(fmix32(seed) ^ Math.imul(fmix32(key) + 0x9e37_79b9, 0x2747_6a2d));
  return () => {
    state = (state + 0x6d2b_79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}
