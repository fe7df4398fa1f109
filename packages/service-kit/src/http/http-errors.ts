import { z } from "zod";

/** A domain failure with a safe, client-facing message; the error handler maps it to its status. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: FieldIssue[],
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
