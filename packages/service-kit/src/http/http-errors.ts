import { z } from "zod";

/**
 * A domain failure with a safe, client-facing message; the error handler maps it to its status
 * and sets its headers (WWW-Authenticate, Retry-After).
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: FieldIssue[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends HttpError {
  constructor(message: string, details?: FieldIssue[]) {
    super(400, "BAD_REQUEST", message, details);
  }
}

export class NotFoundError extends HttpError {
  constructor(message = "not found") {
    super(404, "NOT_FOUND", message);
  }
}

export class ConflictError extends HttpError {
  constructor(message: string) {
    super(409, "CONFLICT", message);
  }
}

/** Too many requests in the current window; Retry-After says when to come back. */
export class TooManyRequestsError extends HttpError {
  constructor(retryAfterSeconds: number) {
    super(429, "RATE_LIMITED", `too many requests; retry in ${retryAfterSeconds} s`, undefined, {
      "retry-after": String(retryAfterSeconds),
    });
  }
}

/** The server sheds load (or a dependency it needs is unreachable); Retry-After says when to come back. */
export class ServiceUnavailableError extends HttpError {
  constructor(code: string, message: string, retryAfterSeconds: number) {
    super(503, code, message, undefined, { "retry-after": String(retryAfterSeconds) });
  }
}

export const FieldIssue = z.object({
  location: z.string().describe("body, querystring, params or headers"),
  field: z.string().describe("Dotted path of the offending field; empty for the whole input"),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

/** The body of every error response. */
export const ErrorResponse = z
  .object({
    status_code: z.number().int(),
    error: z.string().describe("HTTP reason phrase"),
    code: z.string().describe("Stable machine-readable code"),
    message: z.string(),
    details: z.array(FieldIssue).optional().describe("One entry per offending field (validation errors)"),
  })
  .meta({ id: "ErrorResponse" });
export type ErrorResponse = z.infer<typeof ErrorResponse>;
