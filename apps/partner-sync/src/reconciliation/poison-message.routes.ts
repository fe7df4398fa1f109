import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { PartnerSyncDatabase } from "../db/partner-sync-database";
import { listPoisonMessages } from "./poison-message.repository";

const PoisonMessageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    bodies: z
      .enum(["true", "false"])
      .default("false")
      .transform((value) => value === "true")
      .describe("Include the raw bodies (they may hold personal data)"),
  })
  .strict();

const PoisonMessage = z
  .object({
    id: z.number().int(),
    sqs_message_id: z.string(),
    message_id: z.string().nullable().describe("When the body was JSON with a message_id"),
    reason: z.string(),
    receive_count: z.number().int().nullable(),
    first_recorded_at: z.string(),
    last_recorded_at: z.string(),
    body: z.string().optional(),
  })
  .meta({ id: "PoisonMessage" });

/** What the consumer could never apply and dead-lettered at once, newest first. */
export const poisonMessageRoutes: FastifyPluginAsyncZod<{ db: PartnerSyncDatabase }> = async (app, { db }) => {
  app.get(
    "/poison-messages/",
    {
      schema: {
        tags: ["operations"],
        summary: "Malformed or schema-invalid messages recorded before they were dead-lettered",
        querystring: PoisonMessageQuery,
        response: { 200: z.object({ items: z.array(PoisonMessage) }) },
      },
    },
    async (request) => {
      const rows = await listPoisonMessages(db, request.query.limit);
      return {
        items: rows.map((row) => ({
          id: row.id,
          sqs_message_id: row.sqsMessageId,
          message_id: row.messageId,
          reason: row.reason,
          receive_count: row.receiveCount,
          first_recorded_at: row.firstRecordedAt.toISOString(),
          last_recorded_at: row.lastRecordedAt.toISOString(),
          ...(request.query.bodies ? { body: row.body } : {}),
        })),
      };
    },
  );
};
