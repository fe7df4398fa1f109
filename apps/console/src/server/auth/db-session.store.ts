import { readDate, type SqlExecutor, type StoredDate } from "@smartrecover/db-kit";
import { isRole } from "./roles";
import type { SessionRecord, SessionStore } from "./session.store";

interface SessionRow {
  id_hash: string;
  subject: string;
  role: string;
  source: string;
  csrf_token: string;
  created_at: StoredDate;
  expires_at: StoredDate;
  upstream_secret: string | null;
}

/** console_sessions through db-kit's executor: the same SQL on SQLite and MySQL. */
export class DbSessionStore implements SessionStore {
  constructor(private readonly db: SqlExecutor) {}

  async create(session: SessionRecord): Promise<void> {
    await this.db.execute(
      `INSERT INTO console_sessions (id_hash, subject, role, source, csrf_token, created_at, expires_at, upstream_secret)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        session.idHash,
        session.subject,
        session.role,
        session.source,
        session.csrfToken,
        session.createdAt,
        session.expiresAt,
        session.upstreamSecret,
      ],
    );
  }

  async find(idHash: string): Promise<SessionRecord | null> {
    const [row] = await this.db.query<SessionRow>("SELECT * FROM console_sessions WHERE id_hash = ?", [idHash]);
    if (!row || !isRole(row.role) || (row.source !== "local" && row.source !== "oidc")) return null;
    return {
      idHash: row.id_hash,
      subject: row.subject,
      role: row.role,
      source: row.source,
      csrfToken: row.csrf_token,
      createdAt: readDate(row.created_at),
      expiresAt: readDate(row.expires_at),
      upstreamSecret: row.upstream_secret,
    };
  }

  async delete(idHash: string): Promise<void> {
    await this.db.execute("DELETE FROM console_sessions WHERE id_hash = ?", [idHash]);
  }

  async deleteBySubject(subject: string): Promise<number> {
    return this.db.execute("DELETE FROM console_sessions WHERE subject = ?", [subject]);
  }

  async deleteExpired(now: Date): Promise<number> {
    return this.db.execute("DELETE FROM console_sessions WHERE expires_at <= ?", [now]);
  }

  async updateUpstreamSecret(idHash: string, upstreamSecret: string): Promise<void> {
    await this.db.execute("UPDATE console_sessions SET upstream_secret = ? WHERE id_hash = ?", [
      upstreamSecret,
      idHash,
    ]);
  }
}
