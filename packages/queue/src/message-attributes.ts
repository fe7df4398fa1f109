import type { Message } from "@aws-sdk/client-sqs";

/** The string-valued message attributes (binary ones are not used here). */
export function stringAttributes(attributes: NonNullable<Message["MessageAttributes"]>): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (value.StringValue !== undefined) strings[name] = value.StringValue;
  }
  return strings;
}
