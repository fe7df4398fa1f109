/** Subjects: 1–64 characters of A–Z a–z 0–9 . _ @ - (domain.md §9). */
const SUBJECT = /^[A-Za-z0-9._@-]{1,64}$/;

/** Names the system uses for its own audit events; no token may carry them. */
export const RESERVED_SUBJECTS = ["system", "partner-sync", "risk-service"] as const;

/**
 * Why a subject cannot be used, or undefined when it can. Reserved names are compared without
 * regard to case, so "System" cannot pass for the system in an audit trail either.
 */
export function subjectProblem(subject: string): string | undefined {
  const lower = subject.toLowerCase();
  if ((RESERVED_SUBJECTS as readonly string[]).includes(lower) || lower.startsWith("system:")) {
    return "is reserved for the system's own events";
  }
  if (!SUBJECT.test(subject)) return "must be 1–64 characters of A–Z a–z 0–9 . _ @ -";
  return undefined;
}

export function isValidSubject(subject: unknown): subject is string {
  return typeof subject === "string" && subjectProblem(subject) === undefined;
}
