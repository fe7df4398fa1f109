import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import type { Role } from "./roles";

export interface ApiToken {
  token: string;
  expiresAt: Date;
}

/** Issues the bearer token the console forwards to the services for a signed-in subject. */
export interface ApiTokenMinter {
  mint(subject: string, role: Role): Promise<ApiToken>;
}

export interface LocalMinterOptions {
  /** The shared HS256 key the services verify with. */
  key: Uint8Array;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  clock?: () => Date;
}

/** Local mode (domain.md §9): HS256 JWTs with iss, aud, sub, exp, iat, jti and the role. */
export function createLocalTokenMinter(options: LocalMinterOptions): ApiTokenMinter {
  const clock = options.clock ?? (() => new Date());
  return {
    async mint(subject, role) {
      const issuedAt = Math.floor(clock().getTime() / 1000);
      const expiresAt = issuedAt + options.ttlSeconds;
      const token = await new SignJWT({ role })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(subject)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .setJti(randomUUID())
        .sign(options.key);
      return { token, expiresAt: new Date(expiresAt * 1000) };
    },
  };
}
