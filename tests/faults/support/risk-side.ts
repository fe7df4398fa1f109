import { createServer } from "node:net";
import type { SqlExecutor } from "@smartrecover/db-kit";
import { loadRiskServiceConfig } from "@smartrecover/risk-service/config";
import { openRiskService, type RiskService } from "@smartrecover/risk-service/service";
import type { SentMessage } from "./delivery-check";

export { expectedHighPriority } from "./independent-priority";

/** risk-service from its composition root, on the given database (the test's own view of it). */
export function openRisk(databaseUrl: string): Promise<RiskService> {
  return openRiskService(loadRiskServiceConfig({ RISK_DATABASE_URL: databaseUrl }));
}

/** Seeded test debtors with their scores, as `generate-test-debtors` creates them. */
export async function generateDebtors(risk: RiskService, count: number, seed: number): Promise<void> {
  await risk.generator.generate({ count, seed, distribution: "balanced", clear: false, scores: true });
}

/** Every message the outbox holds (published or not): what risk-service means to deliver. */
export async function outboxMessages(db: SqlExecutor): Promise<Array<SentMessage & { run_id: string }>> {
  const rows = await db.query<{ payload: string }>("SELECT payload FROM outbox_messages ORDER BY id");
  return rows.map((row) => JSON.parse(row.payload) as SentMessage & { run_id: string });
}

export async function outboxCounts(db: SqlExecutor): Promise<{ rows: number; published: number; pending: number }> {
  // Counted separately on purpose: rows may be inserted between two reads, but a row once
  // published stays published, so `published` never over-counts.
  const count = async (where: string) => {
    const [row] = await db.query<{ n: number | bigint }>(`SELECT COUNT(*) AS n FROM outbox_messages WHERE ${where}`);
    return Number(row?.n ?? 0);
  };
  const published = await count("published_at IS NOT NULL");
  const pending = await count("published_at IS NULL");
  return { rows: published + pending, published, pending };
}

export interface RunRow {
  id: string;
  status: string;
  debtorsProcessed: number;
  highPriorityCount: number;
  messagesQueued: number;
}

/** The processing runs, oldest first, with their progress counters. */
export async function processingRuns(db: SqlExecutor): Promise<RunRow[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT id, status, debtors_processed, high_priority_count, messages_queued
     FROM processing_runs ORDER BY started_at, id`,
  );
  return rows.map((row) => ({
    id: String(row.id),
    status: String(row.status),
    debtorsProcessed: Number(row.debtors_processed),
    highPriorityCount: Number(row.high_priority_count),
    messagesQueued: Number(row.messages_queued),
  }));
}

/** The debtor ids of some messages, sorted, to compare with `expectedHighPriority`. */
export const debtorIds = (messages: readonly SentMessage[]) => messages.map((m) => m.debtor_id).sort((a, b) => a - b);

/** A TCP port free on loopback right now (for a service whose address the test must know). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}
