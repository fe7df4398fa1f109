import { describe, expect, it } from "vitest";
import { ConsoleApi } from "../../src/web/api/console-api";

/** A fetch that answers one JSON body, recording what was asked. */
function answering(body: unknown) {
  const asked: string[] = [];
  const fetcher = (async (input: RequestInfo | URL) => {
    asked.push(String(input));
    return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
  }) as typeof fetch;
  return { api: new ConsoleApi({ fetch: fetcher }), asked };
}

describe("ConsoleApi reads both shapes of partner-sync's review answers", () => {
  it("when tab counts come in snake case, then they are the same counts as by review state", async () => {
    const snake = answering({ open: 7, acknowledged: 3, assigned_to_me: 2, resolved: 11, auto_resolved: 5 });
    const upper = answering({ OPEN: 7, ACKNOWLEDGED: 3, assigned_to_me: 2, RESOLVED: 11, AUTO_RESOLVED: 5 });
    const expected = { OPEN: 7, ACKNOWLEDGED: 3, assigned_to_me: 2, RESOLVED: 11, AUTO_RESOLVED: 5 };
    expect(await snake.api.discrepancyCounts(new URLSearchParams())).toEqual(expected);
    expect(await upper.api.discrepancyCounts(new URLSearchParams())).toEqual(expected);
  });

  it("when a bulk refusal is nested under error with a lower-case code, then it reads as the flat upper-case one", async () => {
    const { api } = answering({
      action: "acknowledge",
      succeeded: 1,
      failed: 2,
      results: [
        { id: 1, ok: true },
        { id: 2, ok: false, error: { code: "wrong_state", message: "is RESOLVED" } },
        { id: 3, ok: false, code: "NOT_FOUND", message: "no such discrepancy" },
      ],
    });
    expect((await api.bulk("acknowledge", [1, 2, 3])).results).toEqual([
      { id: 1, ok: true },
      { id: 2, ok: false, code: "WRONG_STATE", message: "is RESOLVED" },
      { id: 3, ok: false, code: "NOT_FOUND", message: "no such discrepancy" },
    ]);
  });

  it("when a keyset page has no total and items lack priority or assignee, then they read as unknown, not undefined", async () => {
    const { api } = answering({ items: [{ id: 9, debtor_id: 4 }], next_cursor: "abc", limit: 50 });
    const page = await api.discrepancies(new URLSearchParams({ limit: "50" }));
    expect(page).toEqual({
      items: [expect.objectContaining({ id: 9, priority: null, assignee: null })],
      next_cursor: "abc",
      total: undefined,
    });
  });
});
