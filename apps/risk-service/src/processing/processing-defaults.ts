// process-debtors' defaults, apart from the processor so the CLI can show them in its help
// without loading the processing code.
export const DEFAULT_BATCH_SIZE = 100;
export const DEFAULT_THRESHOLD = "500000";
export const DEFAULT_TOP_K = 10;
