// @vitest-environment jsdom
import "@testing-library/jest-dom/vitest";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import type { Role } from "../../src/web/api/api-types";
import { cannedDiscrepancy } from "../fixtures/canned-api";
import { fakeServer, renderConsole, route, type SeenRequest, sessionFor } from "./web-test-kit";

afterEach(cleanup);

const items = [1, 2, 3, 4, 5, 6].map((n) => cannedDiscrepancy(n));
const counts = { OPEN: 12, ACKNOWLEDGED: 3, RESOLVED: 40, AUTO_RESOLVED: 7, assigned_to_me: 2 };

function queueServer(role: Role, bulk?: (request: SeenRequest) => { status: number; body: unknown }) {
  return fakeServer({
    session: sessionFor(role, `${role}-1`),
    handlers: [
      route("GET", "/api/partner_sync/discrepancies/", () => ({
        status: 200,
        body: { items, next_cursor: "c2", total: 75 },
      })),
      route("GET", "/api/partner_sync/discrepancies/counts/", () => ({ status: 200, body: counts })),
      route("POST", "/api/partner_sync/discrepancies/bulk/", (request) => bulk?.(request)),
    ],
  });
}

const lastList = (server: ReturnType<typeof fakeServer>) =>
  server.to("/api/partner_sync/discrepancies/").at(-1)?.query.toString();

describe("review queue", () => {
  it("when it opens, then it asks for open discrepancies by priority and shows the tab counts", async () => {
    const server = queueServer("reviewer");
    renderConsole("/review", server);
    expect(await screen.findByRole("cell", { name: "4002" })).toBeInTheDocument();
    expect(lastList(server)).toBe("status=OPEN&sort=priority&limit=50");
    const tabs = screen.getByRole("navigation", { name: "Review states" });
    await waitFor(() =>
      expect(within(tabs).getByRole("link", { name: "Open 12" })).toHaveAttribute("aria-current", "page"),
    );
    expect(within(tabs).getByRole("link", { name: "Assigned to me 2" })).toBeInTheDocument();
    expect(within(tabs).getByRole("link", { name: "Auto-resolved 7" })).toBeInTheDocument();
    expect(screen.getByText("Showing 1–6 of 75")).toBeInTheDocument();
    const headers = screen.getAllByRole("columnheader").map((header) => header.textContent);
    expect(headers).toEqual([
      "",
      "Discrepancy",
      "Debtor",
      "Type",
      "Our value",
      "Partner value",
      "Difference",
      "Priority",
      "Age",
      "State",
      "Assignee",
    ]);
    expect(screen.getByRole("columnheader", { name: "Priority" })).toHaveAttribute("aria-sort", "descending");
  });

  it("when filters and sort are applied, then the list and the counts are asked with exactly those parameters", async () => {
    const server = queueServer("reviewer");
    renderConsole("/review", server);
    await screen.findByRole("cell", { name: "4002" });
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText("Type"), "Balance mismatch");
    await user.selectOptions(screen.getByLabelText("Age"), "8–30 days");
    await user.type(screen.getByLabelText("Minimum priority"), "250000.50");
    await user.selectOptions(screen.getByLabelText("Assignee"), "Unassigned");
    await user.selectOptions(screen.getByLabelText("Sort by"), "Age, oldest first");
    await user.click(screen.getByRole("button", { name: "Apply filters" }));
    await waitFor(() =>
      expect(lastList(server)).toBe(
        "type=BALANCE_MISMATCH&min_age_days=8&max_age_days=30&min_priority=250000.50&assignee=none&status=OPEN&sort=age&limit=50",
      ),
    );
    expect(server.to("/api/partner_sync/discrepancies/counts/").at(-1)?.query.toString()).toBe(
      "type=BALANCE_MISMATCH&min_age_days=8&max_age_days=30&min_priority=250000.50&assignee=none",
    );
    expect(screen.getByRole("columnheader", { name: "Age" })).toHaveAttribute("aria-sort", "ascending");
  });

  it("when the Assigned to me tab and the over-30 bucket are chosen, then both states are asked for the caller", async () => {
    const server = queueServer("reviewer");
    renderConsole("/review?tab=mine&age=over-30", server);
    await screen.findByRole("cell", { name: "4002" });
    expect(lastList(server)).toBe("min_age_days=31&status=OPEN%2CACKNOWLEDGED&assignee=me&sort=priority&limit=50");
  });

  it("when the minimum priority is not a decimal, then the form says so and asks nothing new", async () => {
    const server = queueServer("reviewer");
    renderConsole("/review", server);
    await screen.findByRole("cell", { name: "4002" });
    const before = server.to("/api/partner_sync/discrepancies/").length;
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Minimum priority"), "1,000");
    await user.click(screen.getByRole("button", { name: "Apply filters" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Minimum priority is a number with at most two decimals",
    );
    expect(screen.getByLabelText("Minimum priority")).toHaveAttribute("aria-invalid", "true");
    expect(server.to("/api/partner_sync/discrepancies/")).toHaveLength(before);
  });

  it("when a viewer opens the queue, then there are no checkboxes, bulk actions or export", async () => {
    const server = queueServer("viewer");
    renderConsole("/review", server);
    await screen.findByRole("cell", { name: "4002" });
    expect(screen.queryAllByRole("checkbox")).toHaveLength(0);
    for (const name of ["Acknowledge selected", "Assign selected", "Resolve selected"]) {
      expect(screen.queryByRole("button", { name })).not.toBeInTheDocument();
    }
    expect(screen.queryByRole("link", { name: "Export CSV" })).not.toBeInTheDocument();
  });

  it("when a reviewer acknowledges three rows, then the bulk call names them and each row's result is shown", async () => {
    const server = queueServer("reviewer", () => ({
      status: 200,
      body: {
        results: [
          { id: 101, ok: true },
          { id: 102, ok: false, code: "WRONG_STATE", message: "cannot acknowledge a discrepancy that is ACKNOWLEDGED" },
          { id: 103, ok: true },
        ],
      },
    }));
    renderConsole("/review", server);
    await screen.findByRole("cell", { name: "4002" });
    const user = userEvent.setup();
    expect(screen.getAllByRole("checkbox")).toHaveLength(items.length + 1);
    for (const id of [101, 102, 103])
      await user.click(screen.getByRole("checkbox", { name: `Select discrepancy ${id}` }));
    expect(screen.getByRole("heading", { name: "Bulk actions (3 selected)" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Acknowledge selected" }));
    const results = await screen.findByRole("table", { name: "Result per discrepancy" });
    const [sent] = server.to("/api/partner_sync/discrepancies/bulk/", "POST");
    expect(sent?.body).toEqual({ action: "acknowledge", ids: [101, 102, 103] });
    expect(sent?.headers["x-csrf-token"]).toBe("csrf-reviewer-1");
    const rows = within(results).getAllByRole("row").slice(1);
    expect(rows.map((row) => row.textContent)).toEqual([
      "#101Acknowledged",
      "#102Not doneNot in a state that allows this: cannot acknowledge a discrepancy that is ACKNOWLEDGED",
      "#103Acknowledged",
    ]);
    expect(screen.getByText("Acknowledged 2 of 3; 1 not done (see below).")).toBeInTheDocument();
    expect(screen.getByRole("checkbox", { name: "Select discrepancy 101" })).not.toBeChecked();
  });

  it("when Resolve selected is pressed without a note, then nothing is sent and the note is asked for", async () => {
    const server = queueServer("reviewer", (request) => ({
      status: 200,
      body: { results: (request.body as { ids: number[] }).ids.map((id) => ({ id, ok: true })) },
    }));
    renderConsole("/review", server);
    await screen.findByRole("cell", { name: "4002" });
    const user = userEvent.setup();
    await user.click(screen.getByRole("checkbox", { name: "Select discrepancy 104" }));
    await user.click(screen.getByRole("button", { name: "Resolve selected" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("A resolution note is required to resolve");
    expect(screen.getByLabelText("Resolution note")).toHaveAttribute("aria-invalid", "true");
    expect(server.to("/api/partner_sync/discrepancies/bulk/", "POST")).toHaveLength(0);
    await user.type(screen.getByLabelText("Resolution note"), "Partner corrected the balance");
    await user.click(screen.getByRole("button", { name: "Resolve selected" }));
    await screen.findByText("Resolved 1 of 1.");
    expect(server.to("/api/partner_sync/discrepancies/bulk/", "POST")[0]?.body).toEqual({
      action: "resolve",
      ids: [104],
      note: "Partner corrected the balance",
    });
  });

  it("when rows are assigned, then the assignee defaults to the signed-in subject", async () => {
    const server = queueServer("reviewer", (request) => ({
      status: 200,
      body: { results: (request.body as { ids: number[] }).ids.map((id) => ({ id, ok: true })) },
    }));
    renderConsole("/review", server);
    await screen.findByRole("cell", { name: "4002" });
    const user = userEvent.setup();
    await user.click(screen.getByRole("checkbox", { name: "Select all on this page" }));
    await user.click(screen.getByRole("button", { name: "Assign selected" }));
    await screen.findByText("Assigned 6 of 6.");
    expect(server.to("/api/partner_sync/discrepancies/bulk/", "POST")[0]?.body).toEqual({
      action: "assign",
      ids: [101, 102, 103, 104, 105, 106],
      assignee: "reviewer-1",
    });
  });

  it("when a reviewer looks at the export link, then it carries the tab and the filters the report understands", async () => {
    const server = queueServer("reviewer");
    renderConsole("/review?tab=acknowledged&type=STATUS_MISMATCH&age=2-7&min_priority=10", server);
    await screen.findByRole("cell", { name: "4002" });
    expect(screen.getByRole("link", { name: "Export CSV" })).toHaveAttribute(
      "href",
      "/api/partner_sync/reports/reconciliation/?format=csv&status=ACKNOWLEDGED&type=STATUS_MISMATCH&min_age_days=2&max_age_days=7",
    );
  });

  it("when the next page is asked, then the cursor from the last answer is sent", async () => {
    const server = queueServer("viewer");
    renderConsole("/review", server);
    await screen.findByRole("cell", { name: "4002" });
    await userEvent.setup().click(screen.getByRole("button", { name: "Next page" }));
    await waitFor(() => expect(lastList(server)).toBe("status=OPEN&sort=priority&limit=50&cursor=c2"));
    expect(await screen.findByText("Showing 51–56 of 75")).toBeInTheDocument();
  });
});
