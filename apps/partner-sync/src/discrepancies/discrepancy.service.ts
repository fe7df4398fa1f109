import type { ServiceDatabase } from "@smartrecover/db-kit";
import { ConflictError, NotFoundError } from "@smartrecover/service-kit";
import { toDiscrepancy, toDiscrepancyEvent } from "./discrepancy.mapper";
import { applyReview, type ReviewInput } from "./discrepancy.repository";
import type {
  AcknowledgeRequest,
  DiscrepancyListQuery,
  DiscrepancyPage,
  DiscrepancyWithHistory,
  ResolveRequest,
} from "./discrepancy.schemas";
import { ReviewTransitionError } from "./discrepancy-lifecycle";
import { findDiscrepancy, listDiscrepancies } from "./discrepancy-queries";

export interface ReviewPolicy {
  /** Four-eyes rule (domain.md §9): whoever acknowledged a discrepancy cannot resolve it. */
  requireSecondPerson: boolean;
}

/** The review use cases behind the discrepancy API: list, inspect, acknowledge, resolve. */
export class DiscrepancyService {
  constructor(
    private readonly db: ServiceDatabase,
    private readonly clock: () => Date = () => new Date(),
    private readonly policy: ReviewPolicy = { requireSecondPerson: false },
  ) {}

  async list(query: DiscrepancyListQuery): Promise<DiscrepancyPage> {
    const { page, page_size: pageSize, ...filter } = query;
    const now = this.clock();
    const { rows, total } = await listDiscrepancies(this.db, filter, now, {
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return {
      items: rows.map((row) => toDiscrepancy(row, now)),
      page,
      page_size: pageSize,
      total,
      total_pages: Math.ceil(total / pageSize),
    };
  }

  async get(id: number): Promise<DiscrepancyWithHistory> {
    const found = await findDiscrepancy(this.db, id);
    if (!found) throw new NotFoundError(`discrepancy ${id} not found`);
    return { ...toDiscrepancy(found.row, this.clock()), history: found.events.map(toDiscrepancyEvent) };
  }

  /** `actor` is the authenticated subject, never a value from the request body. */
  acknowledge(id: number, request: AcknowledgeRequest, actor: string): Promise<DiscrepancyWithHistory> {
    return this.review(id, { action: "ACKNOWLEDGE", actor, note: request.note || null });
  }

  resolve(id: number, request: ResolveRequest, actor: string): Promise<DiscrepancyWithHistory> {
    return this.review(id, { action: "RESOLVE", actor, note: request.note });
  }

  private async review(id: number, input: Omit<ReviewInput, "now">): Promise<DiscrepancyWithHistory> {
    try {
      const found = await applyReview(this.db, id, {
        ...input,
        now: this.clock(),
        requireSecondPerson: this.policy.requireSecondPerson,
      });
      if (!found) throw new NotFoundError(`discrepancy ${id} not found`);
    } catch (error) {
      if (error instanceof ReviewTransitionError) throw new ConflictError(error.message);
      throw error;
    }
    return this.get(id);
  }
}
