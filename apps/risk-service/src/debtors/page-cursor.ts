import { BadRequestError } from "@smartrecover/service-kit";

/**
 * Keyset cursors, opaque to clients: base64url of a small JSON position. Keyset (not offset)
 * pagination keeps pages stable while rows are added and costs the same on page 1 and page 600.
 */
export function encodeCursor(position: Record<string, number>): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

/** Decodes a cursor holding exactly `keys`, each a non-negative safe integer; anything else is a 400. */
export function decodeCursor<K extends string>(cursor: string, keys: readonly K[]): Record<K, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalidCursor();
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw invalidCursor();
  const entries = Object.entries(parsed);
  if (entries.length !== keys.length) throw invalidCursor();
  for (const key of keys) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) throw invalidCursor();
  }
  return parsed as Record<K, number>;
}

function invalidCursor(): BadRequestError {
  return new BadRequestError("invalid cursor", [
    { location: "querystring", field: "cursor", message: "is not a cursor returned by this endpoint" },
  ]);
}
