import { createServer } from "node:net";
import type { RiskDatabase } from "../../../../../apps/risk-service/src/db/risk-database";
import { generateTestDebtors } from "../../../../../apps/risk-service/src/generator/generate-debtors";
import type { SentMessage } from "./delivery-check";

/** Seeded test debtors with their scores, as `generate-test-debtors` creates them. */
export async function generateDebtors(db: RiskDatabase, count: number, seed: number): Promise<void> {
  await generateTestDebtors(db, { count, seed, distribution: "balanced", clear: false, scores: true });
}

/** Every message the outbox holds (published or not): what risk-service means to deliver. */
export async function outboxMessages(db: RiskDatabase): Promise<Array<SentMessage & { run_id: string }>> {
  const rows = await db.prisma.outboxMessage.findMany({ select: { payload: true }, orderBy: { id: "asc" } });
  return rows.map((row) => JSON.parse(row.payload) as SentMessage & { run_id: string });
}

export async function outboxCounts(db: RiskDatabase): Promise<{ rows: number; published: number; pending: number }> {
  // Counted separately on purpose: rows may be inserted between two reads, but a row once
  // published stays published, so `published` never over-counts.
  const published = await db.prisma.outboxMessage.count({ where: { publishedAt: { not: null } } });
  const pending = await db.prisma.outboxMessage.count({ where: { publishedAt: null } });
  return { rows: published + pending, published, pending };
}

/** The processing runs, oldest first, with their progress counters. */
export function processingRuns(db: RiskDatabase) {
  return db.prisma.processingRun.findMany({
    select: { id: true, status: true, debtorsProcessed: true, highPriorityCount: true, messagesQueued: true },
    orderBy: { startedAt: "asc" },
  });
}

/** A TCP port free on loopback right now (for a service whose address the test must know). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}
