import { formatCents, type HighPriorityDebtorMessage, type PaymentStatus, parseCents } from "@smartrecover/contracts";
import { type PartnerBook, simulatePartnerRecord } from "../../src/reconciliation/partner-simulator";

/**
 * A deliberately plain reference of domain.md §7–§8, applied one message at a time, to compare
 * the applier's database against. Balance rule written from the text: internal 0 matches only 0;
 * otherwise |ext − int| / int ≤ tolerance / 100, compared exactly on integers (cents, 1/10^4 %).
 */
export interface ModelDiscrepancy {
  debtorId: number;
  type: string;
  state: "OPEN" | "AUTO_RESOLVED";
  occurrences: number;
  events: string[];
}

export class ReconciliationModel {
  readonly inbox = new Set<string>();
  readonly debtors = new Map<
    number,
    { last: number; book: PartnerBook | null; internal: PartnerBook; status: string; messageId: string }
  >();
  readonly discrepancies: ModelDiscrepancy[] = [];

  constructor(
    private readonly seed: number,
    private readonly missingProbability: number,
    private readonly toleranceTenThousandths: number,
  ) {}

  bookOf(debtorId: number): PartnerBook | null | undefined {
    return this.debtors.get(debtorId)?.book;
  }

  apply(message: HighPriorityDebtorMessage): "applied" | "duplicate" | "stale" {
    if (this.inbox.has(message.message_id)) return "duplicate";
    this.inbox.add(message.message_id);
    const at = Date.parse(message.processed_at);
    const known = this.debtors.get(message.debtor_id);
    if (known && at < known.last) return "stale";
    const internal = { balanceCents: parseCents(message.debt_amount) as number, status: message.payment_status };
    const book = known
      ? known.book
      : simulatePartnerRecord(
          { seed: this.seed, missingProbability: this.missingProbability },
          message.debtor_id,
          internal,
        );
    const differences: string[] = [];
    if (book === null) differences.push("MISSING_AT_PARTNER");
    else {
      if (!this.balanceMatches(internal.balanceCents, book.balanceCents)) differences.push("BALANCE_MISMATCH");
      if (internal.status !== book.status) differences.push("STATUS_MISMATCH");
    }
    const status = differences.length === 0 ? "MATCHED" : "DISCREPANCY";
    this.debtors.set(message.debtor_id, { last: at, book, internal, status, messageId: message.message_id });
    const open = this.discrepancies.filter((d) => d.debtorId === message.debtor_id && d.state === "OPEN");
    for (const discrepancy of open) {
      if (differences.includes(discrepancy.type)) {
        discrepancy.occurrences += 1;
        discrepancy.events.push("SEEN_AGAIN");
      } else {
        discrepancy.state = "AUTO_RESOLVED";
        discrepancy.events.push("AUTO_RESOLVED");
      }
    }
    for (const type of differences) {
      if (open.some((d) => d.type === type)) continue;
      this.discrepancies.push({
        debtorId: message.debtor_id,
        type,
        state: "OPEN",
        occurrences: 1,
        events: ["DETECTED"],
      });
    }
    return "applied";
  }

  private balanceMatches(internal: number, external: number): boolean {
    if (internal === 0) return external === 0;
    return (
      BigInt(Math.abs(external - internal)) * 1_000_000n <= BigInt(this.toleranceTenThousandths) * BigInt(internal)
    );
  }

  /**
   * Our balance just inside (or one cent outside) the tolerance above or below the partner's b,
   * solved from (i − b)·10^6 ≤ t·i (above) and (b − i)·10^6 ≤ t·i (below), t in 1/10^4 %.
   */
  static boundaryAmount(book: PartnerBook, tolerance: number, outside: boolean, below: boolean): string {
    const b = BigInt(book.balanceCents);
    const t = BigInt(tolerance);
    if (b === 0n || t >= 1_000_000n) return formatCents(book.balanceCents);
    const inside = below
      ? (b * 1_000_000n + (1_000_000n + t) - 1n) / (1_000_000n + t)
      : (b * 1_000_000n) / (1_000_000n - t);
    const chosen = outside ? inside + (below ? -1n : 1n) : inside;
    return formatCents(Number(chosen));
  }
}

export type { PaymentStatus };
