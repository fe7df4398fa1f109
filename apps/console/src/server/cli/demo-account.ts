import { randomBytes } from "node:crypto";
import { openConsoleDatabase } from "../auth/console.database";
import { DbSessionStore } from "../auth/db-session.store";
import { DbUserStore } from "../auth/db-user.store";
import type { Role } from "../auth/roles";
import { UserAdmin } from "../auth/user-admin";

export const DEMO_ACCOUNT = "demo";
export const DEMO_ROLE: Role = "admin";

/**
 * The account `pnpm dev` and `./run demo --serve` sign you in with: created on first use with a
 * generated password, which is answered exactly once (only its hash is kept). Answers null when
 * the account exists already, so an old password is never printed again.
 */
export async function ensureDemoAccount(
  databaseUrl: string,
): Promise<{ name: string; role: Role; password: string } | null> {
  const db = await openConsoleDatabase(databaseUrl);
  try {
    const users = new DbUserStore(db);
    if (await users.findByName(DEMO_ACCOUNT)) return null;
    const password = randomBytes(12).toString("base64url");
    await new UserAdmin(users, new DbSessionStore(db)).add(DEMO_ACCOUNT, DEMO_ROLE, password);
    return { name: DEMO_ACCOUNT, role: DEMO_ROLE, password };
  } finally {
    await db.close();
  }
}
