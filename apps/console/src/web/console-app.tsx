import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { Route, Routes } from "react-router";
import { ApiError, ConsoleApi } from "./api/console-api";
import { AppShell } from "./layout/app-shell";
import { DiscrepancyScreen } from "./screens/discrepancy.screen";
import { NotFoundScreen } from "./screens/not-found.screen";
import { OverviewScreen } from "./screens/overview.screen";
import { ReviewQueueScreen } from "./screens/review-queue.screen";
import { SignInScreen } from "./screens/sign-in.screen";
import { WorklistScreen } from "./screens/worklist.screen";
import { RequireRole, RequireSession } from "./session/require-session";
import { SessionProvider } from "./session/session-context";

// Screens fewer people open load on first visit, keeping the first page light.
const ProcessingScreen = lazy(() => import("./screens/processing.screen"));
const PartnerBooksScreen = lazy(() => import("./screens/partner-books.screen"));
const DeadLettersScreen = lazy(() => import("./screens/dead-letters.screen"));

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        // A 4xx will not change by asking again.
        retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
      },
      mutations: { retry: false },
    },
  });
}

/** The whole console below a router; tests give it their own fetch. */
export function ConsoleApp(props: { fetch?: typeof fetch }) {
  const [wiring] = useState(() => {
    let lostSession: (message: string) => void = () => {};
    const api = new ConsoleApi({ fetch: props.fetch, onUnauthorized: (message) => lostSession(message) });
    return {
      api,
      queryClient: createQueryClient(),
      register: (handler: (message: string) => void) => {
        lostSession = handler;
      },
    };
  });
  const later = (element: React.ReactNode) => (
    <Suspense
      fallback={
        <p className="page-status" role="status">
          Loading…
        </p>
      }
    >
      {element}
    </Suspense>
  );
  return (
    <QueryClientProvider client={wiring.queryClient}>
      <SessionProvider api={wiring.api} registerLostSession={wiring.register}>
        <Routes>
          <Route path="/sign-in" element={<SignInScreen />} />
          <Route
            element={
              <RequireSession>
                <AppShell />
              </RequireSession>
            }
          >
            <Route index element={<OverviewScreen />} />
            <Route path="review" element={<ReviewQueueScreen />} />
            <Route path="review/:id" element={<DiscrepancyScreen />} />
            <Route path="worklist" element={<WorklistScreen />} />
            <Route path="processing" element={later(<ProcessingScreen />)} />
            <Route path="partner-books" element={later(<PartnerBooksScreen />)} />
            <Route
              path="dead-letters"
              element={<RequireRole needs="admin">{later(<DeadLettersScreen />)}</RequireRole>}
            />
            <Route path="*" element={<NotFoundScreen />} />
          </Route>
        </Routes>
      </SessionProvider>
    </QueryClientProvider>
  );
}
