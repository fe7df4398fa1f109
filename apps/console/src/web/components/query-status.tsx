import type { ReactNode } from "react";
import { ApiError } from "../api/console-api";

/** What a failed call tells the user: the service's own message when it sent one. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 403) return `Not allowed: ${error.message}`;
    if (error.status >= 500) return `The service had a problem (${error.status}): ${error.message}`;
    return error.message;
  }
  return "The console server did not answer. Check your connection and try again.";
}

/** Loading, error and empty states of a query, each announced to assistive technology. */
export function QueryStatus(props: {
  isPending: boolean;
  error: unknown;
  isEmpty?: boolean;
  what: string;
  empty?: ReactNode;
  onRetry?: () => void;
}) {
  if (props.isPending) {
    return (
      <p className="state state-loading" role="status">
        Loading {props.what}…
      </p>
    );
  }
  if (props.error) {
    return (
      <div className="state state-error" role="alert">
        <p>
          Could not load {props.what}. {errorMessage(props.error)}
        </p>
        {props.onRetry && (
          <button type="button" className="button-secondary" onClick={props.onRetry}>
            Try again
          </button>
        )}
      </div>
    );
  }
  if (props.isEmpty) return <p className="state state-empty">{props.empty ?? `No ${props.what} yet.`}</p>;
  return null;
}
