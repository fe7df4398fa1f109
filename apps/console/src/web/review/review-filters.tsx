import { type FormEvent, useId, useState } from "react";
import { AGE_BUCKETS, DISCREPANCY_TYPES, isDecimal, type ReviewView } from "./review-query";

type AssigneeChoice = "" | "me" | "none" | "someone";

function assigneeChoice(assignee: string | null): AssigneeChoice {
  if (!assignee) return "";
  return assignee === "me" || assignee === "none" ? assignee : "someone";
}

/** Type, age, minimum priority, assignee and sort; applied together so a keyboard user changes several first. */
export function ReviewFilters(props: { view: ReviewView; onApply: (changes: Partial<ReviewView>) => void }) {
  const id = useId();
  const { view } = props;
  const [type, setType] = useState(view.type ?? "");
  const [age, setAge] = useState(view.age ?? "");
  const [minPriority, setMinPriority] = useState(view.minPriority ?? "");
  const [assignee, setAssignee] = useState<AssigneeChoice>(assigneeChoice(view.assignee));
  const [someone, setSomeone] = useState(assigneeChoice(view.assignee) === "someone" ? (view.assignee ?? "") : "");
  const [sort, setSort] = useState(view.sort);
  const [error, setError] = useState<string | null>(null);

  function apply(event: FormEvent) {
    event.preventDefault();
    const priority = minPriority.trim();
    if (priority && !isDecimal(priority)) {
      setError("Minimum priority is a number with at most two decimals, e.g. 250000 or 1234.50.");
      return;
    }
    if (assignee === "someone" && !someone.trim()) {
      setError("Name the assignee, or choose another assignee option.");
      return;
    }
    setError(null);
    props.onApply({
      type: (type || null) as ReviewView["type"],
      age: (age || null) as ReviewView["age"],
      minPriority: priority || null,
      assignee: assignee === "someone" ? someone.trim() : assignee || null,
      sort,
      cursor: null,
    });
  }

  function clear() {
    setType("");
    setAge("");
    setMinPriority("");
    setAssignee("");
    setSomeone("");
    setSort("priority");
    setError(null);
    props.onApply({ type: null, age: null, minPriority: null, assignee: null, sort: "priority", cursor: null });
  }

  return (
    <form className="filters" onSubmit={apply} aria-label="Filters" noValidate>
      <div className="field">
        <label htmlFor={`${id}-type`}>Type</label>
        <select id={`${id}-type`} value={type} onChange={(event) => setType(event.target.value)}>
          <option value="">All types</option>
          {DISCREPANCY_TYPES.map((option) => (
            <option key={option.id} value={option.id}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-age`}>Age</label>
        <select id={`${id}-age`} value={age} onChange={(event) => setAge(event.target.value)}>
          <option value="">Any age</option>
          {AGE_BUCKETS.map((bucket) => (
            <option key={bucket.id} value={bucket.id}>
              {bucket.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-priority`}>Minimum priority</label>
        <input
          id={`${id}-priority`}
          inputMode="decimal"
          value={minPriority}
          aria-invalid={error?.startsWith("Minimum") ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(event) => setMinPriority(event.target.value)}
          size={12}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-assignee`}>Assignee</label>
        <select
          id={`${id}-assignee`}
          value={assignee}
          onChange={(event) => setAssignee(event.target.value as AssigneeChoice)}
        >
          <option value="">Anyone</option>
          <option value="me">Me</option>
          <option value="none">Unassigned</option>
          <option value="someone">Someone else…</option>
        </select>
      </div>
      {assignee === "someone" && (
        <div className="field">
          <label htmlFor={`${id}-someone`}>Assignee name</label>
          <input id={`${id}-someone`} value={someone} onChange={(event) => setSomeone(event.target.value)} size={14} />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-sort`}>Sort by</label>
        <select
          id={`${id}-sort`}
          value={sort}
          onChange={(event) => setSort(event.target.value === "age" ? "age" : "priority")}
        >
          <option value="priority">Priority, highest first</option>
          <option value="age">Age, oldest first</option>
        </select>
      </div>
      <div className="filter-actions">
        <button type="submit" className="button-secondary">
          Apply filters
        </button>
        <button type="button" className="button-quiet" onClick={clear}>
          Clear
        </button>
      </div>
      {error && (
        <p id={`${id}-error`} className="form-error filters-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
