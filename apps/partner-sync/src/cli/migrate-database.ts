import { migrateDatabase } from "@smartrecover/db-kit";
import { PARTNER_SYNC_MIGRATIONS_ROOT } from "../service";

/** Loaded by `db-migrate` only, so the other commands start without the database drivers. */
export function migratePartnerSyncSchema(url: string) {
  return migrateDatabase(url, PARTNER_SYNC_MIGRATIONS_ROOT);
}
