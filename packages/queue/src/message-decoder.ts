import type { z } from "zod";

export type DecodedMessage<T> = { ok: true; message: T } | { ok: false; reason: string };

/** A field naming the message format's version, checked before the schema so a newer publisher is named as such. */
export interface SchemaVersion {
  field: string;
  supported: number;
}

export interface MessageSchema<T> {
  schema: z.ZodType<T>;
  version?: SchemaVersion;
}

/**
 * Parses a queue body and validates it against the message schema. A failure is final: the same
 * bytes will never pass, so the consumer dead-letters the message at once. Reasons never quote
 * the body (it may hold personal data and ends up in logs and message attributes).
 */
export function decodeMessage<T>(body: string, { schema, version }: MessageSchema<T>): DecodedMessage<T> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    // Only the position: V8's message may quote the body.
    const where = /at position \d+(?: \(line \d+ column \d+\))?/.exec((error as Error).message)?.[0];
    return { ok: false, reason: where ? `malformed JSON ${where}` : "malformed JSON" };
  }
  if (version && typeof json === "object" && json !== null && !Array.isArray(json)) {
    const found = (json as Record<string, unknown>)[version.field];
    if (found !== version.supported) {
      // Named apart from schema failures: a newer publisher is an operational problem, not a broken message.
      return {
        ok: false,
        reason: `unsupported ${version.field} ${JSON.stringify(found) ?? "(missing)"}; expected ${version.supported}`,
      };
    }
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
  return { ok: false, reason: `schema: ${issues.join("; ")}` };
}
