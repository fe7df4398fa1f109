// Child process of partner-book-crash.int.spec.ts: imports a book like the CLI does, through the
// same service, but re-reconciles in small batches so the test has time to kill it mid-way.
// Usage: node --import tsx import-book-child.ts <database-url> <file> <partner> <batch-size>
import { createReadStream } from "node:fs";
import { loadPartnerSyncConfig } from "../../src/config";
import { PartnerBookService } from "../../src/partner-books/partner-book-import.service";
import { toleranceFrom } from "../../src/reconciliation/reconciliation-rules";
import { openPartnerSync } from "../../src/service";

const [databaseUrl, file, partnerName, batchSize] = process.argv.slice(2) as [string, string, string, string];
const config = loadPartnerSyncConfig({ PARTNER_SYNC_DATABASE_URL: databaseUrl, LOG_LEVEL: "silent" });
const sync = await openPartnerSync(config, { migrate: false });
const books = new PartnerBookService(sync.db, {
  tolerance: toleranceFrom(config.RECONCILIATION_TOLERANCE_PERCENT),
  maxBytes: config.PARTNER_BOOK_MAX_BYTES,
  clock: () => new Date(),
  reconcileBatchSize: Number(batchSize),
});
const outcome = await books.importFile(createReadStream(file), { partnerName, importedBy: "crash.test" });
process.stdout.write(`${outcome.kind}\n`);
await sync.close();
