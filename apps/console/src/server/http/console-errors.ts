import { STATUS_CODES } from "node:http";
import { HttpError } from "@smartrecover/service-kit";
import type { FastifyError, FastifyInstance } from "fastify";

/** The one error shape of the platform: {status_code, error, code, message, details?}. */
export function errorBody(statusCode: number, code: string, message: string, details?: unknown) {
  return { status_code: statusCode, error: STATUS_CODES[statusCode] ?? "Error", code, message, details };
}

export class SessionRequiredError extends HttpError {
  constructor(message = "sign in to continue") {
    super(401, "SESSION_REQUIRED", message);
  }
}

export class CsrfError extends HttpError {
  constructor() {
    super(403, "CSRF_TOKEN_INVALID", "missing or wrong x-csrf-token header: reload the console and try again");
  }
}

/** Typed errors keep their status and message; anything unexpected is a 500 that says nothing of internals. */
export function installConsoleErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.code(error.statusCode).send(errorBody(error.statusCode, error.code, error.message, error.details));
    }
    if (error.validation) {
      return reply.code(400).send(errorBody(400, "VALIDATION_ERROR", error.message));
    }
    const status = typeof error.statusCode === "number" ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send(errorBody(status, error.code ?? "CLIENT_ERROR", error.message));
    }
    request.log.error({ err: error }, "request failed");
    return reply.code(500).send(errorBody(500, "INTERNAL_ERROR", "internal server error"));
  });
}
