import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { PoisonMessage, PoisonMessageQuery } from "./poison-message.schemas";
import type { PoisonMessageService } from "./poison-message.service";

export const poisonMessageRoutes: FastifyPluginAsyncZod<{ service: PoisonMessageService }> = async (
  app,
  { service },
) => {
  app.get(
    "/poison-messages/",
    {
      config: { role: "admin" },
      schema: {
        tags: ["operations"],
        summary:
          "Malformed or schema-invalid messages recorded before they were dead-lettered (admin: bodies may hold personal data)",
        querystring: PoisonMessageQuery,
        response: { 200: z.object({ items: z.array(PoisonMessage) }) },
      },
    },
    async (request) => ({ items: await service.list(request.query.limit, request.query.bodies) }),
  );
};
