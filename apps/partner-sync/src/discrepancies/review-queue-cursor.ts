import { BadRequestError } from "@smartrecover/service-kit";
import type { DiscrepancySort } from "./discrepancy.schemas";

/** Where a keyset page ends: the last row's sort key and id, in the order the page was sorted. */
export type QueuePosition =
  | { sort: "detected"; id: number }
  | { sort: "age"; firstSeenAt: Date; id: number }
  | { sort: "priority"; priority: string; id: number };

const PRIORITY = /^\d{1,13}(\.\d{1,2})?$/;

/** Opaque to clients: base64url of a small JSON position (the same idea as risk-service's cursors). */
export function encodeQueueCursor(position: QueuePosition): string {
  const json =
    position.sort === "detected"
      ? { s: "detected", i: position.id }
      : position.sort === "age"
        ? { s: "age", t: position.firstSeenAt.getTime(), i: position.id }
        : { s: "priority", p: position.priority, i: position.id };
  return Buffer.from(JSON.stringify(json)).toString("base64url");
}

/** Decodes a cursor made for `sort`; anything else (or a cursor of the other sort) is a 400. */
export function decodeQueueCursor(cursor: string, sort: DiscrepancySort): QueuePosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalidCursor("is not a cursor returned by this endpoint");
  }
  if (typeof parsed !== "object" || parsed === null) throw invalidCursor("is not a cursor returned by this endpoint");
  const { s, t, p, i } = parsed as Record<string, unknown>;
  if (s !== sort) throw invalidCursor(`was made for another sort than ${sort}`);
  if (typeof i !== "number" || !Number.isSafeInteger(i) || i < 0) {
    throw invalidCursor("is not a cursor returned by this endpoint");
  }
  if (sort === "detected" && t === undefined && p === undefined) return { sort, id: i };
  if (sort === "age" && typeof t === "number" && Number.isSafeInteger(t) && t >= 0) {
    return { sort, firstSeenAt: new Date(t), id: i };
  }
  if (sort === "priority" && typeof p === "string" && PRIORITY.test(p)) return { sort, priority: p, id: i };
  throw invalidCursor("is not a cursor returned by this endpoint");
}

function invalidCursor(message: string): BadRequestError {
  return new BadRequestError("invalid cursor", [{ location: "querystring", field: "cursor", message }]);
}
