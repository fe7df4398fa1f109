import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password-hasher";

const cheap = { N: 2 ** 10, r: 8, p: 1 };

describe("password hashes", () => {
  it("when the same password is hashed twice, then the salts differ and both verify", async () => {
    const first = await hashPassword("correct horse battery", cheap);
    const second = await hashPassword("correct horse battery", cheap);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword("correct horse battery", first)).toBe(true);
    expect(await verifyPassword("correct horse battery", second)).toBe(true);
  });

  it("when the password differs by one character or the hash is malformed, then it does not verify", async () => {
    const stored = await hashPassword("correct horse battery", cheap);
    expect(await verifyPassword("correct horse batterY", stored)).toBe(false);
    expect(await verifyPassword("correct horse battery", stored.replace("scrypt$", "md5$"))).toBe(false);
    expect(await verifyPassword("correct horse battery", "scrypt$0$8$1$AAAA$BBBB")).toBe(false);
  });
});
