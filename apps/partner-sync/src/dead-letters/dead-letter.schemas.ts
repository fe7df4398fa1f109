import { z } from "zod";

export const DeadLetterQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(50).describe("Most dead letters to show (1–1000)"),
    bodies: z
      .enum(["true", "false"])
      .default("false")
      .transform((value) => value === "true")
      .describe("Include the message bodies (they may hold personal data)"),
  })
  .strict();

export const DeadLetter = z
  .object({
    sqs_message_id: z.string(),
    message_id: z.string().nullable().describe("The contract's message_id when the body is JSON that has one"),
    sent_at: z.string().nullable(),
    reason: z
      .string()
      .nullable()
      .describe("Why the consumer dead-lettered it; null when SQS moved it (maxReceiveCount)"),
    body: z.string().optional(),
  })
  .meta({ id: "DeadLetter" });
export type DeadLetter = z.infer<typeof DeadLetter>;

export const DeadLetterList = z
  .object({
    queue: z.string().describe("The dead-letter queue's name"),
    depth: z.number().int().describe("Messages in the dead-letter queue (visible and in flight)"),
    items: z.array(DeadLetter).describe("Up to `limit` of them, read without consuming them"),
  })
  .meta({ id: "DeadLetterList" });
export type DeadLetterList = z.infer<typeof DeadLetterList>;

export const RedriveRequest = z
  .object({
    limit: z.number().int().min(1).max(1_000_000).optional().describe("Most messages to move (default: all)"),
  })
  .strict()
  .meta({ id: "RedriveRequest" });

export const RedriveOutcome = z
  .object({
    redriven: z.number().int().describe("Moved back to the main queue"),
    failed: z.number().int().describe("Could not be re-sent; still in the dead-letter queue"),
  })
  .meta({ id: "RedriveOutcome" });
export type RedriveOutcome = z.infer<typeof RedriveOutcome>;
