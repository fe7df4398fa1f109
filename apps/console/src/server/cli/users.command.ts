import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import { UsageError } from "@smartrecover/service-kit";
import { type Command, InvalidArgumentError } from "commander";
import { isRole, ROLES, type Role } from "../auth/roles";
import { DuplicateUserError } from "../auth/user.store";
import { type UserAdmin, UserInputError } from "../auth/user-admin";
import { loadConsoleConfig } from "../config";

/** Applies pending console migrations (used by `pnpm cli db-migrate`); the data layer loads only then. */
export async function migrateConsole(): Promise<string> {
  const { migrateConsoleDatabase } = await import("../auth/console.database");
  return migrateConsoleDatabase(loadConsoleConfig().CONSOLE_DATABASE_URL);
}

/** The demo account of `pnpm dev` and `demo --serve` (see demo-account.ts), loaded when first needed. */
export async function ensureDemoAccount(
  databaseUrl: string,
): Promise<{ name: string; role: Role; password: string } | null> {
  const { ensureDemoAccount: ensure } = await import("./demo-account");
  return ensure(databaseUrl);
}

// `pnpm cli users …`: the console's local accounts, in the console's database (CONSOLE_DATABASE_URL).

export interface UsersCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

const processIo: UsersCommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: process.stdin,
  env: process.env,
};

async function readPassword(io: UsersCommandIo, fromStdin: boolean): Promise<string> {
  if (fromStdin || !io.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks)
      .toString("utf8")
      .replace(/\r?\n$/, "");
  }
  // Echo off while typing: the prompt goes to stderr, the keystrokes nowhere.
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) io.stderr(String(chunk));
      done();
    },
  });
  const rl = createInterface({ input: io.stdin, output, terminal: true });
  try {
    const pending = rl.question("Password: ");
    muted = true;
    const password = await pending;
    io.stderr("\n");
    return password;
  } finally {
    rl.close();
  }
}

function roleOption(value: string): Role {
  if (!isRole(value)) throw new InvalidArgumentError(`must be one of ${ROLES.join(", ")}`);
  return value;
}

/** Bad input is the user's to fix: exit 2 with one line (UsageError), not a stack. */
function asUsageError(error: unknown): unknown {
  return error instanceof UserInputError || error instanceof DuplicateUserError
    ? new UsageError((error as Error).message)
    : error;
}

export function registerUsersCommand(program: Command, io: UsersCommandIo = processIo): void {
  const withAdmin =
    <A extends unknown[]>(run: (admin: UserAdmin, ...args: A) => Promise<void>) =>
    async (...args: A) => {
      const config = loadConsoleConfig(io.env);
      // The database and its stores load when a users command runs, not at every start of the CLI.
      const { openUserAdmin } = await import("./user-admin.open");
      const { db, admin } = await openUserAdmin(config.CONSOLE_DATABASE_URL);
      try {
        await run(admin, ...args);
      } catch (error) {
        throw asUsageError(error);
      } finally {
        await db.close();
      }
    };

  const users = program.command("users").description("Local accounts of the recovery console (CONSOLE_DATABASE_URL)");
  users
    .command("add <name>")
    .description("add an account; asks for the password without echo unless --password-stdin")
    .requiredOption("--role <role>", `one of ${ROLES.join(", ")}`, roleOption)
    .option("--password-stdin", "read the password from standard input")
    .action(
      withAdmin(async (admin, name: string, options: { role: Role; passwordStdin?: boolean }) => {
        await admin.add(name, options.role, await readPassword(io, Boolean(options.passwordStdin)));
        io.stdout(`added ${name} (${options.role})\n`);
      }),
    );
  users
    .command("list")
    .description("every account with its role and state")
    .option("--json", "one JSON array")
    .action(
      withAdmin(async (admin, options: { json?: boolean }) => {
        const list = await admin.list();
        if (options.json) {
          io.stdout(`${JSON.stringify(list)}\n`);
          return;
        }
        for (const user of list) {
          const state = user.disabled
            ? "disabled"
            : user.lockedUntil && user.lockedUntil > new Date()
              ? "locked"
              : "active";
          io.stdout(`${user.name}\t${user.role}\t${state}\n`);
        }
      }),
    );
  users
    .command("disable <name>")
    .description("disable an account and end its sessions")
    .action(
      withAdmin(async (admin, name: string) => {
        if (!(await admin.disable(name))) throw new UserInputError(`no user named ${name}`);
        io.stdout(`disabled ${name}; their sessions are ended\n`);
      }),
    );
}
