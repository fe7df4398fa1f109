// Cost of authentication per request: autocannon against a loopback server (its own process)
// with one trivial route that needs no token and one that needs a viewer token, in local (HS256)
// and oidc (RS256, ES256 against a loopback JWKS) mode. The token is either reused (the usual
// client; verified once, then served from the verified-token cache) or new on every request
// (every request pays the signature check). Runs of the three kinds alternate, so a busy machine
// slows them alike; the table shows medians of three.
// Run: ./run --silent exec node --import tsx packages/service-kit/src/auth/auth-overhead.bench.ts
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { createHttpApp } from "../http/create-http-app";
import { createLogger } from "../logger";
import { startLocalOidcProvider } from "../testing/local-oidc-provider";
import { createTestTokens } from "../testing/test-tokens";
import { createOidcVerifier } from "./oidc-verifier";
import type { TokenVerifier } from "./principal";

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
interface AutocannonRequest {
  headers?: Record<string, string>;
}
// autocannon ships no types; this is the part of its API used here.
const autocannon = createRequire(import.meta.url)("autocannon") as (options: {
  url: string;
  connections: number;
  duration: number;
  requests: Array<{ setupRequest: (request: AutocannonRequest) => AutocannonRequest }>;
}) => Promise<AutocannonResult>;

const VARIANTS = ["local", "RS256", "ES256"] as const;
type Variant = (typeof VARIANTS)[number];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONNECTIONS = 10;

const FRESH_TOKENS = 15_000;

async function serve(variant: Variant): Promise<void> {
  let verifier: TokenVerifier;
  let mint: () => Promise<string>;
  if (variant === "local") {
    const testTokens = createTestTokens();
    verifier = testTokens.verifier;
    mint = () => testTokens.token("viewer", { ttl: "1h" });
  } else {
    const idp = await startLocalOidcProvider({ algorithm: variant });
    verifier = createOidcVerifier({
      issuer: idp.issuer,
      audience: idp.audience,
      jwksUrl: idp.jwksUrl,
      rolesClaim: "roles",
    });
    mint = () => idp.sign(idp.validClaims({ roles: "viewer", exp: Math.floor(Date.now() / 1000) + 3600 }));
  }
  const tokens: string[] = [];
  for (let i = 0; i < FRESH_TOKENS; i++) tokens.push(await mint());
  const app = await createHttpApp({
    logger: createLogger({ level: "warn", name: "bench", destination: "stderr" }),
    docs: { title: "bench", version: "0" },
    metrics: { defaultMetrics: false },
    auth: { verifier, rateLimitPerMinute: 1_000_000 },
  });
  app.get("/open/", async () => ({ ok: true }));
  // The server's own CPU time: per-request cost measured this way holds up on a busy machine.
  app.get("/cpu", async () => {
    const { user, system } = process.cpuUsage();
    return { micros: user + system };
  });
  app.get("/api/echo/", { config: { role: "viewer" } }, async () => ({ ok: true }));
  await app.listen({ host: "127.0.0.1", port: 0 });
  process.stdout.write(`${JSON.stringify({ port: (app.server.address() as AddressInfo).port, tokens })}\n`);
}

function start(variant: Variant): Promise<{ child: ChildProcess; port: number; tokens: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", import.meta.filename, "serve", variant], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let text = "";
    child.stdout?.on("data", (chunk) => {
      text += chunk;
      if (text.endsWith("\n")) resolve({ child, ...JSON.parse(text) });
    });
    child.once("error", reject);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** One run: `token()` gives the Authorization token of each request (none for the open route). */
async function run(base: string, path: string, seconds: number, token?: () => string) {
  const cpu = async () => ((await (await fetch(`${base}/cpu`)).json()) as { micros: number }).micros;
  const before = await cpu();
  const result = await autocannon({
    url: `${base}${path}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => (token ? { ...request, headers: { authorization: `Bearer ${token()}` } } : request),
      },
    ],
  });
  const cpuPerRequest = ((await cpu()) - before) / result.requests.total;
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${path}: non-2xx answers or errors`);
  return { rate: result.requests.average, cpuPerRequest };
}

async function main(): Promise<void> {
  console.log("| mode | request | server CPU µs/request | extra CPU µs | req/s |");
  console.log("|---|---|---|---|---|");
  for (const variant of VARIANTS) {
    const { child, port, tokens } = await start(variant);
    try {
      const base = `http://127.0.0.1:${port}`;
      const reused = tokens[0] ?? "";
      let next = 0;
      const fresh = () => tokens[next++ % tokens.length] ?? "";
      const kinds = [
        { name: "open route, no token", path: "/open/", token: undefined },
        { name: "viewer route, reused token", path: "/api/echo/", token: () => reused },
        { name: "viewer route, new token each time", path: "/api/echo/", token: fresh },
      ];
      for (const kind of kinds) await run(base, kind.path, 1, kind.token); // warm-up
      const results = kinds.map(() => ({ cpu: [] as number[], rate: [] as number[] }));
      for (let round = 0; round < 3; round++) {
        for (const [i, kind] of kinds.entries()) {
          const { rate, cpuPerRequest } = await run(base, kind.path, SECONDS, kind.token);
          results[i]?.cpu.push(cpuPerRequest);
          results[i]?.rate.push(rate);
        }
      }
      const openCpu = median(results[0]?.cpu ?? []);
      for (const [i, kind] of kinds.entries()) {
        const cpu = median(results[i]?.cpu ?? []);
        const rate = median(results[i]?.rate ?? []);
        console.log(
          `| ${variant} | ${kind.name} | ${cpu.toFixed(0)} | ${(cpu - openCpu).toFixed(0)} | ${rate.toFixed(0)} |`,
        );
      }
    } finally {
      child.kill();
    }
  }
}

const served = VARIANTS.find((variant) => variant === process.argv[3]);
if (process.argv[2] === "serve" && served) await serve(served);
else await main();
