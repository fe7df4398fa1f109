import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import type { Role } from "../api/api-types";
import { roleAtLeast, useSession } from "./session-context";

/** Screens behind sign-in: signed-out visitors go to /sign-in and come back afterwards. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === "loading") {
    return (
      <p className="page-status" role="status">
        Loading the console…
      </p>
    );
  }
  if (state.status === "signed-out") {
    return <Navigate to="/sign-in" replace state={{ from: `${location.pathname}${location.search}` }} />;
  }
  return children;
}

/** A screen only some roles may open; the services refuse the calls regardless. */
export function RequireRole({ needs, children }: { needs: Role; children: ReactNode }) {
  const { state } = useSession();
  if (state.status !== "signed-in" || !roleAtLeast(state.session.role, needs)) {
    return (
      <section className="screen" aria-labelledby="forbidden-title">
        <h1 id="forbidden-title">Not available</h1>
        <p>This screen needs the {needs} role.</p>
      </section>
    );
  }
  return children;
}
