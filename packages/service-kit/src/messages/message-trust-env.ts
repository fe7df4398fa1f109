import { z } from "zod";
import { MIN_SIGNING_KEY_BYTES } from "../auth/auth-env";
import { optionalString } from "../config";

export const DEFAULT_MESSAGE_MAX_CLOCK_SKEW_SECONDS = 300;

/** Queue-message trust variables (risk-service signs, partner-sync checks). */
export const messageTrustEnv = {
  MESSAGE_SIGNING_KEY: optionalString()
    .refine(
      (value) => value === undefined || Buffer.byteLength(value, "utf8") >= MIN_SIGNING_KEY_BYTES,
      `must be at least ${MIN_SIGNING_KEY_BYTES} bytes (e.g. \`openssl rand -base64 48\`)`,
    )
    .describe(
      "HMAC-SHA256 key for queue message bodies; when set, risk-service signs and partner-sync refuses unsigned or badly signed messages",
    ),
  MESSAGE_MAX_CLOCK_SKEW_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(86_400)
    .default(DEFAULT_MESSAGE_MAX_CLOCK_SKEW_SECONDS)
    .describe("A message whose processed_at is further in the future than this is poison"),
} as const;

export type MessageTrustEnv = z.infer<z.ZodObject<typeof messageTrustEnv>>;
