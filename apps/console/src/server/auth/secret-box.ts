import { createHash, randomBytes } from "node:crypto";
import { EncryptJWT, jwtDecrypt } from "jose";

/** Encrypts small JSON payloads kept by the console (OIDC tokens, the OIDC transaction cookie). */
export interface SecretBox {
  seal(payload: Record<string, unknown>, expiresAt: Date): Promise<string>;
  /** null when the text was not sealed by this box, was tampered with, or has expired. */
  open(text: string, now: Date): Promise<Record<string, unknown> | null>;
}

/** A key derived from the operator's secret, or a random one that lives as long as the process. */
export function createSecretBox(secret: string | undefined): SecretBox {
  const key = secret ? createHash("sha256").update(secret).digest() : randomBytes(32);
  return {
    async seal(payload, expiresAt) {
      return new EncryptJWT(payload)
        .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .encrypt(key);
    },
    async open(text, now) {
      try {
        const { payload } = await jwtDecrypt(text, key, { currentDate: now, keyManagementAlgorithms: ["dir"] });
        return payload;
      } catch {
        return null;
      }
    },
  };
}
