import { render } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import type { Role, SessionInfo } from "../../src/web/api/api-types";
import { ConsoleApp } from "../../src/web/console-app";

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

export type Answer = { status: number; body?: unknown } | undefined;
export type Handler = (request: SeenRequest) => Answer | Promise<Answer>;

// jsdom has no layout engine; the chart container only needs the observer to exist.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

export function sessionFor(role: Role, subject: string = role): SessionInfo {
  return {
    subject,
    role,
    source: "local",
    expires_at: "2026-12-02T17:00:00.000Z",
    csrf_token: `csrf-${subject}`,
  };
}

/**
 * A fetch that answers like the console server: the session endpoints from `session`, everything
 * else from the handlers (first answer wins; unknown paths are a 404). It records every request.
 */
export function fakeServer(options: {
  session: SessionInfo | null;
  handlers?: Handler[];
  /** Accounts POST /console/session accepts: username → password and the session it opens. */
  accounts?: Record<string, { password: string; session: SessionInfo }>;
}) {
  const seen: SeenRequest[] = [];
  let session = options.session;
  const fetchFn: typeof fetch = async (input, init) => {
    const url = new URL(String(input), "http://console.test");
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const raw = init?.body;
    const body = typeof raw === "string" ? JSON.parse(raw) : raw instanceof FormData ? raw : undefined;
    const request: SeenRequest = {
      method: init?.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
    };
    seen.push(request);
    let answer: Answer;
    if (url.pathname === "/console/session" && request.method === "POST") {
      const { username, password } = body as { username: string; password: string };
      const account = options.accounts?.[username];
      session = account && account.password === password ? account.session : session;
      answer =
        account && account.password === password
          ? { status: 200, body: account.session }
          : { status: 401, body: { code: "SIGN_IN_REFUSED", message: "wrong username or password" } };
    } else if (url.pathname === "/console/session" && request.method === "DELETE") {
      session = null;
      answer = { status: 204 };
    } else if (url.pathname === "/console/session") {
      answer = session
        ? { status: 200, body: session }
        : { status: 401, body: { code: "SESSION_REQUIRED", message: "sign in to continue" } };
    } else if (url.pathname === "/console/sign-in-options") {
      answer = { status: 200, body: { local: true, oidc: false } };
    } else {
      for (const handler of options.handlers ?? []) {
        answer = await handler(request);
        if (answer) break;
      }
    }
    answer ??= {
      status: 404,
      body: { code: "ROUTE_NOT_FOUND", message: `no route for ${request.method} ${url.pathname}` },
    };
    const text = answer.body === undefined ? null : JSON.stringify(answer.body);
    return new Response(answer.status === 204 ? null : text, {
      status: answer.status,
      headers: { "content-type": "application/json" },
    });
  };
  return {
    fetch: fetchFn,
    seen,
    setSession(next: SessionInfo | null) {
      session = next;
    },
    /** Requests to one path (without query), oldest first. */
    to(path: string, method = "GET") {
      return seen.filter((request) => request.path === path && request.method === method);
    },
  };
}

export function route(method: string, path: string | RegExp, answer: (request: SeenRequest) => Answer): Handler {
  return (request) => {
    if (request.method !== method) return undefined;
    const matches = typeof path === "string" ? request.path === path : path.test(request.path);
    return matches ? answer(request) : undefined;
  };
}

export function renderConsole(path: string, server: ReturnType<typeof fakeServer>) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <ConsoleApp fetch={server.fetch} />
    </MemoryRouter>,
  );
}
