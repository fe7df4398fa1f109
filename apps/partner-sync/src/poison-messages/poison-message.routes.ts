import { ErrorResponse } from "@smartrecover/service-kit";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireRole } from "../discrepancies/request-actor";
import { PoisonMessage, PoisonMessageQuery } from "./poison-message.schemas";
import type { PoisonMessageService } from "./poison-message.service";

export const poisonMessageRoutes: FastifyPluginAsyncZod<{ service: PoisonMessageService }> = async (
  app,
  { service },
) => {
  app.get(
    "/poison-messages/",
    {
      config: { role: "viewer" },
      schema: {
        tags: ["operations"],
        summary:
          "Malformed or schema-invalid messages recorded before they were dead-lettered; bodies=true needs admin",
        querystring: PoisonMessageQuery,
        response: { 200: z.object({ items: z.array(PoisonMessage) }), 403: ErrorResponse },
      },
    },
    async (request) => {
      // Bodies may hold personal data (domain.md §9: admin only).
      if (request.query.bodies) requireRole(request, "admin");
      return { items: await service.list(request.query.limit, request.query.bodies) };
    },
  );
};
