import { PAYMENT_STATUSES, type PaymentStatus } from "@smartrecover/contracts";
import { seededRandom } from "./seeded-random";

/** The partner's book entry for one debtor (domain.md §7). */
export interface PartnerBook {
  balanceCents: number;
  status: PaymentStatus;
}

export interface SimulatorSettings {
  seed: number;
  /** Probability in [0, 1] that the partner has no record of the debtor. */
  missingProbability: number;
}

// v ~ U(−0.10, +0.10) is drawn in steps of 10^-9 so the balance is computed exactly in integers.
const V_SCALE = 1_000_000_000n;
const V_STEPS = 200_000_001;
const V_OFFSET = 100_000_000;

/**
 * The partner's record of a debtor seen for the first time, or null when the partner has none.
 * Draws, in this fixed order from seededRandom(seed, debtorId): missing?, v, status changed?,
 * which other status. All four are always drawn so changing one setting does not shift the rest.
 */
export function simulatePartnerRecord(
  settings: SimulatorSettings,
  debtorId: number,
  internal: PartnerBook,
): PartnerBook | null {
  const random = seededRandom(settings.seed, debtorId);
  const missingDraw = random();
  const varianceDraw = random();
  const statusDraw = random();
  const otherDraw = random();
  if (missingDraw < settings.missingProbability) return null;

  const vNano = BigInt(Math.floor(varianceDraw * V_STEPS) - V_OFFSET);
  const balanceCents = roundHalfUp(BigInt(internal.balanceCents) * (V_SCALE + vNano), V_SCALE);

  let status = internal.status;
  if (statusDraw < 0.2) {
    const others = PAYMENT_STATUSES.filter((candidate) => candidate !== internal.status);
    status = others[Math.floor(otherDraw * others.length)] ?? internal.status;
  }
  return { balanceCents: Number(balanceCents), status };
}

/** numerator / denominator rounded half up, both non-negative. */
function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}
