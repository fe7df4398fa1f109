// What `auth issue-token` runs, apart from the command's definition so that the CLI loads the
// signing code (jose) only when a token is issued.
import type { AuthSettings } from "./auth-env";
import { issueLocalToken } from "./local-token";
import { localTokenSettings } from "./token-verifier";

export async function issueTokenWith(
  settings: Extract<AuthSettings, { mode: "local" }>,
  claims: Parameters<typeof issueLocalToken>[1],
): ReturnType<typeof issueLocalToken> {
  return issueLocalToken(await localTokenSettings(settings), claims);
}
