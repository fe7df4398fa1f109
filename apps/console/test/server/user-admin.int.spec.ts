import type { ServiceDatabase } from "@smartrecover/db-kit";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "@smartrecover/db-kit/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openConsoleDatabase } from "../../src/server/auth/console.database";
import { DbSessionStore } from "../../src/server/auth/db-session.store";
import { DbUserStore } from "../../src/server/auth/db-user.store";
import { verifyPassword } from "../../src/server/auth/password-hasher";
import { DuplicateUserError } from "../../src/server/auth/user.store";
import { UserAdmin, UserInputError } from "../../src/server/auth/user-admin";
import { TEST_SCRYPT_COST } from "./console-test-kit";

describe.each(TEST_DIALECTS)("the console's accounts and sessions on %s", (dialect) => {
  let target: TestDatabase;
  let db: ServiceDatabase;
  let users: DbUserStore;
  let sessions: DbSessionStore;
  let admin: UserAdmin;

  beforeAll(async () => {
    target = createTestDatabase(dialect, "console_users");
    db = await openConsoleDatabase(target.url);
    users = new DbUserStore(db);
    sessions = new DbSessionStore(db);
    admin = new UserAdmin(users, sessions, TEST_SCRYPT_COST);
  });
  afterAll(async () => {
    await db?.close();
    await target?.drop();
  });
  beforeEach(async () => {
    await db.execute("DELETE FROM console_sessions");
    await db.execute("DELETE FROM console_users");
  });

  it("when a user is added, then the password is stored only as a scrypt hash that verifies", async () => {
    await admin.add("ana.lyst@example.com", "reviewer", "correct horse battery");
    const stored = await users.findByName("ana.lyst@example.com");
    expect(stored).toMatchObject({
      role: "reviewer",
      disabled: false,
      failures: { failedCount: 0, lockedUntil: null },
    });
    expect(stored?.passwordHash).not.toContain("correct horse battery");
    expect(await verifyPassword("correct horse battery", stored?.passwordHash ?? "")).toBe(true);
    const raw = await db.query("SELECT * FROM console_users");
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

  it("when a user is disabled, then the list says so, their sessions end; an unknown name answers false", async () => {
    await admin.add("ana", "viewer", "correct horse battery");
    const now = new Date("2026-12-02T09:00:00.123Z");
    const session = {
      idHash: "a".repeat(64),
      subject: "ana",
      role: "viewer" as const,
      source: "local" as const,
      csrfToken: "c".repeat(43),
      createdAt: now,
      expiresAt: new Date(now.getTime() + 3600_000),
      upstreamSecret: null,
    };
    await sessions.create(session);
    expect(await sessions.find(session.idHash)).toEqual(session);
    expect(await admin.disable("ana")).toBe(true);
    expect(await admin.disable("ana")).toBe(true);
    expect(await admin.disable("nobody")).toBe(false);
    expect(await sessions.find(session.idHash)).toBeNull();
    expect(await admin.list()).toEqual([expect.objectContaining({ name: "ana", disabled: true, lockedUntil: null })]);
  });

  it("when failures and a lock are saved, then they read back to the millisecond", async () => {
    await admin.add("ana", "viewer", "correct horse battery");
    const failures = {
      failedCount: 5,
      firstFailedAt: new Date("2026-12-02T09:00:00.007Z"),
      lockedUntil: new Date("2026-12-02T09:15:00.007Z"),
    };
    await users.saveFailures("ana", failures);
    expect((await users.findByName("ana"))?.failures).toEqual(failures);
  });

  it("when sessions expire, then only the expired ones are purged", async () => {
    const base = { subject: "ana", role: "viewer" as const, source: "oidc" as const, csrfToken: "t" };
    const createdAt = new Date("2026-12-02T09:00:00Z");
    await sessions.create({
      ...base,
      idHash: "old",
      createdAt,
      expiresAt: new Date("2026-12-02T10:00:00Z"),
      upstreamSecret: null,
    });
    await sessions.create({
      ...base,
      idHash: "new",
      createdAt,
      expiresAt: new Date("2026-12-02T12:00:00Z"),
      upstreamSecret: null,
    });
    expect(await sessions.deleteExpired(new Date("2026-12-02T11:00:00Z"))).toBe(1);
    await sessions.updateUpstreamSecret("new", "sealed");
    expect(await sessions.find("old")).toBeNull();
    expect((await sessions.find("new"))?.upstreamSecret).toBe("sealed");
  });
});
