import { useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { Role, SessionInfo } from "../api/api-types";
import type { ConsoleApi } from "../api/console-api";

export type SessionState =
  | { status: "loading" }
  | { status: "signed-out"; notice: string | null }
  | { status: "signed-in"; session: SessionInfo };

interface SessionContextValue {
  api: ConsoleApi;
  state: SessionState;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** Ends the session on this side (after a 401), with a notice for the sign-in screen. */
  lose(notice: string): void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

const ROLE_ORDER: readonly Role[] = ["viewer", "reviewer", "operator", "admin"];

export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(needed);
}

export function SessionProvider(props: {
  api: ConsoleApi;
  children: ReactNode;
  /** Lets the API client report a lost session to this provider. */
  registerLostSession: (handler: (message: string) => void) => void;
}) {
  const { api, registerLostSession } = props;
  const queryClient = useQueryClient();
  const [state, setState] = useState<SessionState>({ status: "loading" });

  const lose = useCallback(
    (notice: string) => {
      queryClient.clear();
      setState({ status: "signed-out", notice });
    },
    [queryClient],
  );

  useEffect(() => {
    registerLostSession((message) => lose(`Your session has ended (${message}). Sign in again to continue.`));
  }, [registerLostSession, lose]);

  useEffect(() => {
    let cancelled = false;
    api
      .currentSession()
      .then((session) => {
        if (!cancelled) setState(session ? { status: "signed-in", session } : { status: "signed-out", notice: null });
      })
      .catch(() => {
        if (!cancelled)
          setState({ status: "signed-out", notice: "The console server did not answer. Try again shortly." });
      });
    return () => {
      cancelled = true;
    };
  }, [api]);

  const value = useMemo<SessionContextValue>(
    () => ({
      api,
      state,
      lose,
      async signIn(username, password) {
        const session = await api.signIn(username, password);
        queryClient.clear();
        setState({ status: "signed-in", session });
      },
      async signOut() {
        try {
          await api.signOut();
        } finally {
          queryClient.clear();
          setState({ status: "signed-out", notice: "You have signed out." });
        }
      },
    }),
    [api, state, lose, queryClient],
  );
  return <SessionContext.Provider value={value}>{props.children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

/** The signed-in user; only for screens behind RequireSession. */
export function useSignedIn(): { api: ConsoleApi; session: SessionInfo; can: (needed: Role) => boolean } {
  const { api, state } = useSession();
  if (state.status !== "signed-in") throw new Error("useSignedIn outside a signed-in screen");
  const { session } = state;
  return { api, session, can: (needed) => roleAtLeast(session.role, needed) };
}
