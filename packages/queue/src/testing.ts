// The `@smartrecover/queue/testing` entry: fault helpers for tests, never product code.
export * from "./testing-faults";
