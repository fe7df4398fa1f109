import { InvalidArgumentError } from "commander";

/** A mistake in what the user typed: the CLI prints it on one line and exits with code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** commander value parser for an integer within [min, max]. */
export function intOption(name: string, min: number, max: number) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value.trim()))
      throw new InvalidArgumentError(`${name} must be a whole number, got "${value}".`);
    const parsed = Number(value);
    if (parsed < min || parsed > max)
      throw new InvalidArgumentError(`${name} must be between ${min} and ${max}, got ${value}.`);
    return parsed;
  };
}

/** commander value parser for a non-negative decimal with at most two decimals, returned as text. */
export function decimalOption(name: string) {
  return (value: string): string => {
    if (!/^(0|[1-9]\d{0,14})(\.\d{1,2})?$/.test(value.trim())) {
      throw new InvalidArgumentError(
        `${name} must be a non-negative amount with at most two decimals, got "${value}".`,
      );
    }
    return value.trim();
  };
}

/** commander value parser for one of a fixed set of words. */
export function choiceOption<T extends string>(name: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`${name} must be one of ${choices.join(", ")}, got "${value}".`);
    }
    return value as T;
  };
}
