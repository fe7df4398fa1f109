import { migrateDatabase, openServiceDatabase, type ServiceDatabase } from "@smartrecover/db-kit";
import { findUpward } from "@smartrecover/service-kit";

export const RISK_MIGRATIONS_ROOT = findUpward(import.meta.url, "prisma/risk-service");

export interface OpenRiskDatabaseOptions {
  /** Apply pending migrations first (default true); a dry run writes nothing, not even those. */
  migrate?: boolean;
  /** MySQL connection pool size (default 5). */
  poolSize?: number;
}

/** risk-service's database through the one executor; only the composition root and test support call this. */
export function openRiskDatabase(url: string, options: OpenRiskDatabaseOptions = {}): Promise<ServiceDatabase> {
  return openServiceDatabase({ url, migrationsRoot: RISK_MIGRATIONS_ROOT, ...options });
}

/** Applies pending migrations without opening the database (the CLI's db-migrate). */
export function migrateRiskDatabase(url: string) {
  return migrateDatabase(url, RISK_MIGRATIONS_ROOT);
}
