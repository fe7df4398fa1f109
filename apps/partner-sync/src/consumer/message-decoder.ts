import { HighPriorityDebtorMessage, QUEUE_MESSAGE_SCHEMA_VERSION } from "@smartrecover/contracts";

export type DecodedMessage = { ok: true; message: HighPriorityDebtorMessage } | { ok: false; reason: string };

/**
 * Parses and validates a queue body against the shared contract (domain.md §6). A failure is
 * final: the same bytes will never pass, so the caller dead-letters the message at once.
 */
export function decodeMessage(body: string): DecodedMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    // Only the position: V8's message may quote the body, which must not reach logs.
    const where = /at position \d+(?: \(line \d+ column \d+\))?/.exec((error as Error).message)?.[0];
    return { ok: false, reason: where ? `malformed JSON ${where}` : "malformed JSON" };
  }
  const version = (json as { schema_version?: unknown } | null)?.schema_version;
  if (typeof json === "object" && json !== null && !Array.isArray(json) && version !== QUEUE_MESSAGE_SCHEMA_VERSION) {
    // Named separately: a newer publisher is an operational problem, not a broken message.
    return {
      ok: false,
      reason: `unsupported schema_version ${JSON.stringify(version) ?? "(missing)"}; expected ${QUEUE_MESSAGE_SCHEMA_VERSION}`,
    };
  }
  const parsed = HighPriorityDebtorMessage.safeParse(json);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
  return { ok: false, reason: `schema: ${issues.join("; ")}` };
}
