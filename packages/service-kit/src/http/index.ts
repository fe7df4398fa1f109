export { isApiPath } from "./api-paths";
export { createHttpApp, type HttpApp, type HttpAppOptions, ONE_MIB } from "./create-http-app";
export { BEARER_SCHEME, type DocsOptions } from "./docs.plugin";
export { fieldIssues, installErrorHandler } from "./error-handler";
export type { HealthOptions } from "./health.plugin";
export {
  BadRequestError,
  ConflictError,
  ErrorResponse,
  FieldIssue,
  HttpError,
  NotFoundError,
  ServiceUnavailableError,
  TooManyRequestsError,
} from "./http-errors";
export type { MetricsOptions } from "./metrics.plugin";
export {
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  DEFAULT_SERVER_LIMITS,
  type HttpHardeningEnv,
  httpHardeningEnv,
  type ServerLimits,
  serverLimitsFromConfig,
} from "./server-limits";
