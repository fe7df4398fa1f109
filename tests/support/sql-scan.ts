import ts from "typescript";

// A static scan for SQL built from values. Values must travel as `?` parameters: the scan finds
// every piece of code that builds SQL text and reports what could carry a value into it.

/** SQL words in capitals, as the code base writes them. */
const UPPER_WORDS =
  /\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|VALUES|WHERE|FROM|SET|JOIN|CAST|LIMIT|LIKE|ORDER BY|GROUP BY|ON CONFLICT|ON DUPLICATE|RETURNING|CASE|WHEN|AND|OR|IN|AS|IS|USE|KILL|GRANT|REVOKE|BEGIN|COMMIT|ROLLBACK)\b/;
/** Statement shapes in any letter case (single lower-case words like "and" or "from" are ordinary English). */
const ANY_CASE =
  /\bselect\b[\s\S]*\bfrom\b|\binsert\s+into\b|\bupdate\s+[\w`".]+\s+set\b|\bdelete\s+from\b|\b(create|drop|alter)\s+(table|index|database|trigger|view|user)\b|\bpragma\s+\w|\bvalues\s*\(|\bwhere\b|\b(order|group)\s+by\b|\blimit\s+(\?|\d|@slot@)|\blike\b|\b(inner|left|right|outer|cross)?\s*join\s+\w|\bon\s+(conflict|duplicate)\b|\breturning\b|\bcast\s*\(|\bin\s*\(\s*['"]?(\?|@slot@)/i;
/** A comparison whose right side is a parameter or a slot, quoted or not. */
const COMPARISON = /[\w.`"]+\s*(=|<>|!=|>=|<=|<|>)\s*['"]?(\?|@slot@)/;
/** Literal text that ends where a value would be appended: `name = '`, `id IN (`, `x LIKE `. */
const OPEN_END = /((=|<>|!=|>=|<=|<|>)|\blike|\bin)\s*['"(]?\s*$/i;

/** Stands for each `${…}` when the literal parts of a template are joined for the tests above. */
export const SLOT = "@slot@";

export function isSqlText(text: string): boolean {
  return UPPER_WORDS.test(text) || ANY_CASE.test(text) || COMPARISON.test(text);
}

export interface SourceText {
  file: string;
  text: string;
}

export interface Finding {
  file: string;
  line: number;
  expression: string;
}

export interface ScanResult {
  /** Every `${…}` in SQL text, or in a template that is a piece of SQL built by join. */
  interpolations: Finding[];
  /** A `${…}` between single quotes in SQL text: a value written as an SQL string literal. */
  quotedSlots: Finding[];
  /** SQL text glued to something with `+` or `+=`. */
  concatenations: Finding[];
  /** An expression (not a literal, not a template) joined into SQL with `.join(…)`. */
  joins: Finding[];
  upsertCalls: Array<Finding & { args: ts.NodeArray<ts.Expression>; source: ts.SourceFile }>;
}

const isPlainLiteral = (node: ts.Node): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral =>
  ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);

function templateText(node: ts.TemplateExpression): string {
  return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(SLOT);
}

/** The elements an array gets in this file: an array literal, or a local array's initializer and pushes. */
function arrayElements(receiver: ts.Expression, source: ts.SourceFile): ts.Expression[] | undefined {
  if (ts.isArrayLiteralExpression(receiver)) return [...receiver.elements];
  if (!ts.isIdentifier(receiver)) return undefined;
  let elements: ts.Expression[] | undefined;
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && node.name.getText(source) === receiver.text && node.initializer) {
      if (ts.isArrayLiteralExpression(node.initializer)) elements = [...(elements ?? []), ...node.initializer.elements];
    }
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === "push" &&
      node.expression.expression.getText(source) === receiver.text
    ) {
      elements = [...(elements ?? []), ...node.arguments];
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return elements;
}

/** Whether a local variable was declared with SQL text as its value (`let sql = "SELECT …"`). */
function declaredAsSql(name: string, source: ts.SourceFile): boolean {
  let sql = false;
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && node.name.getText(source) === name && node.initializer) {
      const init = node.initializer;
      if (isPlainLiteral(init)) sql ||= isSqlText(init.text);
      if (ts.isTemplateExpression(init)) sql ||= isSqlText(templateText(init));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sql;
}

export function scanSql(sources: readonly SourceText[]): ScanResult {
  const result: ScanResult = { interpolations: [], quotedSlots: [], concatenations: [], joins: [], upsertCalls: [] };
  for (const { file, text } of sources) {
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const where = (node: ts.Node) => ({
      file,
      line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
    });
    const slots = (node: ts.TemplateExpression, into: Finding[]) => {
      for (const span of node.templateSpans) {
        into.push({ ...where(span.expression), expression: span.expression.getText(source).replace(/\s+/g, " ") });
      }
    };
    const sqlLiteral = (node: ts.Node) =>
      (isPlainLiteral(node) && (isSqlText(node.text) || OPEN_END.test(node.text))) ||
      (ts.isTemplateExpression(node) && isSqlText(templateText(node)));
    const visit = (node: ts.Node) => {
      if (ts.isTemplateExpression(node) && isSqlText(templateText(node))) {
        slots(node, result.interpolations);
        // A slot after an odd number of single quotes sits inside an SQL string literal.
        let prefix = node.head.text;
        for (const span of node.templateSpans) {
          if ((prefix.match(/'/g)?.length ?? 0) % 2 === 1) {
            result.quotedSlots.push({ ...where(span.expression), expression: span.expression.getText(source) });
          }
          prefix += SLOT + span.literal.text;
        }
      }
      if (ts.isBinaryExpression(node)) {
        const operator = node.operatorToken.kind;
        const glued =
          (operator === ts.SyntaxKind.PlusToken && (sqlLiteral(node.left) || sqlLiteral(node.right))) ||
          (operator === ts.SyntaxKind.PlusEqualsToken &&
            (sqlLiteral(node.right) || (ts.isIdentifier(node.left) && declaredAsSql(node.left.text, source))));
        if (glued) result.concatenations.push({ ...where(node), expression: node.getText(source) });
      }
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        if (node.expression.name.text === "join") {
          const separator = node.arguments[0];
          const elements = arrayElements(node.expression.expression, source);
          const sqlJoin =
            elements !== undefined &&
            ((separator !== undefined && isPlainLiteral(separator) && isSqlText(separator.text)) ||
              elements.some(sqlLiteral));
          for (const element of sqlJoin ? (elements ?? []) : []) {
            if (ts.isTemplateExpression(element)) {
              if (!isSqlText(templateText(element))) slots(element, result.interpolations);
            } else if (!isPlainLiteral(element)) {
              result.joins.push({ ...where(element), expression: element.getText(source) });
            }
          }
        }
      }
      if (ts.isCallExpression(node) && node.expression.getText(source) === "upsertSql") {
        result.upsertCalls.push({ ...where(node), expression: node.getText(source), args: node.arguments, source });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return result;
}

/** An array literal of string literals, or an identifier declared (const) as one. */
export function isLiteralList(node: ts.Expression, source: ts.SourceFile): boolean {
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
