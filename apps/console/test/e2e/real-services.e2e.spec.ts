import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PASSWORDS } from "../server/console-test-kit";
import { launchChromium, screenshot, seriousViolations, signInThroughForm } from "./browser-harness";
import { type ConsoleStack, startConsoleStack } from "./console-stack";
import { type RunningServices, startRealServices } from "./real-services";

// The console in front of the REAL services: the demo pipeline's data (600 debtors generated,
// scored, published through fauxqs and reconciled), risk-service and partner-sync as their own
// processes on those SQLite files, verifying the console's tokens with their own key file.
// Written to issue #14's review API (assign, bulk, counts, min_priority, sort=priority): the
// parts that need it fail until partner-sync serves it.

let services: RunningServices;
let stack: ConsoleStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  services = await startRealServices();
  [stack, browser] = await Promise.all([
    startConsoleStack({ riskUrl: services.riskUrl, syncUrl: services.syncUrl, dataDir: services.dataDir }),
    launchChromium(),
  ]);
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await services?.stop();
});
beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1360, height: 900 }, reducedMotion: "reduce" });
  page = await context.newPage();
});
afterEach(async () => {
  await context.close();
});

async function signInAs(role: keyof typeof PASSWORDS): Promise<void> {
  await signInThroughForm(page, stack.consoleUrl, role, PASSWORDS[role]);
  await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
}

/** Calls the console's API from the signed-in page, as the SPA would (cookie + CSRF header). */
function callFromPage(path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  return page.evaluate(
    async ({ path, body }) => {
      const session = (await (await fetch("/console/session")).json()) as { csrf_token: string };
      const response = await fetch(path, {
        method: body === undefined ? "GET" : "POST",
        headers: { "content-type": "application/json", "x-csrf-token": session.csrf_token },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    },
    { path, body },
  );
}

describe("recovery console against the real services", () => {
  it("when the password is wrong, then sign-in is refused; right, the overview shows the pipeline's numbers", async () => {
    await signInThroughForm(page, stack.consoleUrl, "reviewer", "not-the-password");
    await expect.poll(() => page.getByText("Wrong username or password").count()).toBe(1);
    expect(await page.context().cookies()).toEqual([]);

    await signInAs("reviewer");
    // The summary partner-sync computes from the reconciled book, read through the console.
    const summary = await callFromPage("/api/partner_sync/summary/");
    expect(summary.status).toBe(200);
    const total = (summary.body as { reconciliation: { total: number } }).reconciliation.total;
    expect(total).toBeGreaterThan(0);
    await page.locator(".recharts-bar-rectangle").first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("when filtered by minimum priority and sorted by priority, then every row is at least that and highest first", async () => {
    await signInAs("reviewer");
    await page.getByRole("link", { name: "Review queue" }).click();
    await page.getByLabel("Minimum priority").fill("10000000");
    await page.getByLabel("Sort by").selectOption({ label: "Priority, highest first" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => page.url()).toContain("min_priority=10000000");
    await page.getByText("Showing 1–").waitFor();
    const column = await page.getByRole("columnheader").allTextContents();
    const cells = page.locator(`tbody tr td:nth-child(${column.indexOf("Priority") + 1})`);
    const shown = (await cells.allTextContents()).map((text) => Number(text.replaceAll(",", "")));
    expect(shown.length).toBeGreaterThan(3);
    expect(shown.every((value) => value >= 10_000_000)).toBe(true);
    expect(shown).toEqual([...shown].sort((a, b) => b - a));
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("when five rows are acknowledged in bulk, then each row gets its own result and the service has them acknowledged", async () => {
    await signInAs("reviewer");
    await page.getByRole("link", { name: "Review queue" }).click();
    await page.getByText("Showing 1–").waitFor();
    const boxes = page.getByRole("checkbox", { name: /^Select discrepancy / });
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      const box = boxes.nth(index);
      ids.push(((await box.getAttribute("aria-label")) ?? "").replace("Select discrepancy ", ""));
      await box.check();
    }
    await page.getByRole("button", { name: "Acknowledge selected" }).click();
    const results = page.getByRole("table", { name: "Result per discrepancy" });
    await results.waitFor();
    expect(await results.locator("tbody tr").allTextContents()).toEqual(ids.map((id) => `#${id}Acknowledged`));
    for (const id of ids) {
      const stored = await callFromPage(`/api/partner_sync/discrepancies/${id}/`);
      expect(stored.body).toMatchObject({ review_state: "ACKNOWLEDGED" });
    }
  });

  it("when one is acknowledged, assigned to me and resolved with a note, then all three are in its timeline", async () => {
    await signInAs("reviewer");
    await page.goto(`${stack.consoleUrl}/review`);
    await page.getByText("Showing 1–").waitFor();
    const link = page.locator("tbody tr").first().getByRole("link").first();
    const id = ((await link.textContent()) ?? "").replace("#", "");
    await link.click();
    await page.getByRole("heading", { name: `Discrepancy #${id}`, level: 1 }).waitFor();
    await page.getByRole("table", { name: "Factor scores (0–10)" }).waitFor();

    await page.getByRole("button", { name: "Acknowledge", exact: true }).click();
    await expect.poll(() => page.getByText("Acknowledged.", { exact: true }).count()).toBe(1);
    await page.getByRole("button", { name: "Assign to me" }).click();
    await expect.poll(() => page.getByText("Assignment saved.").count()).toBe(1);
    await page.getByLabel("Resolution note").fill("Partner confirmed the corrected balance by e-mail");
    await page.getByRole("button", { name: "Resolve", exact: true }).click();
    await expect.poll(() => page.getByText("Resolved.", { exact: true }).count()).toBe(1);

    const timeline = page.getByRole("list", { name: "Audit events, oldest first" });
    await expect.poll(() => timeline.getByText("Partner confirmed the corrected balance by e-mail").count()).toBe(1);
    const stored = (await callFromPage(`/api/partner_sync/discrepancies/${id}/`)).body as {
      review_state: string;
      assignee: string | null;
      history: Array<{ event: string; actor: string }>;
    };
    expect(stored.review_state).toBe("RESOLVED");
    expect(stored.assignee).toBe("reviewer");
    // The actor is the signed-in subject, taken from the console's token by the service.
    expect(stored.history.filter((event) => event.actor === "reviewer").map((event) => event.event)).toEqual(
      expect.arrayContaining(["ACKNOWLEDGED", "ASSIGNED", "RESOLVED"]),
    );
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("when a viewer signs in, then no action control is shown and the service refuses an action anyway", async () => {
    await signInAs("viewer");
    await page.getByRole("link", { name: "Review queue" }).click();
    await page.getByRole("heading", { name: "Review queue", level: 1 }).waitFor();
    await page.locator("tbody tr, [role=alert]").first().waitFor();
    expect(await page.getByRole("checkbox").count()).toBe(0);
    expect(await page.getByRole("button", { name: /selected$/ }).count()).toBe(0);

    const list = (await callFromPage("/api/partner_sync/discrepancies/?status=OPEN&page_size=1")).body as {
      items: Array<{ id: number }>;
    };
    const id = list.items[0]?.id;
    expect(id).toBeDefined();
    const refused = await callFromPage(`/api/partner_sync/discrepancies/${id}/acknowledge/`, {});
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain("reviewer");
    expect(
      ((await callFromPage(`/api/partner_sync/discrepancies/${id}/`)).body as { review_state: string }).review_state,
    ).toBe("OPEN");
  });

  it("when an operator uploads a partner book with bad rows, then partner-sync's row errors are listed and nothing is stored; a good one is imported", async () => {
    await signInAs("operator");
    await page.getByRole("link", { name: "Partner books" }).click();
    await page.getByRole("textbox", { name: "Partner", exact: true }).fill("e2e-partner");
    await page.getByLabel("CSV file").setInputFiles({
      name: "bad.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("debtor_id,balance,status\n1,10.00,PAID\n2,99.999,PAID\n3,5.00,LOST\n"),
    });
    await page.getByRole("button", { name: "Upload" }).click();
    const errors = page.getByRole("table", { name: "Row errors" });
    await errors.waitFor();
    const rows = await errors.locator("tbody tr").allTextContents();
    expect(rows.map((row) => row.slice(0, 1))).toEqual(["3", "4"]);
    expect(rows[0]).toContain("balance");
    expect(rows[1]).toContain("status");
    const stored = (await callFromPage("/api/partner_sync/partner-books/?partner=e2e-partner")).body as {
      items: unknown[];
    };
    expect(stored.items).toEqual([]);

    await page.getByLabel("CSV file").setInputFiles({
      name: "good.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("debtor_id,balance,status\n1,10.00,PAID\n2,99.99,UNPAID\n"),
    });
    await page.getByRole("button", { name: "Upload" }).click();
    await expect.poll(() => page.getByText(/^Imported 2 rows for e2e-partner/).count()).toBe(1);
    const after = (await callFromPage("/api/partner_sync/partner-books/?partner=e2e-partner")).body as {
      items: Array<{ rows: number; imported_by: string }>;
    };
    expect(after.items).toEqual([expect.objectContaining({ rows: 2, imported_by: "operator" })]);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("when the session's lifetime has passed, then the next call returns the user to sign-in", async () => {
    await signInAs("reviewer");
    stack.clock.advance(8 * 3600 + 60);
    try {
      await page.getByRole("link", { name: "Worklist" }).click();
      await page.getByRole("heading", { name: "Sign in to the recovery console" }).waitFor();
      expect(await page.getByRole("status").textContent()).toContain("Your session has ended");
    } finally {
      stack.clock.advance(-(8 * 3600 + 60));
    }
  });

  it("when an admin opens every screen on real data, then every panel loads and axe-core finds no serious or critical violation", async () => {
    await signInAs("admin");
    for (const screen of ["Overview", "Review queue", "Worklist", "Processing", "Partner books", "Dead letters"]) {
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: screen }).click();
      await page.getByRole("heading", { name: screen, level: 1 }).waitFor();
      await page.waitForLoadState("networkidle");
      if (screen === "Overview") await page.locator(".recharts-bar-rectangle").first().waitFor();
      expect({ screen, violations: await seriousViolations(page) }).toEqual({ screen, violations: [] });
      // Every panel loaded from the real services (a missing route shows "Could not load …").
      expect({ screen, errors: await page.getByText("Could not load").allTextContents() }).toEqual({
        screen,
        errors: [],
      });
      // The README's pictures of the screens show the demo pipeline's real data, as a user sees it.
      await screenshot(page, screen.toLowerCase().replaceAll(" ", "-"));
    }
  });
});
