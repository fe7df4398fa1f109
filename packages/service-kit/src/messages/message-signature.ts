import { createHmac, timingSafeEqual } from "node:crypto";

/** The message attribute that carries a body's signature (SQS attribute names allow letters, digits, `-`, `_`, `.`). */
export const MESSAGE_SIGNATURE_ATTRIBUTE = "smartrecover-signature";

// A version prefix lets the scheme change later without a receiver mistaking one for the other.
const VERSION = "v1=";

/** HMAC-SHA256 of the exact body text under the key, written `v1=<base64url>`. */
export function signMessageBody(body: string, key: string): string {
  return VERSION + createHmac("sha256", key).update(body, "utf8").digest("base64url");
}

/** Whether the signature is this key's signature of exactly this body (compared in constant time). */
export function verifyMessageBody(body: string, signature: string | undefined, key: string): boolean {
  if (signature === undefined || !signature.startsWith(VERSION)) return false;
  const expected = Buffer.from(signMessageBody(body, key), "utf8");
  const given = Buffer.from(signature, "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
