import { issueLocalToken, type LocalTokenSettings } from "@smartrecover/service-kit";
import type { Role } from "./roles";

export interface ApiToken {
  token: string;
  expiresAt: Date;
}

/** Issues the bearer token the console forwards to the services for a signed-in subject. */
export interface ApiTokenMinter {
  mint(subject: string, role: Role): Promise<ApiToken>;
}

export interface LocalMinterOptions extends LocalTokenSettings {
  ttlSeconds: number;
  clock?: () => Date;
}

/**
 * Local mode (domain.md §9): the services' own issuer (service-kit's issueLocalToken), so a token
 * minted here is exactly what `pnpm cli auth issue-token` would hand out and the services verify.
 */
export function createLocalTokenMinter(options: LocalMinterOptions): ApiTokenMinter {
  const clock = options.clock ?? (() => new Date());
  return {
    async mint(subject, role) {
      const issued = await issueLocalToken(options, {
        subject,
        role,
        lifetimeSeconds: options.ttlSeconds,
        now: clock(),
      });
      return { token: issued.token, expiresAt: issued.expiresAt };
    },
  };
}
