/** The roles of domain.md §9, lowest first; each has everything of the roles before it. */
export const ROLES = ["viewer", "reviewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Whether a caller holding `held` may use a route that needs `needed`. */
export function roleSatisfies(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

/** The role just below `role`, or undefined for the lowest. */
export function roleBelow(role: Role): Role | undefined {
  return ROLES[ROLES.indexOf(role) - 1];
}

/**
 * The highest known role in a roles claim (a string or an array of strings); unknown entries are
 * ignored, so an identity provider may carry other roles in the same claim.
 */
export function highestKnownRole(claim: unknown): Role | undefined {
  const values = Array.isArray(claim) ? claim : [claim];
  let best: Role | undefined;
  for (const value of values) {
    if (isRole(value) && (best === undefined || roleSatisfies(value, best))) best = value;
  }
  return best;
}
