import { afterFailure, DEFAULT_LOCKOUT, isLocked, type LockoutPolicy, NO_FAILURES } from "./account-lockout";
import { DEFAULT_SCRYPT_COST, hashPassword, type ScryptCost, verifyPassword } from "./password-hasher";
import type { Role } from "./roles";
import type { UserStore } from "./user.store";

export type SignInResult =
  | { ok: true; subject: string; role: Role }
  | { ok: false; reason: "UNKNOWN_USER" | "WRONG_PASSWORD" | "LOCKED" | "DISABLED" };

export interface LocalSignInOptions {
  users: UserStore;
  clock?: () => Date;
  lockout?: LockoutPolicy;
  /** Cost of the stand-in hash checked for unknown names, so they take as long as real ones. */
  scryptCost?: ScryptCost;
}

/** Checks a local account's password and keeps its lockout state (5 failures in 15 min → 15 min locked). */
export class LocalSignIn {
  private readonly clock: () => Date;
  private readonly lockout: LockoutPolicy;
  private decoyHash: Promise<string> | undefined;

  constructor(private readonly options: LocalSignInOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.lockout = options.lockout ?? DEFAULT_LOCKOUT;
  }

  async signIn(name: string, password: string): Promise<SignInResult> {
    const now = this.clock();
    const user = await this.options.users.findByName(name);
    if (!user) {
      this.decoyHash ??= hashPassword("not a password", this.options.scryptCost ?? DEFAULT_SCRYPT_COST);
      await verifyPassword(password, await this.decoyHash);
      return { ok: false, reason: "UNKNOWN_USER" };
    }
    if (user.disabled) return { ok: false, reason: "DISABLED" };
    if (isLocked(user.failures, now)) return { ok: false, reason: "LOCKED" };
    if (!(await verifyPassword(password, user.passwordHash))) {
      const failures = afterFailure(user.failures, now, this.lockout);
      await this.options.users.saveFailures(user.name, failures);
      return { ok: false, reason: isLocked(failures, now) ? "LOCKED" : "WRONG_PASSWORD" };
    }
    if (user.failures.failedCount > 0 || user.failures.lockedUntil !== null) {
      await this.options.users.saveFailures(user.name, NO_FAILURES);
    }
    return { ok: true, subject: user.name, role: user.role };
  }
}
