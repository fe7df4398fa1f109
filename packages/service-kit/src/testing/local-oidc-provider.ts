import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from "jose";

export type OidcTestAlgorithm = "RS256" | "ES256" | "EdDSA";

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface LocalOidcProvider {
  /** `http://127.0.0.1:<port>` (with `issuerPath` appended when given). */
  issuer: string;
  jwksUrl: URL;
  audience: string;
  algorithm: OidcTestAlgorithm;
  /** The kid new tokens are signed with. */
  readonly currentKid: string;
  /** Requests served so far, per document. */
  readonly served: { discovery: number; jwks: number };
  /** While true, the JWKS endpoint answers 500 (an identity provider outage). */
  jwksDown: boolean;
  /** Claims of a valid token for the subject and roles, plus any overrides. */
  validClaims(overrides?: JWTPayload): JWTPayload;
  /** Signs the claims with the current key (header `kid` set unless `kid: null`). */
  sign(claims: JWTPayload, options?: { kid?: string | null }): Promise<string>;
  /** Signs with a key that the JWKS never publishes, under the given kid. */
  signWithUnpublishedKey(claims: JWTPayload, kid: string): Promise<string>;
  /** A new key pair signs from now on; the JWKS publishes it (and drops the old one unless `keepOld`). */
  rotateKey(options?: { keepOld?: boolean }): Promise<string>;
  /** The public keys currently published. */
  publishedKeys(): JWK[];
  stop(): Promise<void>;
}

async function newKey(algorithm: OidcTestAlgorithm): Promise<SigningKey> {
  const kid = randomUUID();
  const { privateKey, publicKey } = await generateKeyPair(algorithm, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: algorithm, use: "sig" };
  return { kid, privateKey, publicJwk };
}

/**
 * An identity provider for tests: a loopback HTTP server on a free port serving OpenID discovery
 * and a JWKS of keys it generates, able to sign tokens and rotate keys.
 */
export async function startLocalOidcProvider(
  options: { algorithm?: OidcTestAlgorithm; audience?: string; issuerPath?: string } = {},
): Promise<LocalOidcProvider> {
  const algorithm = options.algorithm ?? "RS256";
  let current = await newKey(algorithm);
  let published = [current];
  const served = { discovery: 0, jwks: 0 };
  let issuer = "";
  const issuerPath = options.issuerPath ?? "";

  const server: Server = createServer((request, response) => {
    const path = request.url?.split("?")[0];
    if (path === `${issuerPath}/.well-known/openid-configuration`) {
      served.discovery += 1;
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks`, id_token_signing_alg_values_supported: [algorithm] }),
      );
    } else if (path === `${issuerPath}/jwks`) {
      served.jwks += 1;
      if (provider.jwksDown) {
        response.writeHead(500).end();
        return;
      }
      response.writeHead(200, { "content-type": "application/jwk-set+json" });
      response.end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}${issuerPath}`;
  const audience = options.audience ?? "smartrecover-api";

  const signWith = (key: SigningKey, claims: JWTPayload, kid: string | null) =>
    new SignJWT(claims)
      .setProtectedHeader(kid === null ? { alg: algorithm } : { alg: algorithm, kid })
      .sign(key.privateKey);

  const provider: LocalOidcProvider = {
    issuer,
    jwksUrl: new URL(`${issuer}/jwks`),
    audience,
    algorithm,
    get currentKid() {
      return current.kid;
    },
    served,
    jwksDown: false,
    validClaims(overrides = {}) {
      const now = Math.floor(Date.now() / 1000);
      return {
        iss: issuer,
        aud: audience,
        sub: "oidc-user",
        iat: now,
        exp: now + 300,
        jti: randomUUID(),
        ...overrides,
      };
    },
    sign: (claims, signOptions = {}) =>
      signWith(current, claims, signOptions.kid === undefined ? current.kid : signOptions.kid),
    async signWithUnpublishedKey(claims, kid) {
      return signWith(await newKey(algorithm), claims, kid);
    },
    async rotateKey(rotateOptions = {}) {
      current = await newKey(algorithm);
      published = rotateOptions.keepOld ? [...published, current] : [current];
      return current.kid;
    },
    publishedKeys: () => published.map((key) => key.publicJwk),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
  return provider;
}
