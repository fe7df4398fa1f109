import { type Command, InvalidArgumentError, Option } from "commander";
import { z } from "zod";
import { choiceOption } from "../cli-options";
import { commonEnv, parseConfig } from "../config";
import { authEnv, authSettingsFromConfig } from "./auth-env";
import { ROLES, type Role } from "./roles";
import { subjectProblem } from "./subject";
import { parseTokenLifetime } from "./token-lifetime";

const IssueTokenEnv = z.object({ DATA_DIR: commonEnv.DATA_DIR, ...authEnv });

export interface AuthCommandIo {
  /** Variables to read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Where the result goes (default stdout). */
  write?: (text: string) => void;
}

function subjectOption(value: string): string {
  const problem = subjectProblem(value);
  if (problem) throw new InvalidArgumentError(`--subject ${problem}, got "${value}".`);
  return value;
}

function lifetimeOption(value: string): number {
  try {
    return parseTokenLifetime(value);
  } catch (error) {
    throw new InvalidArgumentError(`--ttl ${(error as Error).message}.`);
  }
}

/**
 * `auth issue-token --subject <name> --role <role> [--ttl 8h] [--json]`: signs a local-mode token
 * with the same key the services verify with (AUTH_SIGNING_KEY or the machine's key file). Bad
 * values are commander errors (exit 2, one line); the token alone goes to stdout.
 */
export function registerAuthCommand(program: Command, io: AuthCommandIo = {}): void {
  const auth = program.command("auth").description("API tokens (local mode)");
  auth
    .command("issue-token")
    .description("Sign a token for a subject and role; prints the token alone")
    .requiredOption("--subject <name>", "who the token is for: 1–64 of A–Z a–z 0–9 . _ @ -", subjectOption)
    .requiredOption("--role <role>", ROLES.join(", "), choiceOption("--role", ROLES))
    .addOption(
      new Option("--ttl <lifetime>", "lifetime: 30s, 15m, 8h, 30d (at most 30d)")
        .argParser(lifetimeOption)
        .default(8 * 3600, "8h"),
    )
    .option("--json", 'print {"token","subject","role","expires_at"} instead')
    .action(async (options: { subject: string; role: Role; ttl: number; json?: boolean }) => {
      const settings = authSettingsFromConfig(parseConfig(IssueTokenEnv, io.env ?? process.env));
      if (settings.mode !== "local") {
        throw new Error("AUTH_MODE=oidc: tokens come from the identity provider, not from issue-token");
      }
      // jose loads when a token is signed, not at every start of the CLI.
      const { issueTokenWith } = await import("./issue-token.run");
      const issued = await issueTokenWith(settings, {
        subject: options.subject,
        role: options.role,
        lifetimeSeconds: options.ttl,
      });
      const write = io.write ?? ((text: string) => process.stdout.write(text));
      const { token, subject, role, expiresAt } = issued;
      write(
        options.json
          ? `${JSON.stringify({ token, subject, role, expires_at: expiresAt.toISOString() })}\n`
          : `${token}\n`,
      );
    });
}
