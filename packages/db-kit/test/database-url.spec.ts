import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mysqlServerOptions, parseDatabaseUrl } from "../src/database-url";

const dir = mkdtempSync(join(tmpdir(), "smartrecover-url-"));
const caFile = join(dir, "ca.pem");
writeFileSync(caFile, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mysql = (query: string) => {
  const target = parseDatabaseUrl(`mysql://app:s3cret@db.internal:3307/risk${query}`);
  if (target.dialect !== "mysql") throw new Error("expected a MySQL target");
  return target;
};

describe("MySQL URL options", () => {
  it("when the URL has no query string, then no TLS, no timeouts and no pool size are set", () => {
    const target = mysql("");
    expect(target.options).toEqual({});
    expect(mysqlServerOptions(target)).toEqual({
      host: "db.internal",
      port: 3307,
      user: "app",
      password: "s3cret",
      database: "risk",
    });
  });

  it("when TLS, a CA file, the pool size and timeouts are given, then every connection's options carry them", () => {
    const target = mysql(
      `?sslcert=${encodeURIComponent(caFile)}&sslaccept=strict&connection_limit=12&connect_timeout=7&socket_timeout=90`,
    );
    expect(target.options.connectionLimit).toBe(12);
    expect(mysqlServerOptions(target)).toEqual({
      host: "db.internal",
      port: 3307,
      user: "app",
      password: "s3cret",
      database: "risk",
      ssl: { rejectUnauthorized: true, ca: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" },
      connectTimeout: 7000,
      socketTimeout: 90_000,
    });
    // Server-level work (create, drop, the migrator's first connection) keeps TLS and timeouts.
    expect(mysqlServerOptions(target, { withDatabase: false })).toMatchObject({
      ssl: { rejectUnauthorized: true },
      connectTimeout: 7000,
    });
    expect(mysqlServerOptions(target, { withDatabase: false })).not.toHaveProperty("database");
  });

  it("when ssl=true stands alone, then TLS is on and the certificate is verified; only accept_invalid_certs turns that off", () => {
    expect(mysqlServerOptions(mysql("?ssl=true")).ssl).toEqual({ rejectUnauthorized: true });
    expect(mysqlServerOptions(mysql("?sslaccept=accept_invalid_certs")).ssl).toEqual({ rejectUnauthorized: false });
    expect(mysqlServerOptions(mysql("?ssl=false")).ssl).toBeUndefined();
  });

  it.each([
    ["?sslmode=require", /unknown MySQL URL parameter "sslmode"; supported: ssl, sslcert/],
    ["?ssl=yes", /ssl must be true or false/],
    ["?sslaccept=maybe", /sslaccept must be strict or accept_invalid_certs/],
    ["?ssl=false&sslcert=/x.pem", /ssl=false together with sslcert/],
    ["?sslcert=/nowhere/ca.pem", /cannot read the CA file \/nowhere\/ca.pem/],
    ["?connection_limit=0", /connection_limit must be a whole number from 1 to 100, got "0"/],
    ["?connection_limit=2.5", /connection_limit must be a whole number/],
    ["?connect_timeout=-1", /connect_timeout must be a whole number/],
    ["?socket_timeout=abc", /socket_timeout must be a whole number/],
  ])("when the query string is %s, then parsing fails and names the problem", (query, message) => {
    expect(() => mysql(query)).toThrow(message);
  });

  it("when an error names the URL, then the password is not in it", () => {
    expect(() => parseDatabaseUrl("mysql://app:s3cret@db:3306/")).toThrow(/app:\*\*\*@/);
    expect(() => parseDatabaseUrl("mysql://app:s3cret@db:3306/")).not.toThrow(/s3cret/);
  });
});
