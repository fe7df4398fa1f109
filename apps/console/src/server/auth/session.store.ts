import type { Role } from "./roles";

export type SessionSource = "local" | "oidc";

export interface SessionRecord {
  /** SHA-256 of the cookie's session id: a leaked table does not give away sessions. */
  idHash: string;
  subject: string;
  role: Role;
  source: SessionSource;
  /** Sent back by the SPA in x-csrf-token on every state-changing call. */
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
  /** OIDC: the provider's tokens, encrypted with the session secret; null for local accounts. */
  upstreamSecret: string | null;
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  find(idHash: string): Promise<SessionRecord | null>;
  delete(idHash: string): Promise<void>;
  /** Removes every session of a subject (a disabled account), returning how many. */
  deleteBySubject(subject: string): Promise<number>;
  deleteExpired(now: Date): Promise<number>;
  updateUpstreamSecret(idHash: string, upstreamSecret: string): Promise<void>;
}
