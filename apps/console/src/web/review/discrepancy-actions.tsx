import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { DiscrepancyWithHistory } from "../api/api-types";
import { errorMessage } from "../components/query-status";
import { useSignedIn } from "../session/session-context";

type Action =
  | { kind: "acknowledge"; note: string }
  | { kind: "resolve"; note: string }
  | { kind: "assign"; assignee: string | null }
  | { kind: "comment"; note: string };

const DONE: Record<Action["kind"], string> = {
  acknowledge: "Acknowledged.",
  resolve: "Resolved.",
  assign: "Assignment saved.",
  comment: "Comment added.",
};

/** The review actions the state allows (reviewers and above): acknowledge, resolve with a note, assign, comment. */
export function DiscrepancyActions({ discrepancy }: { discrepancy: DiscrepancyWithHistory }) {
  const id = useId();
  const { api, session } = useSignedIn();
  const queryClient = useQueryClient();
  const [note, setNote] = useState("");
  const [comment, setComment] = useState("");
  const [assignee, setAssignee] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ field: "note" | "comment" | null; text: string } | null>(null);

  const mutation = useMutation({
    mutationFn: (action: Action) => {
      switch (action.kind) {
        case "acknowledge":
          return api.acknowledge(discrepancy.id, action.note || undefined);
        case "resolve":
          return api.resolve(discrepancy.id, action.note);
        case "assign":
          return api.assign(discrepancy.id, action.assignee);
        case "comment":
          return api.comment(discrepancy.id, action.note);
      }
    },
    onSuccess: (updated, action) => {
      queryClient.setQueryData(["discrepancy", discrepancy.id], updated);
      void queryClient.invalidateQueries({ queryKey: ["discrepancies"] });
      setMessage(DONE[action.kind]);
      if (action.kind === "comment") setComment("");
      else if (action.kind !== "assign") setNote("");
    },
    onError: (error) => setProblem({ field: null, text: errorMessage(error) }),
  });

  function run(action: Action) {
    setMessage(null);
    setProblem(null);
    if (action.kind === "resolve" && !action.note.trim()) {
      setProblem({ field: "note", text: "A note is required to resolve: say how it was resolved." });
      return;
    }
    if (action.kind === "comment" && !action.note.trim()) {
      setProblem({ field: "comment", text: "Write a comment first." });
      return;
    }
    mutation.mutate(action);
  }

  const state = discrepancy.review_state;
  const open = state === "OPEN" || state === "ACKNOWLEDGED";
  return (
    <div className="actions">
      {open && (
        <section aria-labelledby={`${id}-review`} className="action-block">
          <h3 id={`${id}-review`}>Review</h3>
          <div className="field">
            <label htmlFor={`${id}-note`}>{state === "OPEN" ? "Note (optional)" : "Resolution note"}</label>
            <textarea
              id={`${id}-note`}
              rows={3}
              value={note}
              aria-invalid={problem?.field === "note" || undefined}
              aria-describedby={problem?.field === "note" ? `${id}-problem` : undefined}
              onChange={(event) => setNote(event.target.value)}
            />
          </div>
          {state === "OPEN" ? (
            <button
              type="button"
              className="button-primary"
              disabled={mutation.isPending}
              onClick={() => run({ kind: "acknowledge", note })}
            >
              Acknowledge
            </button>
          ) : (
            <button
              type="button"
              className="button-primary"
              disabled={mutation.isPending}
              onClick={() => run({ kind: "resolve", note })}
            >
              Resolve
            </button>
          )}
        </section>
      )}
      {open && (
        <section aria-labelledby={`${id}-assign`} className="action-block">
          <h3 id={`${id}-assign`}>Assignment</h3>
          <p className="muted">
            {discrepancy.assignee ? `Assigned to ${discrepancy.assignee}.` : "Nobody is assigned."}
          </p>
          <div className="button-row">
            {discrepancy.assignee !== session.subject && (
              <button
                type="button"
                className="button-secondary"
                disabled={mutation.isPending}
                onClick={() => run({ kind: "assign", assignee: session.subject })}
              >
                Assign to me
              </button>
            )}
            {discrepancy.assignee && (
              <button
                type="button"
                className="button-quiet"
                disabled={mutation.isPending}
                onClick={() => run({ kind: "assign", assignee: null })}
              >
                Unassign
              </button>
            )}
          </div>
          <div className="inline-form">
            <div className="field">
              <label htmlFor={`${id}-assignee`}>Assign to someone else</label>
              <input
                id={`${id}-assignee`}
                value={assignee}
                onChange={(event) => setAssignee(event.target.value)}
                size={16}
              />
            </div>
            <button
              type="button"
              className="button-secondary"
              disabled={mutation.isPending || !assignee.trim()}
              onClick={() => run({ kind: "assign", assignee: assignee.trim() })}
            >
              Assign
            </button>
          </div>
        </section>
      )}
      <section aria-labelledby={`${id}-comment`} className="action-block">
        <h3 id={`${id}-comment`}>Add a comment</h3>
        <div className="field">
          <label htmlFor={`${id}-comment-text`}>Comment</label>
          <textarea
            id={`${id}-comment-text`}
            rows={3}
            value={comment}
            aria-invalid={problem?.field === "comment" || undefined}
            aria-describedby={problem?.field === "comment" ? `${id}-problem` : undefined}
            onChange={(event) => setComment(event.target.value)}
          />
        </div>
        <button
          type="button"
          className="button-secondary"
          disabled={mutation.isPending}
          onClick={() => run({ kind: "comment", note: comment })}
        >
          Add comment
        </button>
      </section>
      <div role="status" aria-live="polite" className="action-status">
        {message && <p className="notice-ok">{message}</p>}
      </div>
      {problem && (
        <p id={`${id}-problem`} className="form-error" role="alert">
          {problem.text}
        </p>
      )}
    </div>
  );
}
