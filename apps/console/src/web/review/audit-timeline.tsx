import type { DiscrepancyEvent } from "../api/api-types";
import { formatDateTime, stateLabel, words } from "../components/format";

function describe(event: DiscrepancyEvent): string {
  switch (event.event) {
    case "ASSIGNED": {
      const assignee = event.assignee ?? event.note;
      return assignee ? `Assigned to ${assignee}` : "Unassigned";
    }
    case "COMMENTED":
      return "Commented";
    default:
      return event.from_state && event.from_state !== event.to_state
        ? `${words(event.event)}: ${stateLabel(event.from_state)} → ${stateLabel(event.to_state)}`
        : words(event.event);
  }
}

/** The whole append-only audit trail, oldest first, as domain.md §8 and §11 record it. */
export function AuditTimeline({ events }: { events: DiscrepancyEvent[] }) {
  if (events.length === 0) return <p className="state state-empty">No events recorded.</p>;
  return (
    <ol className="timeline" aria-label="Audit events, oldest first">
      {events.map((event) => (
        <li key={event.id} className={`timeline-item timeline-${event.event.toLowerCase()}`}>
          <p className="timeline-head">
            <strong>{describe(event)}</strong> by <span className="actor">{event.actor}</span>
            <span className="muted">
              {" "}
              · <time dateTime={event.created_at}>{formatDateTime(event.created_at)}</time>
            </span>
          </p>
          {event.note && event.event !== "ASSIGNED" && <p className="timeline-note">{event.note}</p>}
        </li>
      ))}
    </ol>
  );
}
