import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import { ConfigError } from "@smartrecover/service-kit";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { isRole, ROLES, type Role } from "../auth/roles";
import { openConsoleSqlite } from "../auth/sqlite-console.database";
import { SqliteSessionStore } from "../auth/sqlite-session.store";
import { SqliteUserStore } from "../auth/sqlite-user.store";
import { DuplicateUserError } from "../auth/user.store";
import { UserAdmin, UserInputError } from "../auth/user-admin";
import { loadConsoleConfig } from "../config";

// The console's local accounts until `pnpm cli users …` takes this over (issue #14).

async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks)
      .toString("utf8")
      .replace(/\r?\n$/, "");
  }
  // Echo off while typing: the prompt goes to stderr, the keystrokes nowhere.
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    const pending = rl.question("Password: ");
    muted = true;
    const password = await pending;
    process.stderr.write("\n");
    return password;
  } finally {
    rl.close();
  }
}

function roleOption(value: string): Role {
  if (!isRole(value)) throw new InvalidArgumentError(`must be one of ${ROLES.join(", ")}`);
  return value;
}

function withAdmin<A extends unknown[]>(run: (admin: UserAdmin, ...args: A) => Promise<void>) {
  return async (...args: A) => {
    const config = loadConsoleConfig();
    const db = openConsoleSqlite(config.CONSOLE_DATABASE_URL);
    try {
      await run(new UserAdmin(new SqliteUserStore(db), new SqliteSessionStore(db)), ...args);
    } finally {
      db.close();
    }
  };
}

// Mistyped flags and values exit 2 with one line, like every SmartRecover command.
const program = new Command("console-users").description("Local accounts of the recovery console").exitOverride();
program
  .command("add <name>")
  .requiredOption("--role <role>", `one of ${ROLES.join(", ")}`, roleOption)
  .option("--password-stdin", "read the password from standard input")
  .action(
    withAdmin(async (admin, name: string, options: { role: Role; passwordStdin?: boolean }) => {
      await admin.add(name, options.role, await readPassword(Boolean(options.passwordStdin)));
      process.stdout.write(`added ${name} (${options.role})\n`);
    }),
  );
program
  .command("list")
  .option("--json", "one JSON array")
  .action(
    withAdmin(async (admin, options: { json?: boolean }) => {
      const users = await admin.list();
      if (options.json) process.stdout.write(`${JSON.stringify(users)}\n`);
      for (const user of options.json ? [] : users) {
        const state = user.disabled
          ? "disabled"
          : user.lockedUntil && user.lockedUntil > new Date()
            ? "locked"
            : "active";
        process.stdout.write(`${user.name}\t${user.role}\t${state}\n`);
      }
    }),
  );
program.command("disable <name>").action(
  withAdmin(async (admin, name: string) => {
    if (!(await admin.disable(name))) throw new UserInputError(`no user named ${name}`);
    process.stdout.write(`disabled ${name}; their sessions are ended\n`);
  }),
);

program.parseAsync().catch((error: unknown) => {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
  const known = error instanceof UserInputError || error instanceof DuplicateUserError || error instanceof ConfigError;
  process.stderr.write(`${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(known ? 2 : 1);
});
