import mariadb from "mariadb";
import { type DatabaseTarget, mysqlServerOptions } from "./database-url";
import { DEFAULT_POOL_SIZE, MAX_POOL_SIZE } from "./pool-size";
import { mysqlTimestamp } from "./sql-dates";
import type { ServiceDatabase, SqlExecutor } from "./sql-executor";
import { classifyDatabaseError, closedHandleError } from "./transaction-errors";

export { DEFAULT_POOL_SIZE, MAX_POOL_SIZE };

function mysqlParam(value: unknown): unknown {
  if (value instanceof Date) return mysqlTimestamp(value);
  if (value === undefined) return null;
  return value;
}

/** DATETIME values are UTC, as they were written, whatever the server's, the session's or Node's time zone. */
const mysqlTypeCast: mariadb.TypeCastFunction = (field, next) => {
  if (field.type !== "DATETIME" && field.type !== "TIMESTAMP") return next();
  const text = field.string();
  return text === null ? null : new Date(`${text.replace(" ", "T")}Z`);
};

type Queryable = Pick<mariadb.Pool, "query">;

/** Rows come back as the driver gives them: BIGINT as bigint, DECIMAL as exact text, DATETIME as Date. */
function executorOn(connection: Queryable, guard: () => void = () => {}): SqlExecutor {
  const run = async (sql: string, params: readonly unknown[]): Promise<unknown> => {
    guard();
    try {
      return await connection.query({ sql, typeCast: mysqlTypeCast, autoJsonMap: false }, params.map(mysqlParam));
    } catch (error) {
      throw classifyDatabaseError(error);
    }
  };
  return {
    dialect: "mysql",
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const result = await run(sql, params);
      return (Array.isArray(result) ? result : []) as T[];
    },
    async execute(sql, params = []) {
      const result = (await run(sql, params)) as { affectedRows?: number | bigint };
      return Number(result.affectedRows ?? 0);
    },
  };
}

/** Hands the connection back to the pool in autocommit mode, or drops it when that cannot be done. */
async function restoreAutocommit(connection: mariadb.PoolConnection): Promise<void> {
  try {
    await connection.query("SET autocommit = 1");
    await connection.release();
  } catch {
    await connection.destroy();
  }
}

/**
 * MySQL/MariaDB behind the one executor: one bounded mariadb pool per process (the URL's
 * connection_limit unless the caller sets a size; TLS and timeouts from the URL too). A transaction runs
 * on one pooled connection; a deadlock or lock-wait timeout surfaces as RetryableTransactionError.
 */
export function openMariadbDatabase(
  target: Extract<DatabaseTarget, { dialect: "mysql" }>,
  poolSize = target.options.connectionLimit ?? DEFAULT_POOL_SIZE,
): ServiceDatabase {
  if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > MAX_POOL_SIZE) {
    throw new Error(`MySQL pool size must be a whole number from 1 to ${MAX_POOL_SIZE}, got ${poolSize}`);
  }
  const pool = mariadb.createPool({ ...mysqlServerOptions(target), connectionLimit: poolSize });
  const outside = executorOn(pool);
  return {
    ...outside,
    async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      let connection: mariadb.PoolConnection;
      try {
        connection = await pool.getConnection();
      } catch (error) {
        throw classifyDatabaseError(error);
      }
      let open = true;
      try {
        // Autocommit stays off for the whole transaction: when InnoDB rolls a deadlock victim back,
        // statements the driver had already pipelined behind the failed one then open a new
        // implicit transaction, which the ROLLBACK below discards, instead of committing one by one.
        await Promise.all([connection.query("SET autocommit = 0"), connection.query("START TRANSACTION")]);
        const result = await work(
          executorOn(connection, () => {
            if (!open) throw closedHandleError();
          }),
        );
        open = false;
        await connection.query("COMMIT");
        return result;
      } catch (error) {
        // Closed before ROLLBACK is sent: a branch of `work` still running (one Promise.all member
        // failed, another goes on) must not slip a statement in behind the ROLLBACK, where
        // restoring autocommit would commit it.
        open = false;
        // Sent unconditionally: the driver's rollback() is skipped when it thinks no transaction is open.
        await connection.query("ROLLBACK").catch(() => undefined);
        throw classifyDatabaseError(error);
      } finally {
        await restoreAutocommit(connection);
      }
    },
    close: () => pool.end(),
  };
}
