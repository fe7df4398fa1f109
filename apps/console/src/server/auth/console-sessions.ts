import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Role } from "./roles";
import type { SessionRecord, SessionSource, SessionStore } from "./session.store";

const hashId = (id: string) => createHash("sha256").update(id).digest("base64url");
// 32 random bytes in base64url: the only shape a session id can have.
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** Starts, finds and ends console sessions; the cookie holds a random id, the store only its hash. */
export class ConsoleSessions {
  constructor(
    private readonly store: SessionStore,
    private readonly ttlSeconds: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async start(input: {
    subject: string;
    role: Role;
    source: SessionSource;
    upstreamSecret?: string | null;
  }): Promise<{ id: string; session: SessionRecord }> {
    const id = randomBytes(32).toString("base64url");
    const now = this.clock();
    const session: SessionRecord = {
      idHash: hashId(id),
      subject: input.subject,
      role: input.role,
      source: input.source,
      csrfToken: randomBytes(32).toString("base64url"),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.ttlSeconds * 1000),
      upstreamSecret: input.upstreamSecret ?? null,
    };
    await this.store.create(session);
    return { id, session };
  }

  /** The live session for a cookie value; an expired one is removed and counts as none. */
  async resolve(id: string | undefined): Promise<SessionRecord | null> {
    if (!id || !SESSION_ID.test(id)) return null;
    const session = await this.store.find(hashId(id));
    if (!session) return null;
    if (session.expiresAt.getTime() <= this.clock().getTime()) {
      await this.store.delete(session.idHash);
      return null;
    }
    return session;
  }

  async end(session: SessionRecord): Promise<void> {
    await this.store.delete(session.idHash);
  }

  purgeExpired(): Promise<number> {
    return this.store.deleteExpired(this.clock());
  }

  /** Synchroniser-token check for state-changing calls, in constant time. */
  static csrfMatches(session: SessionRecord, header: string | string[] | undefined): boolean {
    if (typeof header !== "string") return false;
    const expected = Buffer.from(session.csrfToken);
    const given = Buffer.from(header);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
