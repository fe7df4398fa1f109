import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Navigate, useLocation, useSearchParams } from "react-router";
import { ApiError } from "../api/console-api";
import { usePageTitle } from "../components/use-page-title";
import { useSession } from "../session/session-context";

const OIDC_ERRORS: Record<string, string> = {
  OIDC_FAILED: "Your organisation's sign-in did not complete. Try again.",
  OIDC_NO_ROLE: "Your organisation's account has no SmartRecover role. Ask an administrator for one.",
  OIDC_BAD_SUBJECT: "Your organisation's account name cannot be used here. Ask an administrator.",
  OIDC_EXPIRED: "The sign-in took too long. Start again.",
};

export function SignInScreen() {
  usePageTitle("Sign in");
  const { api, state, signIn } = useSession();
  const location = useLocation();
  const [search] = useSearchParams();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const options = useQuery({ queryKey: ["sign-in-options"], queryFn: () => api.signInOptions(), retry: false });

  const from = (location.state as { from?: string } | null)?.from ?? "/";
  if (state.status === "signed-in") return <Navigate to={from.startsWith("/") ? from : "/"} replace />;

  const notice = state.status === "signed-out" ? state.notice : null;
  const oidcError = OIDC_ERRORS[search.get("error") ?? ""];

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (!username || !password) {
      setError("Enter your username and password.");
      return;
    }
    setBusy(true);
    try {
      await signIn(username, password);
    } catch (caught) {
      setPassword("");
      setError(
        caught instanceof ApiError && caught.status === 401
          ? "Wrong username or password, or the account is locked or disabled."
          : caught instanceof ApiError && caught.status === 429
            ? "Too many attempts. Wait a minute and try again."
            : "The console server did not answer. Try again shortly.",
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in-page">
      <section className="sign-in-card" aria-labelledby="sign-in-title">
        <p className="brand sign-in-brand">
          <span className="brand-mark" aria-hidden="true" /> SmartRecover
        </p>
        <h1 id="sign-in-title">Sign in to the recovery console</h1>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        {oidcError && (
          <p className="form-error" role="alert">
            {oidcError}
          </p>
        )}
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor="username">Username</label>
            <input
              id="username"
              name="username"
              autoComplete="username"
              value={username}
              onChange={(event) => setUsername(event.target.value)}
              required
            />
          </div>
          <div className="field">
            <label htmlFor="password">Password</label>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              required
            />
          </div>
          <div aria-live="assertive" className="form-error-slot">
            {error && <p className="form-error">{error}</p>}
          </div>
          <button type="submit" className="button-primary button-wide" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </form>
        {options.data?.oidc && (
          <p className="sign-in-alternative">
            <a href="/console/oidc/login">Sign in with your organisation</a>
          </p>
        )}
      </section>
    </main>
  );
}
