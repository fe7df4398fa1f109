import { z } from "zod";

export const PoisonMessageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    bodies: z
      .enum(["true", "false"])
      .default("false")
      .transform((value) => value === "true")
      .describe("Include the raw bodies (they may hold personal data)"),
  })
  .strict();

export const PoisonMessage = z
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
export type PoisonMessage = z.infer<typeof PoisonMessage>;
