import { setImmediate as nextTurn } from "node:timers/promises";
import type { RiskDatabase } from "../db/risk-database";

/**
 * The same database, but every raw query and transaction first yields to the event loop. On
 * SQLite those calls are synchronous underneath, so a processing run started by the API would
 * otherwise hold the loop for its whole duration and starve HTTP requests (health checks included).
 */
export function cooperativeDatabase(db: RiskDatabase): RiskDatabase {
  if (db.dialect !== "sqlite") return db;
  return {
    prisma: db.prisma,
    dialect: db.dialect,
    sql: {
      query: async (sql, params) => {
        await nextTurn();
        return db.sql.query(sql, params);
      },
      transaction: async (statements) => {
        await nextTurn();
        return db.sql.transaction(statements);
      },
      close: () => db.sql.close(),
    },
    transaction: async (statements) => {
      await nextTurn();
      return db.transaction(statements);
    },
    close: () => db.close(),
  };
}
