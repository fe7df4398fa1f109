import type { ServiceDatabase } from "@smartrecover/db-kit";
import { ConflictError, NotFoundError } from "@smartrecover/service-kit";
import { toDiscrepancy, toDiscrepancyEvent } from "./discrepancy.mapper";
import { applyReviewCommand } from "./discrepancy.repository";
import type {
  AcknowledgeRequest,
  BulkReviewRequest,
  BulkReviewResponse,
  DiscrepancyCounts,
  DiscrepancyListQuery,
  DiscrepancyPage,
  DiscrepancyWithHistory,
  ResolveRequest,
  ReviewQueueFilter,
} from "./discrepancy.schemas";
import { DEFAULT_PAGE_SIZE } from "./discrepancy.schemas";
import { countQueueTabs, findDiscrepancy, listDiscrepancies, positionOf } from "./discrepancy-queries";
import type { ReviewCommand } from "./review-command";
import { decodeQueueCursor, encodeQueueCursor } from "./review-queue-cursor";

export interface ReviewPolicy {
  /** Four-eyes rule (domain.md §9): whoever acknowledged a discrepancy cannot resolve it. */
  requireSecondPerson: boolean;
}

/** The review use cases behind the discrepancy API (domain.md §8, §11). `actor` is the caller's token subject. */
export class DiscrepancyService {
  constructor(
    private readonly db: ServiceDatabase,
    private readonly clock: () => Date = () => new Date(),
    private readonly policy: ReviewPolicy = { requireSecondPerson: false },
  ) {}

  /** One page of the review queue; `caller` resolves `assignee=me`. */
  async list(query: DiscrepancyListQuery, caller: () => string): Promise<DiscrepancyPage> {
    const { page, page_size, limit, cursor, sort, assignee, min_priority, ...rest } = query;
    const filter: ReviewQueueFilter = { ...rest, min_priority };
    if (assignee === "none") filter.assignee = { kind: "none" };
    else if (assignee !== undefined)
      filter.assignee = { kind: "subject", subject: assignee === "me" ? caller() : assignee };
    const now = this.clock();
    const keyset = limit !== undefined || cursor !== undefined;
    if (keyset) {
      const take = limit ?? DEFAULT_PAGE_SIZE;
      const after = cursor === undefined ? undefined : decodeQueueCursor(cursor, sort);
      const result = await listDiscrepancies(this.db, filter, now, { kind: "keyset", sort, after, take });
      const last = result.rows.at(-1);
      return {
        items: result.rows.map((row) => toDiscrepancy(row, now)),
        next_cursor: result.more && last ? encodeQueueCursor(positionOf(last, sort)) : null,
        limit: take,
      };
    }
    const pageNumber = page ?? 1;
    const pageSize = page_size ?? DEFAULT_PAGE_SIZE;
    const result = await listDiscrepancies(this.db, filter, now, {
      kind: "offset",
      sort,
      skip: (pageNumber - 1) * pageSize,
      take: pageSize,
    });
    const total = result.total ?? 0;
    const last = result.rows.at(-1);
    return {
      items: result.rows.map((row) => toDiscrepancy(row, now)),
      next_cursor: result.more && last ? encodeQueueCursor(positionOf(last, sort)) : null,
      page: pageNumber,
      page_size: pageSize,
      total,
      total_pages: Math.ceil(total / pageSize),
    };
  }

  /** The console's tab counts; `assigned_to_me` counts the caller's unresolved discrepancies. */
  counts(actor: string): Promise<DiscrepancyCounts> {
    return countQueueTabs(this.db, actor);
  }

  async get(id: number): Promise<DiscrepancyWithHistory> {
    const found = await findDiscrepancy(this.db, id);
    if (!found) throw new NotFoundError(`discrepancy ${id} not found`);
    return { ...toDiscrepancy(found.row, this.clock()), history: found.events.map(toDiscrepancyEvent) };
  }

  /** `actor` is the authenticated subject, never a value from the request body. */
  acknowledge(id: number, request: AcknowledgeRequest, actor: string): Promise<DiscrepancyWithHistory> {
    return this.reviewOne(id, { kind: "ACKNOWLEDGE", note: request.note || null }, actor);
  }

  resolve(id: number, request: ResolveRequest, actor: string): Promise<DiscrepancyWithHistory> {
    return this.reviewOne(id, { kind: "RESOLVE", note: request.note }, actor);
  }

  assign(id: number, assignee: string | null, actor: string): Promise<DiscrepancyWithHistory> {
    return this.reviewOne(id, { kind: "ASSIGN", assignee, note: null }, actor);
  }

  comment(id: number, note: string, actor: string): Promise<DiscrepancyWithHistory> {
    return this.reviewOne(id, { kind: "COMMENT", note }, actor);
  }

  /** Up to 500 ids, one result per id in request order; never all or nothing. */
  async bulk(request: BulkReviewRequest, actor: string): Promise<BulkReviewResponse> {
    const command = bulkCommand(request);
    const decisions = await applyReviewCommand(this.db, request.ids, command, {
      actor,
      now: this.clock(),
      requireSecondPerson: this.policy.requireSecondPerson,
    });
    const results = request.ids.map((id, i) => {
      const decision = decisions[i];
      return decision?.ok
        ? { id, ok: true as const }
        : { id, ok: false as const, error: decision?.refusal ?? { code: "not_found" as const, message: "" } };
    });
    const succeeded = results.filter((result) => result.ok).length;
    return { action: request.action, succeeded, failed: results.length - succeeded, results };
  }

  private async reviewOne(id: number, command: ReviewCommand, actor: string): Promise<DiscrepancyWithHistory> {
    const [decision] = await applyReviewCommand(this.db, [id], command, {
      actor,
      now: this.clock(),
      requireSecondPerson: this.policy.requireSecondPerson,
    });
    if (decision && !decision.ok) {
      if (decision.refusal.code === "not_found") throw new NotFoundError(decision.refusal.message);
      throw new ConflictError(decision.refusal.message);
    }
    return this.get(id);
  }
}

function bulkCommand(request: BulkReviewRequest): ReviewCommand {
  switch (request.action) {
    case "acknowledge":
      return { kind: "ACKNOWLEDGE", note: request.note ?? null };
    case "resolve":
      return { kind: "RESOLVE", note: request.note ?? "" };
    case "assign":
      return { kind: "ASSIGN", assignee: request.assignee ?? null, note: request.note ?? null };
  }
}
