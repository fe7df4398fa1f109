// @vitest-environment jsdom
import "@testing-library/jest-dom/vitest";
import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { cannedSummary } from "../fixtures/canned-api";
import { fakeServer, renderConsole, route, sessionFor } from "./web-test-kit";

afterEach(cleanup);

describe("sign-in screen", () => {
  it("when a signed-out user opens the review queue, then the sign-in form asks for username and password", async () => {
    const server = fakeServer({ session: null });
    renderConsole("/review", server);
    expect(await screen.findByRole("heading", { name: "Sign in to the recovery console" })).toBeInTheDocument();
    expect(screen.getByLabelText("Username")).toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toHaveAttribute("type", "password");
    expect(screen.getByRole("button", { name: "Sign in" })).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Review queue" })).not.toBeInTheDocument();
  });

  it("when the password is wrong, then the form says so and clears the password", async () => {
    const server = fakeServer({
      session: null,
      accounts: { reviewer: { password: "right-password-1", session: sessionFor("reviewer") } },
    });
    renderConsole("/", server);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Username"), "reviewer");
    await user.type(screen.getByLabelText("Password"), "not-the-password");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(
      await screen.findByText("Wrong username or password, or the account is locked or disabled."),
    ).toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toHaveValue("");
    expect(screen.getByLabelText("Username")).toHaveValue("reviewer");
    expect(server.to("/console/session", "POST")[0]?.body).toEqual({
      username: "reviewer",
      password: "not-the-password",
    });
  });

  it("when the password is right, then the user lands on the screen they asked for, with navigation for their role", async () => {
    const server = fakeServer({
      session: null,
      accounts: { admin: { password: "right-password-1", session: sessionFor("admin") } },
      handlers: [
        route("GET", "/api/partner_sync/partner-books/", () => ({
          status: 200,
          body: { items: [], next_cursor: null },
        })),
      ],
    });
    renderConsole("/partner-books", server);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Username"), "admin");
    await user.type(screen.getByLabelText("Password"), "right-password-1");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("heading", { name: "Partner books", level: 1 })).toBeInTheDocument();
    const nav = screen.getByRole("navigation", { name: "Main" });
    for (const name of ["Overview", "Review queue", "Worklist", "Processing", "Partner books", "Dead letters"]) {
      expect(nav).toContainElement(screen.getByRole("link", { name }));
    }
  });

  it("when an API call answers 401, then the console returns to sign-in and says the session ended", async () => {
    const server = fakeServer({
      session: sessionFor("viewer"),
      handlers: [
        route("GET", /^\/api\//, () => ({
          status: 401,
          body: { status_code: 401, code: "SESSION_REQUIRED", message: "your session has ended: sign in again" },
        })),
      ],
    });
    renderConsole("/", server);
    expect(await screen.findByRole("heading", { name: "Sign in to the recovery console" })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent(
      "Your session has ended (your session has ended: sign in again). Sign in again to continue.",
    );
  });

  it("when a viewer is signed in, then the navigation has no Dead letters link", async () => {
    const server = fakeServer({
      session: sessionFor("viewer"),
      handlers: [route("GET", "/api/partner_sync/summary/", () => ({ status: 200, body: cannedSummary }))],
    });
    renderConsole("/", server);
    await screen.findByRole("heading", { name: "Overview" });
    expect(screen.getByRole("link", { name: "Review queue" })).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Dead letters" })).not.toBeInTheDocument();
    await waitFor(() => expect(server.to("/api/partner_sync/summary/")).toHaveLength(1));
  });
});
