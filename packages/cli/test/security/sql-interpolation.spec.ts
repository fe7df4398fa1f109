import { globSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as riskSql from "../../../../apps/risk-service/src/db/sql-dialect";
import * as sharedSql from "../../../db-kit/src/sql-dialect";
import { REPO_ROOT } from "../support/run-command";

// Every SQL statement is parameterized: values travel as `?` parameters, never inside the SQL
// text. This scan finds each template literal that builds SQL in product code and checks each
// `${…}` in it against a short list of things that cannot carry request data: placeholder
// builders, dialect fragments, and column or table names that are constants. Anything else
// fails the test, and so does an allow-list entry nothing uses any more.

/** Uppercase SQL words, or a comparison whose right side is a parameter or an interpolation. */
const SQL_TEXT =
  /\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|VALUES|WHERE|FROM|SET|JOIN|CAST|LIMIT|ORDER BY|GROUP BY|ON CONFLICT|ON DUPLICATE|RETURNING|CASE|WHEN|AND|OR|IN|AS|USE|KILL|GRANT|REVOKE|BEGIN|COMMIT|ROLLBACK)\b|[\w.]+\s*(=|<>|!=|>=|<=|<|>)\s*(\?|@slot@)/;
/** Stands for each `${…}` when the literal parts of a template are joined for SQL_TEXT. */
const SLOT = "@slot@";

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
      /^(moneyText\([\w.]+, "[\w.]+"\)|(forUpdate|moneyParam)\([\w.]+\)|(selectSql|scoringSelect)\(this\.db\.dialect\))$/,
    why: "a dialect fragment around a literal column, or a constant SELECT list per dialect",
  },
  { expression: /^[A-Z_]+\.join\(", "\)$/, why: "an UPPER_CASE constant list of column names" },
  { expression: /^[\w.]+ \? "[^"]*" : "[^"]*"$/, why: "a choice between two literal SQL fragments" },
  {
    file: "apps/*/src/db/sql-dialect.ts",
    expression:
      /^(table|key|column|c|insert|columns\.join\(", "\)|keys\.join\(", "\))$|^updates\.map\(\(c\) => `\$\{c\} = (VALUES\(\$\{c\}\)|excluded\.\$\{c\})`\)\.join\(", "\)$/,
    why: "upsertSql/moneyText internals: identifiers every caller passes as constants (checked below)",
  },
  {
    file: "packages/db-kit/src/sql-dialect.ts",
    expression:
      /^(table|column|c|insert|columns\.join\(", "\)|keys\.join\(", "\))$|^updates\.map\(\(c\) => `\$\{c\} = (VALUES\(\$\{c\}\)|excluded\.\$\{c\})`\)\.join\(", "\)$/,
    why: "the shared upsertSql/moneyText: identifiers every caller passes as constants (checked below)",
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
    expression: /^(where\.sql|and|clauses\.join\(" AND "\))$/,
    why: "literal conditions of the API's filters (each with `?` or inList); values are pushed to params",
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
  /\b(SELECT|INSERT INTO|DELETE FROM|CREATE (TABLE|DATABASE)|ALTER TABLE|PRAGMA)\b|\bUPDATE \w+\s+SET\b|ON CONFLICT|\b(upsertSql|placeholders|inList)\(/;

function productFiles(): string[] {
  return globSync(["apps/*/src/**/*.ts", "packages/*/src/**/*.ts"], { cwd: REPO_ROOT })
    .filter((file) => !NOT_PRODUCT.test(file) && HOLDS_SQL.test(readFileSync(join(REPO_ROOT, file), "utf8")))
    .sort();
}

function matchesFile(pattern: string | undefined, file: string): boolean {
  if (pattern === undefined) return true;
  return new RegExp(`^${pattern.replaceAll(".", "\\.").replaceAll("*", "[^/]+")}$`).test(file);
}

interface Finding {
  file: string;
  line: number;
  expression: string;
}

function scan(files: string[]) {
  const interpolations: Finding[] = [];
  const concatenations: Finding[] = [];
  const upsertCalls: Array<Finding & { args: ts.NodeArray<ts.Expression>; source: ts.SourceFile }> = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(join(REPO_ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
    const where = (node: ts.Node) => ({
      file,
      line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
    });
    const visit = (node: ts.Node) => {
      if (ts.isTemplateExpression(node)) {
        const text = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(SLOT);
        if (SQL_TEXT.test(text)) {
          for (const span of node.templateSpans) {
            const expression = span.expression.getText(source).replace(/\s+/g, " ");
            interpolations.push({ ...where(span.expression), expression });
          }
        }
      }
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        const literal = [node.left, node.right].find(
          (side) => ts.isStringLiteral(side) || ts.isNoSubstitutionTemplateLiteral(side),
        );
        if (literal && SQL_TEXT.test(literal.getText(source))) {
          concatenations.push({ ...where(node), expression: node.getText(source) });
        }
      }
      if (ts.isCallExpression(node) && node.expression.getText(source) === "upsertSql") {
        upsertCalls.push({ ...where(node), expression: node.getText(source), args: node.arguments, source });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { interpolations, concatenations, upsertCalls };
}

const files = productFiles();
const found = scan(files);

describe("SQL built in product code", () => {
  it("when the scan runs, then it sees the repositories and their SQL (it is looking in the right place)", () => {
    expect(files).toContain("apps/partner-sync/src/discrepancies/discrepancy.repository.ts");
    expect(files).toContain("apps/risk-service/src/debtors/debtor.repository.ts");
    expect(files).toContain("apps/partner-sync/src/poison-messages/poison-message.repository.ts");
    expect(files.some((file) => file.includes("testing"))).toBe(false);
    expect(found.interpolations.length).toBeGreaterThan(30);
  });

  it("when SQL text interpolates something, then it is a placeholder builder, a dialect fragment or a constant name", () => {
    const unexplained = found.interpolations.filter(
      (finding) =>
        !ALLOWED.some((rule) => matchesFile(rule.file, finding.file) && rule.expression.test(finding.expression)),
    );
    expect(unexplained.map((f) => `${f.file}:${f.line}: \${${f.expression}}`)).toEqual([]);
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

  it("when SQL is built, then never by concatenating strings", () => {
    expect(found.concatenations.map((f) => `${f.file}:${f.line}: ${f.expression}`)).toEqual([]);
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
    for (const sql of [riskSql, sharedSql]) {
      expect(sql.placeholders(3, 4)).toMatch(/^[(?, )]+$/);
      for (const dialect of ["sqlite", "mysql"] as const) {
        expect(sql.moneyText(dialect, "d.amount")).toMatch(
          /^(printf\('%\.2f', d\.amount\)|CAST\(d\.amount AS CHAR\))$/,
        );
      }
    }
    expect(sharedSql.inList(5)).toBe("(?, ?, ?, ?, ?)");
    expect([sharedSql.forUpdate("sqlite"), sharedSql.forUpdate("mysql")]).toEqual(["", " FOR UPDATE"]);
  });
});

/** An array literal of string literals, or an identifier declared (const) as one, or a constant's copy. */
function isLiteralList(node: ts.Expression, source: ts.SourceFile): boolean {
  if (ts.isArrayLiteralExpression(node)) return node.elements.every((element) => ts.isStringLiteral(element));
  if (!ts.isIdentifier(node)) return false;
  let literal = false;
  const visit = (candidate: ts.Node) => {
    if (
      ts.isVariableDeclaration(candidate) &&
      candidate.name.getText(source) === node.text &&
      candidate.initializer !== undefined
    ) {
      literal = isLiteralList(candidate.initializer, source);
    }
    ts.forEachChild(candidate, visit);
  };
  visit(source);
  return literal;
}
