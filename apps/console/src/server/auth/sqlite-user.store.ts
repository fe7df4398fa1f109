import type { FailureState } from "./account-lockout";
import { isRole } from "./roles";
import type { ConsoleSqlite } from "./sqlite-console.database";
import { DuplicateUserError, type StoredUser, type UserStore, type UserSummary } from "./user.store";

interface UserRow {
  name: string;
  role: string;
  password_hash: string;
  disabled: number;
  created_at: number;
  failed_count: number;
  first_failed_at: number | null;
  locked_until: number | null;
}

const dateOrNull = (ms: number | null) => (ms === null ? null : new Date(ms));

function toUser(row: UserRow): StoredUser {
  if (!isRole(row.role)) throw new Error(`console user ${row.name} has an unknown role`);
  return {
    name: row.name,
    role: row.role,
    passwordHash: row.password_hash,
    disabled: row.disabled === 1,
    createdAt: new Date(row.created_at),
    failures: {
      failedCount: row.failed_count,
      firstFailedAt: dateOrNull(row.first_failed_at),
      lockedUntil: dateOrNull(row.locked_until),
    },
  };
}

export class SqliteUserStore implements UserStore {
  constructor(private readonly db: ConsoleSqlite) {}

  async findByName(name: string): Promise<StoredUser | null> {
    const row = this.db.prepare<[string], UserRow>("SELECT * FROM console_users WHERE name = ?").get(name);
    return row ? toUser(row) : null;
  }

  async addUser(user: { name: string; role: string; passwordHash: string; createdAt: Date }): Promise<void> {
    try {
      this.db
        .prepare("INSERT INTO console_users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)")
        .run(user.name, user.role, user.passwordHash, user.createdAt.getTime());
    } catch (error) {
      if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_PRIMARYKEY") throw new DuplicateUserError(user.name);
      throw error;
    }
  }

  async listUsers(): Promise<UserSummary[]> {
    const rows = this.db.prepare<[], UserRow>("SELECT * FROM console_users ORDER BY name").all();
    return rows.map(toUser).map(({ name, role, disabled, createdAt, failures }) => ({
      name,
      role,
      disabled,
      createdAt,
      lockedUntil: failures.lockedUntil,
    }));
  }

  async setDisabled(name: string, disabled: boolean): Promise<boolean> {
    const result = this.db.prepare("UPDATE console_users SET disabled = ? WHERE name = ?").run(disabled ? 1 : 0, name);
    return result.changes === 1;
  }

  async saveFailures(name: string, failures: FailureState): Promise<void> {
    this.db
      .prepare("UPDATE console_users SET failed_count = ?, first_failed_at = ?, locked_until = ? WHERE name = ?")
      .run(
        failures.failedCount,
        failures.firstFailedAt?.getTime() ?? null,
        failures.lockedUntil?.getTime() ?? null,
        name,
      );
  }
}
