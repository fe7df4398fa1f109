// The `users` commands' database and stores, imported when one of them runs.
import { openConsoleDatabase } from "../auth/console.database";
import { DbSessionStore } from "../auth/db-session.store";
import { DbUserStore } from "../auth/db-user.store";
import { UserAdmin } from "../auth/user-admin";

export async function openUserAdmin(url: string) {
  const db = await openConsoleDatabase(url);
  return { db, admin: new UserAdmin(new DbUserStore(db), new DbSessionStore(db)) };
}
