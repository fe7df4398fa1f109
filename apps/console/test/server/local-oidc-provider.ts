import { createHash, randomBytes } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

export interface ProviderUser {
  sub: string;
  roles: unknown;
}

interface PendingCode {
  challenge: string;
  nonce: string;
  redirectUri: string;
  user: ProviderUser;
}

/**
 * A small OpenID provider on loopback for tests: discovery, an authorize endpoint that signs
 * the configured user in at once, a token endpoint that checks client credentials and the
 * PKCE verifier, RS256 ID and access tokens from keys generated here, refresh tokens.
 */
export async function startLocalOidcProvider(options: {
  clientId: string;
  clientSecret: string;
  accessTokenSeconds?: number;
}) {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: "test-key-1", alg: "RS256", use: "sig" };
  const codes = new Map<string, PendingCode>();
  const refreshTokens = new Map<string, ProviderUser>();
  const tokenRequests: URLSearchParams[] = [];
  let user: ProviderUser = { sub: "ana.lyst", roles: ["viewer"] };
  const app: FastifyInstance = Fastify({ logger: false });
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) =>
    done(null, new URLSearchParams(String(body))),
  );
  // Known once listening; the routes read it per request.
  let issuer = "";
  const lifetime = options.accessTokenSeconds ?? 300;

  const sign = (claims: Record<string, unknown>, audience: string, seconds: number) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: jwk.kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${seconds}s`)
      .sign(privateKey);

  const issueTokens = async (who: ProviderUser, nonce?: string) => {
    const refresh = randomBytes(24).toString("base64url");
    refreshTokens.set(refresh, who);
    return {
      token_type: "Bearer",
      expires_in: lifetime,
      access_token: await sign(
        { sub: who.sub, roles: who.roles, jti: randomBytes(8).toString("hex") },
        "smartrecover-api",
        lifetime,
      ),
      refresh_token: refresh,
      ...(nonce === undefined
        ? {}
        : { id_token: await sign({ sub: who.sub, roles: who.roles, nonce }, options.clientId, 300) }),
    };
  };

  app.get("/.well-known/openid-configuration", async () => ({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ["code"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["client_secret_basic"],
  }));
  app.get("/jwks", async () => ({ keys: [jwk] }));

  app.get("/authorize", async (request, reply) => {
    const query = request.query as Record<string, string>;
    if (
      query.client_id !== options.clientId ||
      query.response_type !== "code" ||
      query.code_challenge_method !== "S256"
    ) {
      return reply.code(400).send({ error: "invalid_request" });
    }
    const code = randomBytes(16).toString("base64url");
    codes.set(code, {
      challenge: query.code_challenge ?? "",
      nonce: query.nonce ?? "",
      redirectUri: query.redirect_uri ?? "",
      user,
    });
    const target = new URL(query.redirect_uri ?? "");
    target.searchParams.set("code", code);
    if (query.state) target.searchParams.set("state", query.state);
    return reply.redirect(target.href, 302);
  });

  app.post("/token", async (request, reply) => {
    const form = request.body as URLSearchParams;
    tokenRequests.push(form);
    // RFC 6749 §2.3.1: id and secret are form-url-encoded before Basic encoding.
    const basic = Buffer.from((request.headers.authorization ?? "").replace(/^Basic /, ""), "base64").toString();
    const [id, secret] = basic.split(":").map((part) => decodeURIComponent(part.replaceAll("+", " ")));
    if (id !== options.clientId || secret !== options.clientSecret)
      return reply.code(401).send({ error: "invalid_client" });
    if (form.get("grant_type") === "refresh_token") {
      const who = refreshTokens.get(form.get("refresh_token") ?? "");
      if (!who) return reply.code(400).send({ error: "invalid_grant" });
      return issueTokens(who);
    }
    const pending = codes.get(form.get("code") ?? "");
    codes.delete(form.get("code") ?? "");
    const verifier = form.get("code_verifier") ?? "";
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    if (!pending || pending.redirectUri !== form.get("redirect_uri") || pending.challenge !== challenge) {
      return reply.code(400).send({ error: "invalid_grant" });
    }
    return issueTokens(pending.user, pending.nonce);
  });

  issuer = await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    app,
    issuer,
    tokenRequests,
    signInAs(next: ProviderUser) {
      user = next;
    },
  };
}
