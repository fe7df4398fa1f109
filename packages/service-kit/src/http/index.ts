export { createHttpApp, type HttpApp, type HttpAppOptions, ONE_MIB } from "./create-http-app";
export type { DocsOptions } from "./docs.plugin";
export { fieldIssues, installErrorHandler } from "./error-handler";
export type { HealthOptions } from "./health.plugin";
export {
  BadRequestError,
  ConflictError,
  ErrorResponse,
  FieldIssue,
  HttpError,
  NotFoundError,
} from "./http-errors";
export type { MetricsOptions } from "./metrics.plugin";
