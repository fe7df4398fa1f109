import Fastify, { type FastifyInstance } from "fastify";
import type { Discrepancy, DiscrepancyEvent, ProcessRun, ReviewState } from "../../src/web/api/api-types";
import {
  cannedDeadLetters,
  cannedDebtor,
  cannedDiscrepancy,
  cannedHistory,
  cannedImports,
  cannedPoison,
  cannedPriority,
  cannedRuns,
  cannedSummary,
  NOW,
} from "../fixtures/canned-api";
import { bearerGuard, type Caller } from "./stand-in-auth";
import { discrepancyRoutes } from "./stand-in-review.routes";

/**
 * Stands in for risk-service and partner-sync on one port until the real routes of API-NEW.md
 * exist: canned data with just enough state for the console's flows (review actions change
 * discrepancies, the running processing run advances as it is polled). It checks the bearer
 * token and the role as the services will.
 */
export interface StandInState {
  discrepancies: Map<number, Discrepancy>;
  history: Map<number, DiscrepancyEvent[]>;
  runs: ProcessRun[];
  /** Every request with its verified caller, for assertions. */
  calls: Array<{ method: string; url: string; caller: Caller | null }>;
}

/** The CSV itself: a text/csv body as is, or the file part of a multipart upload. */
function csvOf(body: string, contentType: string): string {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return body;
  const part = body.split(`--${boundary[1] ?? boundary[2]}`).find((candidate) => /name="file"/.test(candidate)) ?? "";
  return part.slice(part.indexOf("\r\n\r\n") + 4).replace(/\r\n$/, "");
}

export async function startStandInServices(options: {
  key: Uint8Array;
  issuer: string;
  audience: string;
  discrepancyCount?: number;
}): Promise<{ app: FastifyInstance; url: string; state: StandInState }> {
  const state: StandInState = {
    discrepancies: new Map(),
    history: new Map(),
    runs: structuredClone(cannedRuns),
    calls: [],
  };
  for (let n = 1; n <= (options.discrepancyCount ?? 60); n++) {
    const item = cannedDiscrepancy(n);
    state.discrepancies.set(item.id, item);
    state.history.set(item.id, cannedHistory(item));
  }
  const guard = bearerGuard(options);
  const app = Fastify({ logger: false });
  const as = async (
    request: Parameters<typeof guard>[0],
    reply: Parameters<typeof guard>[1],
    role: Parameters<typeof guard>[2],
  ) => {
    const caller = await guard(request, reply, role);
    state.calls.push({ method: request.method, url: request.url, caller });
    return caller;
  };
  app.removeContentTypeParser("text/plain");
  app.addContentTypeParser(
    ["text/csv", "multipart/form-data"],
    { parseAs: "string", bodyLimit: 10 * 1024 * 1024 },
    (_r, body, done) => done(null, body),
  );

  await app.register(discrepancyRoutes, { state, as, now: () => NOW });

  app.get("/api/partner_sync/summary/", async (request, reply) => {
    if (!(await as(request, reply, "viewer"))) return reply;
    const items = [...state.discrepancies.values()];
    const unresolved = items.filter((item) => item.review_state === "OPEN" || item.review_state === "ACKNOWLEDGED");
    const count = (list: Discrepancy[], test: (item: Discrepancy) => boolean) => list.filter(test).length;
    const byState = (state: ReviewState) => count(items, (item) => item.review_state === state);
    const byType = (list: Discrepancy[], type: string) => count(list, (item) => item.type === type);
    return {
      ...cannedSummary,
      discrepancies: {
        total: items.length,
        by_status: {
          OPEN: byState("OPEN"),
          ACKNOWLEDGED: byState("ACKNOWLEDGED"),
          RESOLVED: byState("RESOLVED"),
          AUTO_RESOLVED: byState("AUTO_RESOLVED"),
        },
        by_type: {
          BALANCE_MISMATCH: byType(items, "BALANCE_MISMATCH"),
          STATUS_MISMATCH: byType(items, "STATUS_MISMATCH"),
          MISSING_AT_PARTNER: byType(items, "MISSING_AT_PARTNER"),
        },
        unresolved_by_type: {
          BALANCE_MISMATCH: byType(unresolved, "BALANCE_MISMATCH"),
          STATUS_MISMATCH: byType(unresolved, "STATUS_MISMATCH"),
          MISSING_AT_PARTNER: byType(unresolved, "MISSING_AT_PARTNER"),
        },
        unresolved_ageing: {
          "0_1_days": count(unresolved, (item) => item.age_days <= 1),
          "2_7_days": count(unresolved, (item) => item.age_days >= 2 && item.age_days <= 7),
          "8_30_days": count(unresolved, (item) => item.age_days >= 8 && item.age_days <= 30),
          over_30_days: count(unresolved, (item) => item.age_days > 30),
        },
      },
    };
  });
  app.get("/api/partner_sync/reports/reconciliation/", async (request, reply) => {
    if (!(await as(request, reply, "reviewer"))) return reply;
    const rows = [...state.discrepancies.values()].map(
      (item) => `${item.id},${item.debtor_id},${item.type},${item.review_state}`,
    );
    return reply.type("text/csv").send(`id,debtor_id,type,review_state\n${rows.join("\n")}\n`);
  });
  app.get("/api/partner_sync/poison-messages/", async (request, reply) => {
    const caller = await as(request, reply, "viewer");
    if (!caller) return reply;
    const withBodies = (request.query as { bodies?: string }).bodies === "true" && caller.role === "admin";
    return { items: cannedPoison.map(({ body, ...rest }) => (withBodies ? { ...rest, body } : rest)) };
  });
  app.get("/api/partner_sync/dead-letters/", async (request, reply) => {
    if (!(await as(request, reply, "admin"))) return reply;
    return { queue: "high-priority-debtors-dlq", depth: cannedDeadLetters.length, items: cannedDeadLetters };
  });
  app.post("/api/partner_sync/dead-letters/redrive/", async (request, reply) => {
    if (!(await as(request, reply, "admin"))) return reply;
    return { redriven: cannedDeadLetters.length, failed: 0 };
  });
  app.get("/api/partner_sync/partner-books/", async (request, reply) => {
    if (!(await as(request, reply, "viewer"))) return reply;
    return { items: cannedImports, next_cursor: null };
  });
  app.post("/api/partner_sync/partner-books/", async (request, reply) => {
    if (!(await as(request, reply, "operator"))) return reply;
    const text = csvOf(String(request.body ?? ""), request.headers["content-type"] ?? "");
    // Line numbers as domain.md §10 counts them: the header is line 1.
    const bad = text
      .split(/\r?\n/)
      .flatMap((line, index) =>
        /,\d+\.\d{3},/.test(line)
          ? [{ line: index + 1, column: "balance", reason: "must have at most 2 decimals" }]
          : [],
      );
    if (bad.length > 0) {
      return reply.code(422).send({
        status_code: 422,
        error: "Unprocessable Entity",
        code: "INVALID_PARTNER_BOOK",
        message: `the file has ${bad.length} invalid rows`,
        errors: bad,
        total_errors: bad.length,
      });
    }
    return reply.code(201).send({ ...cannedImports[0], id: 4 });
  });

  app.get<{ Params: { id: string } }>("/api/risk_service/debtors/:id/", async (request, reply) => {
    if (!(await as(request, reply, "viewer"))) return reply;
    return cannedDebtor(Number(request.params.id));
  });
  app.get("/api/risk_service/debtors/priority/", async (request, reply) => {
    if (!(await as(request, reply, "viewer"))) return reply;
    const top = Number((request.query as { top?: string }).top ?? 10);
    return { heap_size: cannedPriority.length, errors_count: 0, top: cannedPriority.slice(0, top) };
  });
  app.get("/api/risk_service/process-runs/", async (request, reply) => {
    if (!(await as(request, reply, "viewer"))) return reply;
    // Each poll moves a running run on, so the console's live progress is visible end to end.
    for (const run of state.runs.filter((candidate) => candidate.status === "RUNNING")) {
      run.debtors_processed = Math.min(run.heap_size, run.debtors_processed + 1_000);
      if (run.debtors_processed === run.heap_size) {
        run.status = "COMPLETED";
        run.finished_at = new Date().toISOString();
      }
    }
    const limit = Number((request.query as { limit?: string }).limit ?? 20);
    return { items: state.runs.slice(0, limit), next_cursor: null };
  });
  app.post("/api/risk_service/process-runs/", async (request, reply) => {
    const caller = await as(request, reply, "operator");
    if (!caller) return reply;
    const live = state.runs.find((run) => run.status === "RUNNING");
    if (live) {
      return reply.code(409).send({
        status_code: 409,
        error: "Conflict",
        code: "RUN_IN_PROGRESS",
        message: `run ${live.run_id} started by ${live.owner} at ${live.started_at} is still going`,
      });
    }
    const body = request.body as { batch_size?: number; threshold?: string };
    const run: ProcessRun = {
      ...cannedRuns[0],
      run_id: crypto.randomUUID(),
      batch_size: body.batch_size ?? 100,
      threshold: body.threshold ?? "500000",
      debtors_processed: 0,
      started_at: new Date().toISOString(),
      owner: caller.subject,
    } as ProcessRun;
    state.runs.unshift(run);
    return reply
      .code(202)
      .send({ run_id: run.run_id, status: "RUNNING", status_url: `/api/risk_service/process-runs/${run.run_id}/` });
  });

  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return { app, url, state };
}
