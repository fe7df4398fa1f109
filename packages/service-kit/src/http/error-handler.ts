import { STATUS_CODES } from "node:http";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { type ErrorResponse, type FieldIssue, HttpError } from "./http-errors";

type ZodValidationError = {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
};

/** One entry per offending field, first reason only: later checks on a bad value only repeat it. */
export function fieldIssues(location: string, issues: readonly ZodValidationError[]): FieldIssue[] {
  const byField = new Map<string, FieldIssue>();
  for (const issue of issues) {
    const path = issue.instancePath.split("/").filter(Boolean).join(".");
    if (issue.keyword === "unrecognized_keys" && Array.isArray(issue.params.keys)) {
      for (const key of issue.params.keys) {
        const field = path ? `${path}.${String(key)}` : String(key);
        if (!byField.has(field)) byField.set(field, { location, field, message: "is not a known field" });
      }
      continue;
    }
    if (byField.has(path)) continue;
    byField.set(path, { location, field: path, message: readable(issue) });
  }
  return [...byField.values()];
}

function readable(issue: ZodValidationError): string {
  const message = issue.message ?? "is invalid";
  if (issue.keyword === "invalid_type" && message.endsWith("received undefined")) return "is required";
  return message;
}

export function errorBody(statusCode: number, code: string, message: string, details?: FieldIssue[]): ErrorResponse {
  return { status_code: statusCode, error: STATUS_CODES[statusCode] ?? "Error", code, message, details };
}

/**
 * The one place errors become HTTP answers: validation → 400 with every offending field, typed
 * domain errors → their status, Fastify's own client errors (bad JSON 400, body too large 413,
 * media type 415) pass through, anything else → 500 with no internals (logged with the request id).
 */
/** Errors raised before routing (a badly encoded URL) get the same body as every other error. */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
  reply.code(status).send(errorBody(status, error.code ?? "BAD_REQUEST", error.message));
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const location = error.validationContext ?? "body";
      const details = fieldIssues(location, error.validation);
      return reply.code(400).send(errorBody(400, "VALIDATION_ERROR", `invalid ${location}`, details));
    }
    if (error instanceof HttpError) {
      reply.headers(error.headers);
      return reply.code(error.statusCode).send(errorBody(error.statusCode, error.code, error.message, error.details));
    }
    const status = typeof error.statusCode === "number" ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      request.log.info({ code: error.code, message: error.message }, "client error");
      return reply.code(status).send(errorBody(status, error.code ?? "CLIENT_ERROR", error.message));
    }
    request.log.error({ err: error }, "request failed");
    return reply.code(500).send(errorBody(500, "INTERNAL_ERROR", "internal server error"));
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send(
        errorBody(
          404,
          "ROUTE_NOT_FOUND",
          `no route for ${request.method} ${(request.url.split("?")[0] ?? "").slice(0, 200)}`,
        ),
      );
  });
}
