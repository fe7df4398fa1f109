import type { RiskDatabase } from "../db/risk-database";

/** Readiness: the database answers a trivial query. */
export function databaseReadinessCheck(db: RiskDatabase): () => Promise<unknown> {
  return () => db.prisma.$queryRawUnsafe("SELECT 1");
}
