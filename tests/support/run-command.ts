import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(fileURLToPath(import.meta.url), "../../..");

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command line (e.g. a docker-compose `command`) from the repository root, as a container
 * or CI would. `env` is added to this process's environment; an empty string counts as unset in
 * every config schema.
 */
export function runCommand(argv: readonly string[], env: Record<string, string> = {}): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error("empty command");
  return new Promise((done, fail) => {
    const child = spawn(file, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

/** Variables that would point the queue at AWS; blanked so a test never reaches beyond loopback. */
export const NO_AWS: Record<string, string> = {
  SQS_ENDPOINT: "",
  AWS_ACCESS_KEY_ID: "",
  AWS_PROFILE: "",
  AWS_WEB_IDENTITY_TOKEN_FILE: "",
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "",
  SQS_USE_AWS_DEFAULT_CREDENTIALS: "false",
};
