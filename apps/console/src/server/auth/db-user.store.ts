import { readDate, type SqlExecutor, type StoredDate } from "@smartrecover/db-kit";
import type { FailureState } from "./account-lockout";
import { isDuplicateKey } from "./console.database";
import { isRole } from "./roles";
import { DuplicateUserError, type StoredUser, type UserStore, type UserSummary } from "./user.store";

interface UserRow {
  name: string;
  role: string;
  password_hash: string;
  disabled: number | boolean;
  created_at: StoredDate;
  failed_count: number;
  first_failed_at: StoredDate | null;
  locked_until: StoredDate | null;
}

function toUser(row: UserRow): StoredUser {
  if (!isRole(row.role)) throw new Error(`console user ${row.name} has an unknown role`);
  return {
    name: row.name,
    role: row.role,
    passwordHash: row.password_hash,
    disabled: Number(row.disabled) === 1,
    createdAt: readDate(row.created_at),
    failures: {
      failedCount: Number(row.failed_count),
      firstFailedAt: readDate(row.first_failed_at),
      lockedUntil: readDate(row.locked_until),
    },
  };
}

/** console_users through db-kit's executor: the same SQL on SQLite and MySQL. */
export class DbUserStore implements UserStore {
  constructor(private readonly db: SqlExecutor) {}

  async findByName(name: string): Promise<StoredUser | null> {
    const [row] = await this.db.query<UserRow>("SELECT * FROM console_users WHERE name = ?", [name]);
    return row ? toUser(row) : null;
  }

  async addUser(user: { name: string; role: string; passwordHash: string; createdAt: Date }): Promise<void> {
    try {
      await this.db.execute(
        "INSERT INTO console_users (name, role, password_hash, disabled, created_at, failed_count) VALUES (?, ?, ?, ?, ?, 0)",
        [user.name, user.role, user.passwordHash, false, user.createdAt],
      );
    } catch (error) {
      if (isDuplicateKey(error)) throw new DuplicateUserError(user.name);
      throw error;
    }
  }

  async listUsers(): Promise<UserSummary[]> {
    const rows = await this.db.query<UserRow>("SELECT * FROM console_users ORDER BY name");
    return rows.map(toUser).map(({ name, role, disabled, createdAt, failures }) => ({
      name,
      role,
      disabled,
      createdAt,
      lockedUntil: failures.lockedUntil,
    }));
  }

  async setDisabled(name: string, disabled: boolean): Promise<boolean> {
    // Matched rows, not changed ones (db-kit's contract), so disabling twice still finds the user.
    return (await this.db.execute("UPDATE console_users SET disabled = ? WHERE name = ?", [disabled, name])) === 1;
  }

  async saveFailures(name: string, failures: FailureState): Promise<void> {
    await this.db.execute(
      "UPDATE console_users SET failed_count = ?, first_failed_at = ?, locked_until = ? WHERE name = ?",
      [failures.failedCount, failures.firstFailedAt, failures.lockedUntil, name],
    );
  }
}
