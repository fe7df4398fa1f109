import {
  authEnv,
  authSettingsFromConfig,
  commonEnv,
  issueLocalToken,
  isValidSubject,
  localTokenSettings,
  parseConfig,
  type Role,
} from "@smartrecover/service-kit";
import { z } from "zod";

const TokenEnv = z.object({ DATA_DIR: commonEnv.DATA_DIR, ...authEnv });
const EIGHT_HOURS = 8 * 3600;

export interface NewcomerToken {
  token: string;
  subject: string;
  role: Role;
}

/**
 * A local-mode token for someone trying the stack on their machine (`dev`), signed with the key
 * the services will verify with: AUTH_SIGNING_KEY, or the key file under DATA_DIR, created here
 * first so both services find it. Undefined in OIDC mode: tokens come from the identity provider.
 */
export async function newcomerToken(env: NodeJS.ProcessEnv, role: Role): Promise<NewcomerToken | undefined> {
  const settings = authSettingsFromConfig(parseConfig(TokenEnv, env));
  if (settings.mode !== "local") return undefined;
  const user = env.USER ?? "";
  const subject = isValidSubject(user) ? user : `dev-${role}`;
  const issued = await issueLocalToken(await localTokenSettings(settings), {
    subject,
    role,
    lifetimeSeconds: EIGHT_HOURS,
  });
  return { token: issued.token, subject, role };
}
