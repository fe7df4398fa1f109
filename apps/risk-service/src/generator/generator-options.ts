// generate-test-debtors' choices and bounds, apart from the generator so the CLI can show them in
// its help without loading faker.
export const DISTRIBUTIONS = ["balanced", "high-risk", "low-risk"] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];

/** faker's Mersenne Twister keeps 32 bits of a numeric seed: larger seeds would repeat smaller ones. */
export const MAX_SEED = 2 ** 32 - 1;

export const DEFAULT_COUNT = 5000;
export const MAX_COUNT = 5_000_000;
