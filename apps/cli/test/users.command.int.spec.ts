import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DbUserStore } from "@smartrecover/console/server-stores";
import { openServiceDatabase } from "@smartrecover/db-kit";
import { REPO_ROOT } from "@smartrecover/system-tests/support/run-command";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// `pnpm cli users …` as a person runs it (the compiled CLI, tools/run-built.mjs): a real process, the
// console's real SQLite file.

let dataDir: string;

function cli(args: string[], stdin = ""): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["tools/run-built.mjs", "cli", ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: dataDir, CONSOLE_DATABASE_URL: "", LOG_LEVEL: "silent" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), "cli-users-"));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("pnpm cli users", () => {
  it("when an account is added with --password-stdin, then it is listed, stored hashed, and can be disabled", async () => {
    const added = await cli(
      ["users", "add", "ana", "--role", "reviewer", "--password-stdin"],
      "a long enough secret\n",
    );
    expect(added).toMatchObject({ code: 0, stdout: "added ana (reviewer)\n" });

    const listed = await cli(["users", "list", "--json"]);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ name: "ana", role: "reviewer", disabled: false }),
    ]);

    const db = await openServiceDatabase({
      url: `file:${join(dataDir, "console.db")}`,
      migrationsRoot: join(REPO_ROOT, "prisma/console"),
    });
    try {
      const stored = await new DbUserStore(db).findByName("ana");
      expect(stored?.passwordHash).toMatch(/^scrypt\$/);
      expect(JSON.stringify(await db.query("SELECT * FROM console_users"))).not.toContain("a long enough secret");
    } finally {
      await db.close();
    }

    expect(await cli(["users", "disable", "ana"])).toMatchObject({ code: 0 });
    expect((await cli(["users", "list"])).stdout).toBe("ana\treviewer\tdisabled\n");
  });

  it("when the input is wrong, then exit 2 with one line and nothing is added", async () => {
    const cases: [string[], string, RegExp][] = [
      [["users", "add", "bob", "--role", "boss", "--password-stdin"], "a long enough secret", /must be one of viewer/],
      [["users", "add", "bob", "--role", "viewer", "--password-stdin"], "short", /12 to 1024 characters/],
      [["users", "add", "system", "--role", "viewer", "--password-stdin"], "a long enough secret", /user name/],
      [["users", "add", "ana", "--role", "viewer", "--password-stdin"], "a long enough secret", /already exists/],
      [["users", "disable", "nobody"], "", /no user named nobody/],
    ];
    for (const [args, stdin, message] of cases) {
      const result = await cli(args, stdin);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
    expect((await cli(["users", "list"])).stdout).toBe("ana\treviewer\tdisabled\n");
  });
});
