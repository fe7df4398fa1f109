import { join } from "node:path";
import { openServiceDatabase } from "../../src/open-service-database";
import type { ServiceDatabase } from "../../src/sql-executor";
import { createTestDatabase, type TestDatabase, type TestDialect } from "../../src/testing-databases";

/** Two small tables (`items`, `accounts`) per dialect, migrated like a service's own. */
export const FIXTURE_MIGRATIONS = join(import.meta.dirname, "../fixtures");

export interface FixtureDatabase {
  readonly url: string;
  readonly db: ServiceDatabase;
  /** Another executor on the same database, e.g. a second process's or a smaller pool. */
  reopen(options?: { poolSize?: number }): Promise<ServiceDatabase>;
  /** Closes every executor opened here, then drops the database. */
  drop(): Promise<void>;
}

export async function openFixtureDatabase(dialect: TestDialect, label: string): Promise<FixtureDatabase> {
  const testDb: TestDatabase = createTestDatabase(dialect, label);
  const opened: ServiceDatabase[] = [];
  const open = async (options: { poolSize?: number; migrate?: boolean } = {}) => {
    const db = await openServiceDatabase({ url: testDb.url, migrationsRoot: FIXTURE_MIGRATIONS, ...options });
    opened.push(db);
    return db;
  };
  const db = await open();
  return {
    url: testDb.url,
    db,
    reopen: (options) => open({ ...options, migrate: false }),
    async drop() {
      for (const each of opened) await each.close();
      await testDb.drop();
    },
  };
}

/** A promise and the function that resolves it, to hold one transaction open while another runs. */
export function gate(): { opened: Promise<void>; open: () => void } {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
