import { describe, expect, it } from "vitest";
import { csvField } from "./reconciliation-report";

describe("csvField", () => {
  it("when a value holds a comma, quote or line break, then it is quoted with doubled quotes", () => {
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
  });

  it("when text would run as a spreadsheet formula, then it gets a leading apostrophe", () => {
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("-cmd")).toBe("'-cmd");
  });

  it("when a value is a negative amount, a number or null, then it is written as is", () => {
    expect(csvField("-76.76")).toBe("-76.76");
    expect(csvField(42)).toBe("42");
    expect(csvField(null)).toBe("");
  });
});
