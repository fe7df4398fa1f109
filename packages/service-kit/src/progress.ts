import cliProgress from "cli-progress";

export interface Progress {
  /** Sets the absolute count done; `total` may grow (unknown totals start at 0). */
  update(done: number, total?: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr when it is a terminal; otherwise plain lines at most every two
 * seconds, so logs stay readable. `quiet` disables both.
 */
export function createProgress(
  label: string,
  options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {},
): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet) return { update() {}, stop() {} };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream, format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total) {
        if (!started) {
          bar.start(total ?? 0, done);
          started = true;
        }
        if (total !== undefined) bar.setTotal(total);
        bar.update(done);
      },
      stop: () => started && bar.stop(),
    };
  }
  let lastPrint = 0;
  let last = { done: 0, total: 0 };
  const print = () => stream.write(`${label}: ${last.done}${last.total ? `/${last.total}` : ""}\n`);
  return {
    update(done, total) {
      last = { done, total: total ?? last.total };
      const now = Date.now();
      if (now - lastPrint >= 2000) {
        lastPrint = now;
        print();
      }
    },
    stop() {
      if (last.done > 0) print();
    },
  };
}
