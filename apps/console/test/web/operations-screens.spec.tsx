// @vitest-environment jsdom
import "@testing-library/jest-dom/vitest";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import {
  cannedDeadLetters,
  cannedDiscrepancy,
  cannedImports,
  cannedPoison,
  cannedPriority,
  cannedRuns,
  cannedSummary,
} from "../fixtures/canned-api";
import { fakeServer, renderConsole, route, sessionFor } from "./web-test-kit";

afterEach(cleanup);

describe("overview", () => {
  it("when the summary arrives, then reconciled, matched share, open by type, ageing, oldest item and last run are shown", async () => {
    const oldest = cannedDiscrepancy(8, { id: 321, age_days: 44, debtor_id: 4711 });
    const server = fakeServer({
      session: sessionFor("viewer"),
      handlers: [
        route("GET", "/api/partner_sync/summary/", () => ({ status: 200, body: cannedSummary })),
        route("GET", "/api/partner_sync/discrepancies/", () => ({
          status: 200,
          body: { items: [oldest], next_cursor: null, total: 120 },
        })),
        route("GET", "/api/risk_service/process-runs/", () => ({
          status: 200,
          body: { items: [cannedRuns[1]], next_cursor: null },
        })),
      ],
    });
    renderConsole("/", server);
    // 1,530 matched + 170 with a discrepancy = 1,700 reconciled; 1,530 / 1,700 = 90.0 %.
    expect((await screen.findByText("Debtors reconciled")).nextElementSibling).toHaveTextContent("1,700");
    expect(screen.getByText("Matched share").nextElementSibling).toHaveTextContent("90.0 %");
    expect(screen.getByText("Unresolved discrepancies").nextElementSibling).toHaveTextContent("120");
    const byType = screen.getByRole("table", { name: "Unresolved discrepancies by type" });
    expect(
      within(byType)
        .getAllByRole("row")
        .slice(1)
        .map((row) => row.textContent),
    ).toEqual(["Balance mismatch60", "Status mismatch35", "Missing at partner25"]);
    const ageing = screen.getByRole("table", { name: "Unresolved discrepancies by age" });
    expect(
      within(ageing)
        .getAllByRole("cell")
        .map((cell) => cell.textContent),
    ).toEqual(["42", "38", "27", "13"]);
    expect(await screen.findByRole("link", { name: "Discrepancy #321" })).toHaveAttribute("href", "/review/321");
    expect(screen.getByText(/open for 44 days/)).toBeInTheDocument();
    expect(server.to("/api/partner_sync/discrepancies/")[0]?.query.toString()).toBe(
      "status=OPEN%2CACKNOWLEDGED&sort=age&limit=1",
    );
    expect(await screen.findByText("30,000 of 30,000")).toBeInTheDocument();
    const chart = await screen.findByRole(
      "img",
      { name: /0–1 days 42, 2–7 days 38, 8–30 days 27, Over 30 days 13/ },
      { timeout: 5000 },
    );
    expect(chart).toBeInTheDocument();
  });

  it("when the summary call fails, then an error with a retry is shown instead of numbers", async () => {
    const server = fakeServer({
      session: sessionFor("viewer"),
      handlers: [
        route("GET", "/api/partner_sync/summary/", () => ({
          status: 502,
          body: { status_code: 502, code: "UPSTREAM_UNAVAILABLE", message: "partner-sync did not answer" },
        })),
      ],
    });
    renderConsole("/", server);
    const alert = await screen.findByText(/Could not load the reconciliation summary/, {}, { timeout: 5000 });
    expect(alert).toHaveTextContent("The service had a problem (502): partner-sync did not answer");
    expect(screen.queryByText("Debtors reconciled")).not.toBeInTheDocument();
  });
});

describe("worklist", () => {
  it("when the top debtors arrive, then each shows score, level, debt and its open discrepancies", async () => {
    const open = cannedDiscrepancy(1, { debtor_id: 4001, type: "STATUS_MISMATCH", id: 555 });
    const server = fakeServer({
      session: sessionFor("viewer"),
      handlers: [
        route("GET", "/api/risk_service/debtors/priority/", (request) => ({
          status: 200,
          body: { heap_size: 30, errors_count: 0, top: cannedPriority.slice(0, Number(request.query.get("top"))) },
        })),
        route("GET", "/api/partner_sync/discrepancies/", () => ({
          status: 200,
          body: { items: [open], next_cursor: null, total: 1 },
        })),
      ],
    });
    renderConsole("/worklist", server);
    const first = (await screen.findByRole("rowheader", { name: "Debtor 4001 Example #4001" })).closest("tr");
    expect(first).not.toBeNull();
    await waitFor(() =>
      expect(within(first as HTMLElement).getByRole("link", { name: "Status mismatch" })).toHaveAttribute(
        "href",
        "/review/555",
      ),
    );
    expect(first).toHaveTextContent("114,500,000.00380Critical38,000.00");
    expect(screen.getByRole("rowheader", { name: "Debtor 4002 Example #4002" }).closest("tr")).toHaveTextContent(
      "No open discrepancy",
    );
    expect(screen.getAllByRole("row")).toHaveLength(26);
    await userEvent.setup().selectOptions(screen.getByLabelText("Show the top"), "10 debtors");
    await waitFor(() => expect(screen.getAllByRole("row")).toHaveLength(11));
    expect(server.to("/api/risk_service/debtors/priority/").at(-1)?.query.get("top")).toBe("10");
  });
});

describe("processing", () => {
  const runsServer = (role: "viewer" | "operator", start?: () => { status: number; body: unknown }) =>
    fakeServer({
      session: sessionFor(role),
      handlers: [
        route("GET", "/api/risk_service/process-runs/", () => ({
          status: 200,
          body: { items: cannedRuns, next_cursor: null },
        })),
        route("POST", "/api/risk_service/process-runs/", () => start?.()),
      ],
    });

  it("when a run is going, then its progress is a labelled progress bar; a viewer has no Start run", async () => {
    renderConsole("/processing", runsServer("viewer"));
    const bar = await screen.findByRole("progressbar", { name: "Run 6f1c2a9e progress" });
    expect(bar).toHaveAttribute("value", "12500");
    expect(bar).toHaveAttribute("max", "30000");
    expect(screen.getByText("12,500 of 30,000 debtors")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Start run" })).not.toBeInTheDocument();
  });

  it("when an operator starts a run, then batch size and threshold are sent; a 409 names the live run", async () => {
    const server = runsServer("operator", () => ({
      status: 409,
      body: {
        status_code: 409,
        code: "RUN_IN_PROGRESS",
        message: "run 6f1c2a9e by operator since 09:00 is still going",
      },
    }));
    renderConsole("/processing", server);
    const user = userEvent.setup();
    const batch = await screen.findByLabelText("Batch size");
    await user.clear(batch);
    await user.type(batch, "250");
    await user.clear(screen.getByLabelText("High-priority threshold"));
    await user.type(screen.getByLabelText("High-priority threshold"), "750000.50");
    await user.click(screen.getByRole("button", { name: "Start run" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "A run is already going: run 6f1c2a9e by operator since 09:00 is still going",
    );
    expect(server.to("/api/risk_service/process-runs/", "POST")[0]?.body).toEqual({
      batch_size: 250,
      threshold: "750000.50",
    });
  });

  it("when the batch size is out of range, then nothing is sent", async () => {
    const server = runsServer("operator");
    renderConsole("/processing", server);
    const user = userEvent.setup();
    const batch = await screen.findByLabelText("Batch size");
    await user.clear(batch);
    await user.type(batch, "0");
    await user.click(screen.getByRole("button", { name: "Start run" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Batch size is a whole number from 1 to 100,000.");
    expect(server.to("/api/risk_service/process-runs/", "POST")).toHaveLength(0);
  });
});

describe("partner books", () => {
  it("when an upload is refused with 422, then every row error is listed with the total", async () => {
    const server = fakeServer({
      session: sessionFor("operator"),
      handlers: [
        route("GET", "/api/partner_sync/partner-books/", () => ({
          status: 200,
          body: { items: cannedImports, next_cursor: null },
        })),
        route("POST", "/api/partner_sync/partner-books/", () => ({
          status: 422,
          body: {
            status_code: 422,
            error: "Unprocessable Entity",
            code: "INVALID_PARTNER_BOOK",
            message: "the file has 3 invalid rows",
            errors: [
              { line: 4, column: "balance", reason: "must be a decimal with at most 2 decimals" },
              { line: 9, column: "status", reason: "must be UNPAID, PARTIAL or PAID" },
              { line: 12, column: null, reason: "has 2 fields, the header 3" },
            ],
            total_errors: 4,
          },
        })),
      ],
    });
    renderConsole("/partner-books", server);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Partner"), "acme-collections");
    await user.upload(
      screen.getByLabelText("CSV file"),
      new File(["debtor_id,balance,status\n1,1.234,UNPAID\n"], "book.csv", { type: "text/csv" }),
    );
    await user.click(screen.getByRole("button", { name: "Upload" }));
    const table = await screen.findByRole("table", { name: "Row errors" });
    expect(
      within(table)
        .getAllByRole("row")
        .slice(1)
        .map((row) => row.textContent),
    ).toEqual([
      "4balancemust be a decimal with at most 2 decimals",
      "9statusmust be UNPAID, PARTIAL or PAID",
      "12—has 2 fields, the header 3",
    ]);
    expect(
      screen.getByText(/The file was refused: 4 row errors \(the first 3 are listed\)\. Nothing was stored\./),
    ).toBeInTheDocument();
    const [upload] = server.to("/api/partner_sync/partner-books/", "POST");
    expect(upload?.query.get("partner")).toBe("acme-collections");
    const form = upload?.body;
    expect(form).toBeInstanceOf(FormData);
    expect(((form as FormData).get("file") as File).name).toBe("book.csv");
    expect(screen.getByRole("rowheader", { name: /2026/ }).closest("tr")).toHaveTextContent(
      "acme-collections1,8502026-12-01operatorComplete",
    );
  });

  it("when a viewer opens it, then the imports show and there is no upload", async () => {
    const server = fakeServer({
      session: sessionFor("viewer"),
      handlers: [
        route("GET", "/api/partner_sync/partner-books/", () => ({
          status: 200,
          body: { items: cannedImports, next_cursor: null },
        })),
      ],
    });
    renderConsole("/partner-books", server);
    expect(await screen.findByRole("heading", { name: "Imports" })).toBeInTheDocument();
    expect(await screen.findByText("acme-collections")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Upload" })).not.toBeInTheDocument();
  });
});

describe("dead letters", () => {
  it("when an admin redrives, then the result is announced", async () => {
    const server = fakeServer({
      session: sessionFor("admin"),
      handlers: [
        route("GET", "/api/partner_sync/dead-letters/", () => ({ status: 200, body: { items: cannedDeadLetters } })),
        route("GET", "/api/partner_sync/poison-messages/", () => ({ status: 200, body: { items: cannedPoison } })),
        route("POST", "/api/partner_sync/dead-letters/redrive/", () => ({
          status: 200,
          body: { redriven: 1, failed: 0 },
        })),
      ],
    });
    renderConsole("/dead-letters", server);
    expect(await screen.findByText("schema: risk_score must be at most 450")).toBeInTheDocument();
    expect(await screen.findByText("body is not JSON")).toBeInTheDocument();
    expect(server.to("/api/partner_sync/poison-messages/")[0]?.query.get("bodies")).toBe("true");
    await userEvent.setup().click(screen.getByRole("button", { name: "Redrive to the main queue" }));
    expect(await screen.findByText("Redriven 1 message; 0 failed.")).toBeInTheDocument();
    expect(server.to("/api/partner_sync/dead-letters/redrive/", "POST")).toHaveLength(1);
  });

  it("when the queue holds more than the page and SQS moved one, then the depth is told and the reason says SQS", async () => {
    const fromSqs = { ...cannedDeadLetters[0], sqs_message_id: "c4", message_id: null, reason: null };
    const server = fakeServer({
      session: sessionFor("admin"),
      handlers: [
        route("GET", "/api/partner_sync/dead-letters/", () => ({
          status: 200,
          body: { queue: "high-priority-debtors-dlq", depth: 120, items: [cannedDeadLetters[0], fromSqs] },
        })),
        route("GET", "/api/partner_sync/poison-messages/", () => ({ status: 200, body: { items: [] } })),
      ],
    });
    renderConsole("/dead-letters", server);
    expect(await screen.findByText("Moved by SQS after repeated failed deliveries")).toBeInTheDocument();
    expect(screen.getByText(/120 messages in/).textContent).toBe(
      "120 messages in high-priority-debtors-dlq; the first 2 are shown.",
    );
    expect(server.to("/api/partner_sync/dead-letters/")[0]?.query.get("bodies")).toBe("true");
  });

  it("when a reviewer opens the address, then the screen says it needs the admin role and asks nothing", async () => {
    const server = fakeServer({ session: sessionFor("reviewer") });
    renderConsole("/dead-letters", server);
    expect(await screen.findByText("This screen needs the admin role.")).toBeInTheDocument();
    expect(server.seen.filter((request) => request.path.startsWith("/api/"))).toHaveLength(0);
  });
});
