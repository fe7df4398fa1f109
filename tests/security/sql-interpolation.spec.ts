import { globSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as sharedSql from "@smartrecover/db-kit";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/run-command";
import { type Finding, isLiteralList, type ScanResult, type SourceText, scanSql } from "../support/sql-scan";

// Every SQL statement is parameterized: values travel as `?` parameters, never inside the SQL
// text. This scan finds each piece of product code that builds SQL (template literals, `+`,
// `+=`, `.join`) and checks each `${…}` in it against a short list of things that cannot carry
// request data: placeholder builders, dialect fragments, and column or table names that are
// constants. Anything else fails the test, and so does an allow-list entry nothing uses any more.

interface Allowed {
  /** Applies to every file when absent. */
  file?: string;
  expression: RegExp;
  why: string;
}

const ALLOWED: Allowed[] = [
  {
    expression: /^(placeholders|inList)\([^()]*\)$|^[\w.]+\.map\(\(\) => "(\?|WHEN \? THEN \?)"\)\.join\("[ ,]*"\)$/,
    why: "builds `?` placeholders only (checked below)",
  },
  {
    expression:
      /^(moneyText\([\w.]+, "[\w.]+"\)|(forUpdate|moneyParam)\([\w.]+\)|(debtorSelect|scoringSelect|runSelect)\((this\.db|tx)\.dialect\))$/,
    why: "a dialect fragment around a literal column, or a constant SELECT list per dialect",
  },
  { expression: /^[A-Z_]+\.join\(", "\)$/, why: "an UPPER_CASE constant list of column names" },
  { expression: /^[A-Z_]+$/, why: "an UPPER_CASE constant holding a fixed piece of SQL" },
  { expression: /^[\w.]+ \? "[^"]*" : "[^"]*"$/, why: "a choice between two literal SQL fragments" },
  {
    file: "packages/db-kit/src/sql-dialect.ts",
    expression:
      /^(table|column|c|insert|columns\.join\(", "\)|keys\.join\(", "\))$|^updates\.map\(\(c\) => `\$\{c\} = (VALUES\(\$\{c\}\)|excluded\.\$\{c\})`\)\.join\(", "\)$/,
    why: "upsertSql/moneyText internals: identifiers every caller passes as constants (checked below)",
  },
  {
    file: "apps/risk-service/src/debtors/debtor.repository.ts",
    expression: /^(where\.join\(" AND "\)|after|money)$/,
    why: "literal conditions and moneyParam() fragments; values are pushed to params",
  },
  {
    file: "apps/partner-sync/src/discrepancies/discrepancy.repository.ts",
    expression: /^(insert|column|sets\.map\(\(set\) => set\.sql\)\.join\(", "\))$/,
    why: "an INSERT built from a column constant, and CASE expressions of literal columns and `?`",
  },
  {
    file: "apps/partner-sync/src/discrepancies/discrepancy-queries.ts",
    expression: /^(where\.sql|and|clauses\.join\(" AND "\)|order)$/,
    why: "literal conditions of the API's filters (each with `?` or inList), values pushed to params; ORDER_BY's literal orders picked by the validated sort",
  },
  {
    file: "packages/db-kit/src/migrate.ts",
    expression: /^target\.database$/,
    why: "a database name parseDatabaseUrl restricted to [A-Za-z0-9_$-], quoted with backticks",
  },
];

/** Test support, never on a request path: it builds admin statements from generated names. */
const NOT_PRODUCT = /\/testing(-[\w-]+)?\.ts$|\.spec\.ts$|\/generated\//;
/** A file holding SQL: a statement, or the SQL helpers statements are built with. */
const HOLDS_SQL =
  /\b(SELECT|INSERT INTO|DELETE FROM|CREATE (TABLE|DATABASE)|ALTER TABLE|PRAGMA)\b|\bUPDATE \w+\s+SET\b|ON CONFLICT|\b(upsertSql|placeholders|inList)\(|\b(select|insert into|delete from)\b/;

function productSources(): SourceText[] {
  return globSync(["apps/*/src/**/*.ts", "packages/*/src/**/*.ts"], { cwd: REPO_ROOT })
    .filter((file) => !NOT_PRODUCT.test(file))
    .map((file) => ({ file, text: readFileSync(join(REPO_ROOT, file), "utf8") }))
    .filter(({ text }) => HOLDS_SQL.test(text))
    .sort((a, b) => a.file.localeCompare(b.file));
}

function matchesFile(pattern: string | undefined, file: string): boolean {
  if (pattern === undefined) return true;
  return new RegExp(`^${pattern.replaceAll(".", "\\.").replaceAll("*", "[^/]+")}$`).test(file);
}

const explained = (finding: Finding) =>
  ALLOWED.some((rule) => matchesFile(rule.file, finding.file) && rule.expression.test(finding.expression));
const lines = (findings: Finding[]) => findings.map((f) => `${f.file}:${f.line}: ${f.expression}`);

/** Everything the scan objects to, by kind; empty lists mean the code passes. */
function problems(found: ScanResult) {
  return {
    unexplained: lines(found.interpolations.filter((finding) => !explained(finding))),
    quotedSlots: lines(found.quotedSlots),
    concatenations: lines(found.concatenations),
    joins: lines(found.joins),
  };
}

const sources = productSources();
const found = scanSql(sources);

describe("SQL built in product code", () => {
  it("when the scan runs, then it sees the repositories and their SQL (it is looking in the right place)", () => {
    const files = sources.map((source) => source.file);
    expect(files).toContain("apps/partner-sync/src/discrepancies/discrepancy.repository.ts");
    expect(files).toContain("apps/risk-service/src/debtors/debtor.repository.ts");
    expect(files).toContain("apps/partner-sync/src/poison-messages/poison-message.repository.ts");
    expect(files).toContain("packages/db-kit/src/sql-dialect.ts");
    expect(files.some((file) => file.includes("testing"))).toBe(false);
    expect(found.interpolations.length).toBeGreaterThan(30);
  });

  it("when SQL is built, then every interpolation is explained, none sits in quotes, and nothing is glued or joined in", () => {
    expect(problems(found)).toEqual({ unexplained: [], quotedSlots: [], concatenations: [], joins: [] });
  });

  it("when the allow-list is read, then every entry is still needed", () => {
    const unused = ALLOWED.filter(
      (rule) =>
        !found.interpolations.some(
          (finding) => matchesFile(rule.file, finding.file) && rule.expression.test(finding.expression),
        ),
    );
    expect(unused.map((rule) => rule.why)).toEqual([]);
  });

  it("when upsertSql is called, then the table is a literal and the columns and keys are literal lists", () => {
    expect(found.upsertCalls.length).toBeGreaterThanOrEqual(3);
    for (const call of found.upsertCalls) {
      const [, table, columns, keys] = call.args;
      const label = `${call.file}:${call.line}`;
      expect(table && ts.isStringLiteral(table), `${label}: table`).toBe(true);
      expect(columns && isLiteralList(columns, call.source), `${label}: columns`).toBe(true);
      expect(keys && (ts.isStringLiteral(keys) || isLiteralList(keys, call.source)), `${label}: keys`).toBe(true);
    }
  });

  it("when the placeholder builders and dialect fragments run, then they emit no value, only `?` and fixed SQL", () => {
    const sql = sharedSql;
    expect(sql.placeholders(3, 4)).toMatch(/^[(?, )]+$/);
    expect(sql.inList(5)).toBe("(?, ?, ?, ?, ?)");
    for (const dialect of ["sqlite", "mysql"] as const) {
      expect(sql.moneyText(dialect, "d.amount")).toMatch(/^(printf\('%\.2f', d\.amount\)|CAST\(d\.amount AS CHAR\))$/);
    }
    expect([sql.forUpdate("sqlite"), sql.forUpdate("mysql")]).toEqual(["", " FOR UPDATE"]);
    expect([sharedSql.moneyParam("sqlite"), sharedSql.moneyParam("mysql")]).toEqual(["?", "CAST(? AS DECIMAL(14, 2))"]);
  });
});

// The scan must fail on each way a value can get into SQL text. Each snippet below is bad code
// the scan must catch (the earlier scan, capitals only and templates and `+` only, missed all
// but the first `+` case); the file names put them where the allow-list is most permissive.
// Snippets write a template slot as `$[…]`, turned into the real thing before scanning.
describe("the SQL scan itself", () => {
  const slot = (text: string) => text.replace(/\$\[([^\]]*)\]/g, (_all, inner: string) => `$\{${inner}}`);
  const scanOne = (text: string, file = "apps/risk-service/src/debtors/debtor.repository.ts") =>
    problems(scanSql([{ file, text: slot(text) }]));

  it("when a snippet is prepared, then its slots are real template slots", () => {
    expect(slot("a $[b.c(d)] e")).toBe(["a $", "{b.c(d)} e"].join(""));
  });

  it.each([
    ["lower-case keywords", "const sql = `select id from debtors where id in ($[ids])`;"],
    ["LIKE without other keywords", "const condition = `name like $[pattern]`;"],
    ["a lower-case statement", "db.query(`delete from debtors where id between $[low] and $[high]`);"],
  ])("when %s carry a value, then the interpolation is unexplained", (_kind, text) => {
    expect(scanOne(text).unexplained.length).toBeGreaterThan(0);
  });

  it("when a slot sits inside single quotes, then it fails even where the expression itself is allowed", () => {
    expect(scanOne("const sql = `UPDATE debtors SET name = '$[money]' WHERE id = ?`;").quotedSlots).toHaveLength(1);
    expect(scanOne("const sql = `name = '$[name]'`;").quotedSlots).toHaveLength(1);
    expect(
      scanOne("const sql = `DROP DATABASE '$[target.database]'`;", "packages/db-kit/src/migrate.ts").quotedSlots,
    ).toHaveLength(1);
    expect(scanOne("const sql = `SELECT id FROM debtors WHERE name LIKE '%$[term]%'`;").quotedSlots).toHaveLength(1);
  });

  it("when SQL is built with + or +=, then each gluing is reported", () => {
    expect(scanOne('const sql = "SELECT * FROM debtors WHERE id = " + id;').concatenations).toHaveLength(1);
    expect(scanOne('const sql = "name = \'" + name + "\'";').concatenations.length).toBeGreaterThan(0);
    expect(scanOne('let sql = "SELECT * FROM debtors WHERE id = ";\nsql += id;').concatenations).toHaveLength(1);
    expect(scanOne('let sql = base;\nsql += " AND name = " + name;').concatenations.length).toBeGreaterThan(0);
  });

  it("when SQL is built with join, then an element that is not a literal is reported", () => {
    expect(scanOne('const sql = ["SELECT * FROM debtors WHERE name = \'", name, "\'"].join("");').joins).toEqual([
      "apps/risk-service/src/debtors/debtor.repository.ts:1: name",
    ]);
    const pushed = 'const where = ["d.id > ?"];\nwhere.push(filter.condition);\nconst sql = where.join(" AND ");';
    expect(scanOne(pushed).joins).toEqual(["apps/risk-service/src/debtors/debtor.repository.ts:2: filter.condition"]);
    expect(scanOne('const sql = ["SELECT name FROM debtors WHERE id = ", `$[id]`].join("");').unexplained).toEqual([
      "apps/risk-service/src/debtors/debtor.repository.ts:1: id",
    ]);
  });

  it("when SQL is built the way product code does, then nothing is reported", () => {
    const good = [
      'const where = ["d.id > ?"];',
      'where.push("d.payment_status = ?");',
      "where.push(`d.total_debt_amount >= $[moneyParam(this.db.dialect)]`);",
      'const sql = `SELECT d.id FROM debtors d WHERE $[where.join(" AND ")] ORDER BY d.id LIMIT ?`;',
      "const message = `pool size must be from 1 to $[MAX], got $[size]`;",
    ].join("\n");
    expect(scanOne(good)).toEqual({ unexplained: [], quotedSlots: [], concatenations: [], joins: [] });
  });
});
