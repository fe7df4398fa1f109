import { ErrorResponse } from "@smartrecover/service-kit";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { DeadLetterList, DeadLetterQuery, RedriveOutcome, RedriveRequest } from "./dead-letter.schemas";
import type { DeadLetterService } from "./dead-letter.service";

// domain.md §9: dead letters hold message bodies and redrive replays them: admin only.
const admin = { role: "admin" } as const;

export const deadLetterRoutes: FastifyPluginAsyncZod<{ service: DeadLetterService }> = async (app, { service }) => {
  app.get(
    "/dead-letters/",
    {
      config: admin,
      schema: {
        tags: ["operations"],
        summary: "Messages in the dead-letter queue, read without consuming them",
        querystring: DeadLetterQuery,
        response: { 200: DeadLetterList, 400: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request) => service.list(request.query.limit, request.query.bodies),
  );

  app.post(
    "/dead-letters/redrive/",
    {
      config: admin,
      schema: {
        tags: ["operations"],
        summary: "Move dead letters back to the main queue (receive, re-send, delete); the consumer is idempotent",
        body: RedriveRequest,
        response: { 200: RedriveOutcome, 400: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request) => service.redrive(request.body.limit),
  );
};
