import { join } from "node:path";

/**
 * Loads `.env` from the folder (default: the working directory) when there is one, with Node's own
 * parser. Variables already in the environment win, even when set to an empty string. Returns the
 * file's path when one was read.
 */
export function loadDotEnv(folder: string = process.cwd()): string | undefined {
  const file = join(folder, ".env");
  try {
    process.loadEnvFile(file);
    return file;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
