-- AlterTable
ALTER TABLE "partner_sync_records" ADD COLUMN "pending_reason" TEXT;

-- AlterTable
ALTER TABLE "partner_records" ADD COLUMN "import_id" INTEGER;
ALTER TABLE "partner_records" ADD COLUMN "reference" TEXT;
ALTER TABLE "partner_records" ADD COLUMN "as_of" TEXT;

-- CreateTable
CREATE TABLE "partner_book_imports" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "partner_name" TEXT NOT NULL,
    "sha256" TEXT,
    "state" TEXT NOT NULL,
    "rows" INTEGER NOT NULL DEFAULT 0,
    "as_of" TEXT,
    "imported_by" TEXT NOT NULL,
    "imported_at" DATETIME NOT NULL,
    "completed_at" DATETIME,
    "reconciled_through" INTEGER NOT NULL DEFAULT 0,
    "summary" TEXT
);

-- CreateTable
CREATE TABLE "partner_book_staged_rows" (
    "import_id" INTEGER NOT NULL,
    "debtor_id" INTEGER NOT NULL,
    "balance" DECIMAL NOT NULL,
    "status" TEXT NOT NULL,
    "reference" TEXT,
    "as_of" TEXT,

    PRIMARY KEY ("import_id", "debtor_id")
);

-- CreateIndex
CREATE INDEX "partner_records_partner_name_debtor_id_idx" ON "partner_records"("partner_name", "debtor_id");

-- CreateIndex
CREATE INDEX "partner_book_imports_partner_name_state_idx" ON "partner_book_imports"("partner_name", "state");

-- CreateIndex
CREATE UNIQUE INDEX "partner_book_imports_partner_name_sha256_key" ON "partner_book_imports"("partner_name", "sha256");
