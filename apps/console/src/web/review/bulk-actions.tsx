import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Link } from "react-router";
import type { BulkAction, BulkOutcome } from "../api/api-types";
import { errorMessage } from "../components/query-status";
import { useSignedIn } from "../session/session-context";

const DONE: Record<BulkAction, string> = { acknowledge: "Acknowledged", resolve: "Resolved", assign: "Assigned" };
const REASONS: Record<string, string> = {
  NOT_FOUND: "No such discrepancy",
  WRONG_STATE: "Not in a state that allows this",
  FOUR_EYES: "Needs a second person (four-eyes rule)",
};

interface BulkRun {
  action: BulkAction;
  results: BulkOutcome[];
}

/** Acknowledge, assign or resolve the selected rows; the service answers one result per row. */
export function BulkActions(props: { selectedIds: number[]; onDone: () => void }) {
  const id = useId();
  const { api, session } = useSignedIn();
  const queryClient = useQueryClient();
  const [assignee, setAssignee] = useState(session.subject);
  const [note, setNote] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [noteMissing, setNoteMissing] = useState(false);
  const [run, setRun] = useState<BulkRun | null>(null);

  const mutation = useMutation({
    mutationFn: (input: { action: BulkAction; ids: number[] }) =>
      api.bulk(
        input.action,
        input.ids,
        input.action === "resolve"
          ? { note: note.trim() }
          : input.action === "assign"
            ? { assignee: assignee.trim() || null }
            : {},
      ),
    onSuccess: (answer, input) => {
      setRun({ action: input.action, results: answer.results });
      if (input.action === "resolve") setNote("");
      props.onDone();
      void queryClient.invalidateQueries({ queryKey: ["discrepancies"] });
    },
    onError: (error) => setProblem(errorMessage(error)),
  });

  function start(action: BulkAction) {
    setProblem(null);
    setNoteMissing(false);
    if (props.selectedIds.length === 0) {
      setProblem("Select at least one discrepancy first.");
      return;
    }
    if (action === "resolve" && !note.trim()) {
      setNoteMissing(true);
      setProblem("A resolution note is required to resolve: say how it was resolved.");
      return;
    }
    setRun(null);
    mutation.mutate({ action, ids: props.selectedIds });
  }

  const succeeded = run?.results.filter((result) => result.ok).length ?? 0;
  return (
    <section className="bulk" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="bulk-title">
        Bulk actions <span className="muted">({props.selectedIds.length} selected)</span>
      </h2>
      <div className="bulk-controls">
        <button
          type="button"
          className="button-secondary"
          onClick={() => start("acknowledge")}
          disabled={mutation.isPending}
        >
          Acknowledge selected
        </button>
        <div className="bulk-group">
          <div className="field">
            <label htmlFor={`${id}-assignee`}>Assign to</label>
            <input
              id={`${id}-assignee`}
              value={assignee}
              onChange={(event) => setAssignee(event.target.value)}
              size={14}
            />
          </div>
          <button
            type="button"
            className="button-secondary"
            onClick={() => start("assign")}
            disabled={mutation.isPending}
          >
            Assign selected
          </button>
        </div>
        <div className="bulk-group bulk-resolve">
          <div className="field field-grow">
            <label htmlFor={`${id}-note`}>Resolution note</label>
            <textarea
              id={`${id}-note`}
              rows={2}
              value={note}
              aria-invalid={noteMissing || undefined}
              aria-describedby={noteMissing ? `${id}-problem` : undefined}
              onChange={(event) => setNote(event.target.value)}
            />
          </div>
          <button
            type="button"
            className="button-primary"
            onClick={() => start("resolve")}
            disabled={mutation.isPending}
          >
            Resolve selected
          </button>
        </div>
      </div>
      <div role="status" aria-live="polite" className="bulk-status">
        {mutation.isPending && <p>Working on {props.selectedIds.length} discrepancies…</p>}
        {run && (
          <p>
            {DONE[run.action]} {succeeded} of {run.results.length}
            {succeeded < run.results.length ? `; ${run.results.length - succeeded} not done (see below).` : "."}
          </p>
        )}
      </div>
      {problem && (
        <p id={`${id}-problem`} className="form-error" role="alert">
          {problem}
        </p>
      )}
      {run && (
        <table className="data-table compact bulk-results">
          <caption>Result per discrepancy</caption>
          <thead>
            <tr>
              <th scope="col">Discrepancy</th>
              <th scope="col">Result</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {run.results.map((result) => (
              <tr key={result.id}>
                <th scope="row">
                  <Link to={`/review/${result.id}`}>#{result.id}</Link>
                </th>
                <td>
                  {result.ok ? (
                    <span className="badge badge-ok">{DONE[run.action]}</span>
                  ) : (
                    <span className="badge badge-failed">Not done</span>
                  )}
                </td>
                <td>{result.ok ? "" : `${REASONS[result.code] ?? result.code}: ${result.message}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
