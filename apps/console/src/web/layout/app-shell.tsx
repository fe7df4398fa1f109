import { useEffect, useRef } from "react";
import { NavLink, Outlet, useLocation } from "react-router";
import type { Role } from "../api/api-types";
import { useSession, useSignedIn } from "../session/session-context";

const NAVIGATION: ReadonlyArray<{ to: string; label: string; role: Role; end?: boolean }> = [
  { to: "/", label: "Overview", role: "viewer", end: true },
  { to: "/review", label: "Review queue", role: "viewer" },
  { to: "/worklist", label: "Worklist", role: "viewer" },
  { to: "/processing", label: "Processing", role: "viewer" },
  { to: "/partner-books", label: "Partner books", role: "viewer" },
  { to: "/dead-letters", label: "Dead letters", role: "admin" },
];

const ROLE_NAMES: Record<Role, string> = {
  viewer: "Viewer",
  reviewer: "Reviewer",
  operator: "Operator",
  admin: "Admin",
};

export function AppShell() {
  const { session, can } = useSignedIn();
  const { signOut } = useSession();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const shownPath = useRef(location.pathname);
  const path = location.pathname;

  // After a client-side navigation, focus moves to the new screen as it would on a page load.
  useEffect(() => {
    if (shownPath.current === path) return;
    shownPath.current = path;
    main.current?.focus();
  }, [path]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span>
            SmartRecover <span className="brand-sub">Recovery console</span>
          </span>
        </div>
        <nav aria-label="Main" className="main-nav">
          <ul>
            {NAVIGATION.filter((item) => can(item.role)).map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account">
          <span className="account-name">
            {session.subject} <span className="role-badge">{ROLE_NAMES[session.role]}</span>
          </span>
          <button type="button" className="button-quiet" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} className="content">
        <Outlet />
      </main>
    </div>
  );
}
