import type { FailureState } from "./account-lockout";
import type { Role } from "./roles";

export interface StoredUser {
  name: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
  createdAt: Date;
  failures: FailureState;
}

export interface UserSummary {
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
  lockedUntil: Date | null;
}

export class DuplicateUserError extends Error {
  override name = "DuplicateUserError";
  constructor(username: string) {
    super(`a user named ${username} already exists`);
  }
}

/**
 * The console's local accounts. Policy (hashing, lockout) lives outside: a store only keeps
 * rows, so it can move to another database without touching sign-in.
 */
export interface UserStore {
  findByName(name: string): Promise<StoredUser | null>;
  /** Throws DuplicateUserError when the name is taken. */
  addUser(user: { name: string; role: Role; passwordHash: string; createdAt: Date }): Promise<void>;
  listUsers(): Promise<UserSummary[]>;
  /** false when there is no such user. */
  setDisabled(name: string, disabled: boolean): Promise<boolean>;
  saveFailures(name: string, failures: FailureState): Promise<void>;
}
