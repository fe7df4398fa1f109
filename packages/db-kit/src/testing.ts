// The `@smartrecover/db-kit/testing` entry: test databases and fault helpers, never product code.
export * from "./testing-databases";
export * from "./testing-faults";
