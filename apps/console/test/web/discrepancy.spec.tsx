// @vitest-environment jsdom
import "@testing-library/jest-dom/vitest";
import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import type { DiscrepancyWithHistory, ReviewState, Role } from "../../src/web/api/api-types";
import { cannedDebtor, cannedDiscrepancy, cannedHistory } from "../fixtures/canned-api";
import { fakeServer, renderConsole, route, sessionFor } from "./web-test-kit";

afterEach(cleanup);

function withHistory(state: ReviewState): DiscrepancyWithHistory {
  const item = cannedDiscrepancy(3, {
    review_state: state,
    type: "BALANCE_MISMATCH",
    internal_value: "10411.00",
    external_value: "10661.00",
    difference_amount: "250.00",
    difference_percent: "2.40",
  });
  return { ...item, history: cannedHistory(item) };
}

function detailServer(role: Role, state: ReviewState) {
  let current = withHistory(state);
  const server = fakeServer({
    session: sessionFor(role),
    handlers: [
      route("GET", "/api/partner_sync/discrepancies/103/", () => ({ status: 200, body: current })),
      route("GET", "/api/risk_service/debtors/4003/", () => ({ status: 200, body: cannedDebtor(4003) })),
      route("POST", "/api/partner_sync/discrepancies/103/comments/", (request) => {
        const note = (request.body as { note: string }).note;
        current = {
          ...current,
          history: [
            ...current.history,
            {
              id: 9999,
              event: "COMMENTED",
              from_state: state,
              to_state: state,
              actor: role,
              note,
              message_id: null,
              created_at: "2026-12-02T09:30:00Z",
            },
          ],
        };
        return { status: 200, body: current };
      }),
      route("POST", "/api/partner_sync/discrepancies/103/resolve/", () => ({
        status: 409,
        body: { status_code: 409, code: "FOUR_EYES", message: "the subject who acknowledged it cannot resolve it" },
      })),
    ],
  });
  return server;
}

describe("discrepancy screen", () => {
  it("when opened, then both sides' values, the debtor's six factor scores and the whole timeline are shown", async () => {
    renderConsole("/review/103", detailServer("viewer", "ACKNOWLEDGED"));
    expect(await screen.findByRole("heading", { name: "Discrepancy #103", level: 1 })).toBeInTheDocument();
    expect((await screen.findByText("Our value")).nextElementSibling).toHaveTextContent("10,411.00");
    expect(screen.getByText("Partner value (acme-collections)").nextElementSibling).toHaveTextContent("10,661.00");
    expect(screen.getByText("Difference").nextElementSibling).toHaveTextContent("250.00 (2.40 %, tolerance 1.0 %)");
    const factors = await screen.findByRole("table", { name: "Factor scores (0–10)" });
    const rows = within(factors)
      .getAllByRole("row")
      .slice(1)
      .map((row) => row.textContent);
    expect(rows).toEqual([
      "Debt ratio9",
      "Payment history8",
      "Employment status6",
      "Contract type7",
      "Industry sector5",
      "Family situation4",
    ]);
    expect(screen.getByText("Risk score").nextElementSibling).toHaveTextContent("312 High");
    const timeline = screen.getByRole("list", { name: "Audit events, oldest first" });
    expect(
      within(timeline)
        .getAllByRole("listitem")
        .map((item) => item.querySelector("strong")?.textContent),
    ).toEqual(["Detected", "Acknowledged: Open → Acknowledged"]);
    expect(within(timeline).getByText("Asked the partner for their ledger")).toBeInTheDocument();
  });

  it("when a viewer opens it, then no action, comment or assignment control is offered", async () => {
    renderConsole("/review/103", detailServer("viewer", "OPEN"));
    await screen.findByRole("heading", { name: "Audit timeline" });
    expect(screen.queryByRole("heading", { name: "Actions" })).not.toBeInTheDocument();
    expect(screen.queryAllByRole("button")).toEqual([screen.getByRole("button", { name: "Sign out" })]);
    expect(screen.queryByRole("textbox")).not.toBeInTheDocument();
  });

  it("when a reviewer opens an open one, then Acknowledge is offered and Resolve is not", async () => {
    renderConsole("/review/103", detailServer("reviewer", "OPEN"));
    expect(await screen.findByRole("button", { name: "Acknowledge" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Resolve" })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Assign to me" })).toBeInTheDocument();
  });

  it("when Resolve is pressed without a note, then nothing is sent; a refusal from the service is shown", async () => {
    const server = detailServer("reviewer", "ACKNOWLEDGED");
    renderConsole("/review/103", server);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Resolve" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("A note is required to resolve");
    expect(server.to("/api/partner_sync/discrepancies/103/resolve/", "POST")).toHaveLength(0);
    await user.type(screen.getByLabelText("Resolution note"), "Balance corrected by the partner");
    await user.click(screen.getByRole("button", { name: "Resolve" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("the subject who acknowledged it cannot resolve it");
    expect(server.to("/api/partner_sync/discrepancies/103/resolve/", "POST")[0]?.body).toEqual({
      note: "Balance corrected by the partner",
    });
  });

  it("when a comment is added, then it is posted and appears in the timeline", async () => {
    const server = detailServer("reviewer", "OPEN");
    renderConsole("/review/103", server);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Comment"), "Called the partner, waiting for a statement");
    await user.click(screen.getByRole("button", { name: "Add comment" }));
    expect(await screen.findByText("Comment added.")).toBeInTheDocument();
    expect(server.to("/api/partner_sync/discrepancies/103/comments/", "POST")[0]?.body).toEqual({
      note: "Called the partner, waiting for a statement",
    });
    const timeline = screen.getByRole("list", { name: "Audit events, oldest first" });
    expect(within(timeline).getByText("Called the partner, waiting for a statement")).toBeInTheDocument();
    expect(screen.getByLabelText("Comment")).toHaveValue("");
  });
});
