import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { BulkOutcome, Discrepancy, DiscrepancyEvent, ReviewState } from "../../src/web/api/api-types";
import type { Caller, StandInRole } from "./stand-in-auth";
import type { StandInState } from "./stand-in-services";

type As = (request: FastifyRequest, reply: FastifyReply, role: StandInRole) => Promise<Caller | null>;
type Query = Record<string, string | undefined>;

function matches(item: Discrepancy, query: Query, caller: Caller, withStatus: boolean): boolean {
  if (withStatus && query.status && !query.status.split(",").includes(item.review_state)) return false;
  if (query.type && !query.type.split(",").includes(item.type)) return false;
  if (query.min_age_days && item.age_days < Number(query.min_age_days)) return false;
  if (query.max_age_days && item.age_days > Number(query.max_age_days)) return false;
  if (query.min_priority && Number(item.priority ?? 0) < Number(query.min_priority)) return false;
  if (query.assignee === "me" && item.assignee !== caller.subject) return false;
  if (query.assignee === "none" && item.assignee !== null) return false;
  if (query.assignee && !["me", "none"].includes(query.assignee) && item.assignee !== query.assignee) return false;
  return true;
}

class ReviewRefusal extends Error {
  constructor(
    readonly code: "NOT_FOUND" | "WRONG_STATE",
    message: string,
  ) {
    super(message);
  }
}

/** The review half of partner-sync's API-NEW.md routes, over the stand-in's in-memory state. */
export async function discrepancyRoutes(
  app: FastifyInstance,
  options: { state: StandInState; as: As; now: () => Date },
) {
  const { state, as } = options;
  const base = "/api/partner_sync/discrepancies";

  function record(
    item: Discrepancy,
    event: string,
    actor: string,
    note: string | null,
    from: ReviewState,
    extra: Partial<DiscrepancyEvent> = {},
  ) {
    const history = state.history.get(item.id) ?? [];
    history.push({
      id: history.length + item.id * 10 + 1,
      event,
      from_state: from,
      to_state: item.review_state,
      actor,
      note,
      message_id: null,
      created_at: new Date().toISOString(),
      ...extra,
    });
    state.history.set(item.id, history);
  }

  function act(
    id: number,
    action: "acknowledge" | "resolve" | "assign" | "comment",
    caller: Caller,
    body: { note?: string; assignee?: string | null },
  ) {
    const item = state.discrepancies.get(id);
    if (!item) throw new ReviewRefusal("NOT_FOUND", `no discrepancy ${id}`);
    const from = item.review_state;
    if (action === "acknowledge") {
      if (from !== "OPEN") throw new ReviewRefusal("WRONG_STATE", `cannot acknowledge a discrepancy that is ${from}`);
      item.review_state = "ACKNOWLEDGED";
      record(item, "ACKNOWLEDGED", caller.subject, body.note ?? null, from);
    } else if (action === "resolve") {
      if (from !== "ACKNOWLEDGED")
        throw new ReviewRefusal("WRONG_STATE", `cannot resolve a discrepancy that is ${from}`);
      item.review_state = "RESOLVED";
      item.resolved_at = new Date().toISOString();
      record(item, "RESOLVED", caller.subject, body.note ?? null, from);
    } else if (action === "assign") {
      item.assignee = body.assignee ?? null;
      record(item, "ASSIGNED", caller.subject, null, from, { assignee: item.assignee });
    } else {
      record(item, "COMMENTED", caller.subject, body.note ?? null, from);
    }
    return { ...item, history: state.history.get(id) ?? [] };
  }

  app.get(`${base}/`, async (request, reply) => {
    const caller = await as(request, reply, "viewer");
    if (!caller) return reply;
    const query = request.query as Query;
    const sorted = [...state.discrepancies.values()]
      .filter((item) => matches(item, query, caller, true))
      .sort((a, b) =>
        query.sort === "age"
          ? b.age_days - a.age_days || a.id - b.id
          : Number(b.priority) - Number(a.priority) || a.id - b.id,
      );
    const offset = Number(query.cursor ?? 0);
    const limit = Number(query.limit ?? 50);
    const items = sorted.slice(offset, offset + limit);
    return { items, next_cursor: offset + limit < sorted.length ? String(offset + limit) : null, total: sorted.length };
  });

  app.get(`${base}/counts/`, async (request, reply) => {
    const caller = await as(request, reply, "viewer");
    if (!caller) return reply;
    const found = [...state.discrepancies.values()].filter((item) =>
      matches(item, request.query as Query, caller, false),
    );
    const by = (state: ReviewState) => found.filter((item) => item.review_state === state).length;
    return {
      OPEN: by("OPEN"),
      ACKNOWLEDGED: by("ACKNOWLEDGED"),
      RESOLVED: by("RESOLVED"),
      AUTO_RESOLVED: by("AUTO_RESOLVED"),
      assigned_to_me: found.filter(
        (item) =>
          item.assignee === caller.subject && (item.review_state === "OPEN" || item.review_state === "ACKNOWLEDGED"),
      ).length,
    };
  });

  app.get<{ Params: { id: string } }>(`${base}/:id/`, async (request, reply) => {
    if (!(await as(request, reply, "viewer"))) return reply;
    const item = state.discrepancies.get(Number(request.params.id));
    if (!item)
      return reply
        .code(404)
        .send({ status_code: 404, error: "Not Found", code: "NOT_FOUND", message: "no such discrepancy" });
    return { ...item, history: state.history.get(item.id) ?? [] };
  });

  for (const action of ["acknowledge", "resolve", "assign", "comments"] as const) {
    app.post<{ Params: { id: string }; Body: { note?: string; assignee?: string | null } }>(
      `${base}/:id/${action}/`,
      async (request, reply) => {
        const caller = await as(request, reply, "reviewer");
        if (!caller) return reply;
        if (action === "resolve" && !request.body?.note) {
          return reply
            .code(400)
            .send({ status_code: 400, error: "Bad Request", code: "VALIDATION_ERROR", message: "note is required" });
        }
        try {
          return act(Number(request.params.id), action === "comments" ? "comment" : action, caller, request.body ?? {});
        } catch (error) {
          if (!(error instanceof ReviewRefusal)) throw error;
          const status = error.code === "NOT_FOUND" ? 404 : 409;
          return reply
            .code(status)
            .send({ status_code: status, error: "Refused", code: error.code, message: error.message });
        }
      },
    );
  }

  app.post<{
    Body: { action: "acknowledge" | "resolve" | "assign"; ids: number[]; note?: string; assignee?: string | null };
  }>(`${base}/bulk/`, async (request, reply) => {
    const caller = await as(request, reply, "reviewer");
    if (!caller) return reply;
    const results: BulkOutcome[] = request.body.ids.map((id) => {
      try {
        act(id, request.body.action, caller, request.body);
        return { id, ok: true };
      } catch (error) {
        if (!(error instanceof ReviewRefusal)) throw error;
        return { id, ok: false, code: error.code, message: error.message };
      }
    });
    return { results };
  });
}
