import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyPassword } from "../../src/server/auth/password-hasher";
import { type ConsoleSqlite, openConsoleSqlite } from "../../src/server/auth/sqlite-console.database";
import { SqliteSessionStore } from "../../src/server/auth/sqlite-session.store";
import { SqliteUserStore } from "../../src/server/auth/sqlite-user.store";
import { DuplicateUserError } from "../../src/server/auth/user.store";
import { UserAdmin, UserInputError } from "../../src/server/auth/user-admin";
import { TEST_SCRYPT_COST } from "./console-test-kit";

let dir: string;
let db: ConsoleSqlite;
let users: SqliteUserStore;
let admin: UserAdmin;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "console-users-"));
  db = openConsoleSqlite(`file:${join(dir, "console.db")}`);
  users = new SqliteUserStore(db);
  admin = new UserAdmin(users, new SqliteSessionStore(db), TEST_SCRYPT_COST);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("local account administration on SQLite", () => {
  it("when a user is added, then the password is stored only as a scrypt hash that verifies", async () => {
    await admin.add("ana.lyst@example.com", "reviewer", "correct horse battery");
    const stored = await users.findByName("ana.lyst@example.com");
    expect(stored).toMatchObject({ role: "reviewer", disabled: false });
    expect(stored?.passwordHash).not.toContain("correct horse battery");
    expect(await verifyPassword("correct horse battery", stored?.passwordHash ?? "")).toBe(true);
    const raw = db.prepare("SELECT * FROM console_users").all();
    expect(JSON.stringify(raw)).not.toContain("correct horse battery");
  });

  it("when a name is taken, reserved or malformed, or the password short, then nothing is added", async () => {
    await admin.add("ana", "viewer", "correct horse battery");
    await expect(admin.add("ana", "admin", "another long password")).rejects.toBeInstanceOf(DuplicateUserError);
    await expect(admin.add("system", "admin", "another long password")).rejects.toBeInstanceOf(UserInputError);
    await expect(admin.add("bob smith", "admin", "another long password")).rejects.toBeInstanceOf(UserInputError);
    await expect(admin.add("bob", "admin", "short")).rejects.toThrowError("a password has 12 to 1024 characters");
    expect((await admin.list()).map((user) => [user.name, user.role])).toEqual([["ana", "viewer"]]);
  });

  it("when a user is disabled, then the list says so; an unknown name answers false", async () => {
    await admin.add("ana", "viewer", "correct horse battery");
    expect(await admin.disable("ana")).toBe(true);
    expect(await admin.disable("nobody")).toBe(false);
    expect(await admin.list()).toEqual([expect.objectContaining({ name: "ana", disabled: true, lockedUntil: null })]);
  });
});
