import { describe, expect, it } from "vitest";
import { InvalidTokenError } from "./auth-errors";
import type { Principal, TokenVerifier } from "./principal";
import { withVerifiedTokenCache } from "./verified-token-cache";

/** A verifier that accepts tokens starting with "good", living `lifetimeMs`, and counts its calls. */
function countingVerifier(lifetimeMs = 60_000) {
  const calls: string[] = [];
  const verifier: TokenVerifier = {
    mode: "local",
    async verify(token: string): Promise<Principal> {
      calls.push(token);
      if (!token.startsWith("good")) throw new InvalidTokenError("signature does not verify");
      return { subject: token, role: "viewer", tokenId: undefined, expiresAt: new Date(Date.now() + lifetimeMs) };
    },
  };
  return { verifier, calls };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the verified-token cache", () => {
  it("when the same token comes again, then it is not verified again and the same principal is returned", async () => {
    const { verifier, calls } = countingVerifier();
    const cached = withVerifiedTokenCache(verifier);
    const first = await cached.verify("good-a");
    expect(await cached.verify("good-a")).toBe(first);
    expect(calls).toEqual(["good-a"]);
  });

  it("when a token fails, then it is verified (and refused) again every time", async () => {
    const { verifier, calls } = countingVerifier();
    const cached = withVerifiedTokenCache(verifier);
    for (let i = 0; i < 3; i++) await expect(cached.verify("forged")).rejects.toBeInstanceOf(InvalidTokenError);
    expect(calls).toHaveLength(3);
  });

  it("when the token's exp has passed, then it is verified again rather than served from memory", async () => {
    const { verifier, calls } = countingVerifier(40);
    const cached = withVerifiedTokenCache(verifier);
    await cached.verify("good-short");
    await sleep(60);
    await cached.verify("good-short");
    expect(calls).toEqual(["good-short", "good-short"]);
  });

  it("when maxAgeMs has passed, then even a long-lived token is verified again", async () => {
    const { verifier, calls } = countingVerifier();
    const cached = withVerifiedTokenCache(verifier, { maxAgeMs: 40 });
    await cached.verify("good-long");
    await cached.verify("good-long");
    await sleep(60);
    await cached.verify("good-long");
    expect(calls).toEqual(["good-long", "good-long"]);
  });

  it("when more tokens than maxEntries arrive, then the oldest is forgotten first", async () => {
    const { verifier, calls } = countingVerifier();
    const cached = withVerifiedTokenCache(verifier, { maxEntries: 2 });
    for (const token of ["good-1", "good-2", "good-3", "good-3", "good-2", "good-1"]) await cached.verify(token);
    expect(calls).toEqual(["good-1", "good-2", "good-3", "good-1"]);
  });
});
