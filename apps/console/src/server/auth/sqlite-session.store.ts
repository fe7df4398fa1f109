import { isRole } from "./roles";
import type { SessionRecord, SessionStore } from "./session.store";
import type { ConsoleSqlite } from "./sqlite-console.database";

interface SessionRow {
  id_hash: string;
  subject: string;
  role: string;
  source: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  upstream_secret: string | null;
}

// Statements are prepared once: preparing per call costs more than running them.
export class SqliteSessionStore implements SessionStore {
  private readonly statements;

  constructor(db: ConsoleSqlite) {
    this.statements = {
      insert: db.prepare(
        `INSERT INTO console_sessions (id_hash, subject, role, source, csrf_token, created_at, expires_at, upstream_secret)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      find: db.prepare<[string], SessionRow>("SELECT * FROM console_sessions WHERE id_hash = ?"),
      delete: db.prepare("DELETE FROM console_sessions WHERE id_hash = ?"),
      deleteBySubject: db.prepare("DELETE FROM console_sessions WHERE subject = ?"),
      deleteExpired: db.prepare("DELETE FROM console_sessions WHERE expires_at <= ?"),
      updateUpstreamSecret: db.prepare("UPDATE console_sessions SET upstream_secret = ? WHERE id_hash = ?"),
    };
  }

  async create(session: SessionRecord): Promise<void> {
    this.statements.insert.run(
      session.idHash,
      session.subject,
      session.role,
      session.source,
      session.csrfToken,
      session.createdAt.getTime(),
      session.expiresAt.getTime(),
      session.upstreamSecret,
    );
  }

  async find(idHash: string): Promise<SessionRecord | null> {
    const row = this.statements.find.get(idHash);
    if (!row || !isRole(row.role) || (row.source !== "local" && row.source !== "oidc")) return null;
    return {
      idHash: row.id_hash,
      subject: row.subject,
      role: row.role,
      source: row.source,
      csrfToken: row.csrf_token,
      createdAt: new Date(row.created_at),
      expiresAt: new Date(row.expires_at),
      upstreamSecret: row.upstream_secret,
    };
  }

  async delete(idHash: string): Promise<void> {
    this.statements.delete.run(idHash);
  }

  async deleteBySubject(subject: string): Promise<number> {
    return this.statements.deleteBySubject.run(subject).changes;
  }

  async deleteExpired(now: Date): Promise<number> {
    return this.statements.deleteExpired.run(now.getTime()).changes;
  }

  async updateUpstreamSecret(idHash: string, upstreamSecret: string): Promise<void> {
    this.statements.updateUpstreamSecret.run(upstreamSecret, idHash);
  }
}
