export { type AuthOptions, authPlugin, type GuardedRoute } from "./auth.plugin";
export {
  type AuthEnv,
  type AuthSettings,
  authEnv,
  authSettingsFromConfig,
  DEFAULT_AUDIENCE,
  LOCAL_ISSUER,
  MIN_SIGNING_KEY_BYTES,
} from "./auth-env";
export {
  AuthUnavailableError,
  InsufficientRoleError,
  InvalidTokenError,
  MalformedAuthorizationError,
  MissingTokenError,
} from "./auth-errors";
export { httpSecurityFromConfig } from "./http-security";
export { type AuthCommandIo, registerAuthCommand } from "./issue-token.command";
export {
  CLOCK_SKEW_SECONDS,
  createLocalVerifier,
  type IssuedToken,
  issueLocalToken,
  type LocalTokenSettings,
} from "./local-token";
export { createOidcVerifier, OIDC_ALGORITHMS, type OidcVerifierOptions } from "./oidc-verifier";
export type { AuthenticatedPrincipal, Principal, TokenVerifier } from "./principal";
export { highestKnownRole, isRole, ROLES, type Role, roleBelow, roleSatisfies } from "./roles";
export { loadOrCreateSigningKey, signingKeyPath } from "./signing-key-file";
export { isValidSubject, RESERVED_SUBJECTS, subjectProblem } from "./subject";
export { MAX_TOKEN_LIFETIME_SECONDS, parseTokenLifetime } from "./token-lifetime";
export { createTokenVerifier, localTokenSettings } from "./token-verifier";
