import { DEFAULT_SCRYPT_COST, hashPassword, type ScryptCost } from "./password-hasher";
import { isValidSubject, type Role } from "./roles";
import type { SessionStore } from "./session.store";
import type { UserStore, UserSummary } from "./user.store";

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1024;

export class UserInputError extends Error {
  override name = "UserInputError";
}

/** Adding, listing and disabling local accounts (what `users add|list|disable` does). */
export class UserAdmin {
  constructor(
    private readonly users: UserStore,
    private readonly sessions: SessionStore,
    private readonly scryptCost: ScryptCost = DEFAULT_SCRYPT_COST,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async add(name: string, role: Role, password: string): Promise<void> {
    if (!isValidSubject(name)) {
      throw new UserInputError("a user name is 1–64 characters of A–Z a–z 0–9 . _ @ - and not a system name");
    }
    if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
      throw new UserInputError(`a password has ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`);
    }
    await this.users.addUser({
      name,
      role,
      passwordHash: await hashPassword(password, this.scryptCost),
      createdAt: this.clock(),
    });
  }

  list(): Promise<UserSummary[]> {
    return this.users.listUsers();
  }

  /** Disables the account and ends its open sessions; false when there is no such user. */
  async disable(name: string): Promise<boolean> {
    const found = await this.users.setDisabled(name, true);
    if (found) await this.sessions.deleteBySubject(name);
    return found;
  }
}
