// Container health probe: exits 0 when the URL answers 2xx within the timeout, 1 otherwise.
// node:24-slim has neither curl nor wget, so the probe is a few lines of Node.
const [url, timeoutArg = "4000"] = process.argv.slice(2);
if (!url) {
  console.error("usage: node docker/healthcheck.mjs <url> [timeout-ms]");
  process.exit(2);
}
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(Number(timeoutArg)) });
  if (!response.ok) {
    console.error(`${url} answered ${response.status}`);
    process.exit(1);
  }
} catch (error) {
  console.error(`${url}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
