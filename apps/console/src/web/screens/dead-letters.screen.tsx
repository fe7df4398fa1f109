import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatDateTime } from "../components/format";
import { errorMessage, QueryStatus } from "../components/query-status";
import { usePageTitle } from "../components/use-page-title";
import { useSignedIn } from "../session/session-context";

function Body({ text }: { text: string | undefined }) {
  if (!text) return <span className="muted">—</span>;
  return (
    <details>
      <summary>Show body</summary>
      <pre className="message-body">{text}</pre>
    </details>
  );
}

/** Admin: messages the consumer could not use (recorded poison) and the dead-letter queue, with redrive. */
export default function DeadLettersScreen() {
  usePageTitle("Dead letters");
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  const letters = useQuery({ queryKey: ["dead-letters"], queryFn: () => api.deadLetters() });
  const poison = useQuery({ queryKey: ["poison-messages"], queryFn: () => api.poisonMessages() });
  const [outcome, setOutcome] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const redrive = useMutation({
    mutationFn: () => api.redriveDeadLetters(),
    onSuccess: (result) => {
      setOutcome(
        `Redriven ${result.redriven} ${result.redriven === 1 ? "message" : "messages"}; ${result.failed} failed.`,
      );
      void queryClient.invalidateQueries({ queryKey: ["dead-letters"] });
    },
    onError: (error) => setProblem(errorMessage(error)),
  });
  const items = letters.data?.items ?? [];
  const poisoned = poison.data?.items ?? [];

  return (
    <section className="screen" aria-labelledby="dead-letters-title">
      <h1 id="dead-letters-title">Dead letters</h1>
      <section aria-labelledby="dlq-title">
        <div className="screen-header">
          <h2 id="dlq-title">Dead-letter queue</h2>
          <button
            type="button"
            className="button-primary"
            disabled={redrive.isPending || items.length === 0}
            onClick={() => {
              setOutcome(null);
              setProblem(null);
              redrive.mutate();
            }}
          >
            Redrive to the main queue
          </button>
        </div>
        <div role="status" aria-live="polite">
          {outcome && <p className="notice-ok">{outcome}</p>}
        </div>
        {problem && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
        <QueryStatus
          isPending={letters.isPending}
          error={letters.error}
          isEmpty={items.length === 0}
          what="dead letters"
          empty="The dead-letter queue is empty."
        />
        {items.length > 0 && letters.data?.depth !== undefined && (
          <p>
            {letters.data.depth} {letters.data.depth === 1 ? "message" : "messages"} in{" "}
            {letters.data.queue ? <code>{letters.data.queue}</code> : "the dead-letter queue"}
            {letters.data.depth > items.length ? `; the first ${items.length} are shown` : ""}.
          </p>
        )}
        {items.length > 0 && (
          <div className="table-scroll">
            <table className="data-table">
              <caption className="visually-hidden">Messages in the dead-letter queue</caption>
              <thead>
                <tr>
                  <th scope="col">Message</th>
                  <th scope="col">Sent</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Body</th>
                </tr>
              </thead>
              <tbody>
                {items.map((letter) => (
                  <tr key={letter.sqs_message_id}>
                    <th scope="row">
                      <code>{letter.message_id ?? letter.sqs_message_id}</code>
                    </th>
                    <td>{formatDateTime(letter.sent_at)}</td>
                    <td>{letter.reason ?? "Moved by SQS after repeated failed deliveries"}</td>
                    <td>
                      <Body text={letter.body} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="poison-title">
        <h2 id="poison-title">Poison messages</h2>
        <QueryStatus
          isPending={poison.isPending}
          error={poison.error}
          isEmpty={poisoned.length === 0}
          what="poison messages"
          empty="No poison message recorded."
        />
        {poisoned.length > 0 && (
          <div className="table-scroll">
            <table className="data-table">
              <caption className="visually-hidden">Poison messages recorded by partner-sync</caption>
              <thead>
                <tr>
                  <th scope="col">Message</th>
                  <th scope="col">Reason</th>
                  <th scope="col" className="num">
                    Receives
                  </th>
                  <th scope="col">Last recorded</th>
                  <th scope="col">Body</th>
                </tr>
              </thead>
              <tbody>
                {poisoned.map((message) => (
                  <tr key={message.id}>
                    <th scope="row">
                      <code>{message.message_id ?? message.sqs_message_id}</code>
                    </th>
                    <td>{message.reason}</td>
                    <td className="num">{message.receive_count ?? "—"}</td>
                    <td>{formatDateTime(message.last_recorded_at)}</td>
                    <td>
                      <Body text={message.body} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </section>
  );
}
