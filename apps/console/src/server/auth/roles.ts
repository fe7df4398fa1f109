/** Roles in order (domain.md §9): each has everything of the roles before it. */
export const ROLES = ["viewer", "reviewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** The strongest known role among a provider's claim values (a string or a list); null when none is known. */
export function highestRole(values: unknown): Role | null {
  const list = Array.isArray(values) ? values : [values];
  let best: Role | null = null;
  for (const value of list) {
    if (isRole(value) && (best === null || roleAtLeast(value, best))) best = value;
  }
  return best;
}

// Subjects as domain.md §9 allows them; the system's own actor names can never sign in.
const SUBJECT = /^[A-Za-z0-9._@-]{1,64}$/;
const RESERVED = new Set(["system", "partner-sync", "risk-service"]);

export function isValidSubject(name: string): boolean {
  return SUBJECT.test(name) && !RESERVED.has(name.toLowerCase()) && !name.toLowerCase().startsWith("system:");
}
