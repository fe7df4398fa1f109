// Test helpers of @smartrecover/service-kit/testing: never imported by production code.
export { type LocalOidcProvider, type OidcTestAlgorithm, startLocalOidcProvider } from "./local-oidc-provider";
export { assertEveryApiRouteGuarded, type RouteGuardCheckOptions } from "./route-guard-assertion";
export { type CapturedLogs, capturingLogger } from "./test-app";
export { createTestTokens, type TestTokens } from "./test-tokens";
