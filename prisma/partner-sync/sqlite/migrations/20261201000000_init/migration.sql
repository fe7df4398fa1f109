-- CreateTable
CREATE TABLE "partner_sync_records" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "debtor_id" INTEGER NOT NULL,
    "partner_name" TEXT NOT NULL,
    "internal_balance" DECIMAL NOT NULL,
    "internal_status" TEXT NOT NULL,
    "external_balance" DECIMAL,
    "external_status" TEXT,
    "reconciliation_status" TEXT NOT NULL DEFAULT 'PENDING',
    "last_message_id" TEXT NOT NULL,
    "last_processed_at" DATETIME NOT NULL,
    "synced_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "partner_records" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "debtor_id" INTEGER NOT NULL,
    "partner_name" TEXT NOT NULL,
    "balance" DECIMAL NOT NULL,
    "status" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "discrepancy_records" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "debtor_id" INTEGER NOT NULL,
    "partner_name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "review_state" TEXT NOT NULL,
    "internal_value" TEXT NOT NULL,
    "external_value" TEXT,
    "difference_amount" DECIMAL,
    "difference_percent" DECIMAL,
    "tolerance_percent" DECIMAL NOT NULL,
    "source_message_id" TEXT NOT NULL,
    "last_message_id" TEXT NOT NULL,
    "first_seen_at" DATETIME NOT NULL,
    "last_seen_at" DATETIME NOT NULL,
    "occurrences" INTEGER NOT NULL DEFAULT 1,
    "unresolved_flag" INTEGER,
    "resolved_at" DATETIME,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "discrepancy_events" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "discrepancy_id" INTEGER NOT NULL,
    "event" TEXT NOT NULL,
    "from_state" TEXT,
    "to_state" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "note" TEXT,
    "message_id" TEXT,
    "created_at" DATETIME NOT NULL,
    CONSTRAINT "discrepancy_events_discrepancy_id_fkey" FOREIGN KEY ("discrepancy_id") REFERENCES "discrepancy_records" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "inbox_messages" (
    "message_id" TEXT NOT NULL PRIMARY KEY,
    "debtor_id" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "processed_at" DATETIME NOT NULL,
    "applied_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "poison_messages" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sqs_message_id" TEXT NOT NULL,
    "message_id" TEXT,
    "body" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "receive_count" INTEGER,
    "first_recorded_at" DATETIME NOT NULL,
    "last_recorded_at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "partner_sync_records_partner_name_reconciliation_status_idx" ON "partner_sync_records"("partner_name", "reconciliation_status");

-- CreateIndex
CREATE UNIQUE INDEX "partner_sync_records_debtor_id_partner_name_key" ON "partner_sync_records"("debtor_id", "partner_name");

-- CreateIndex
CREATE UNIQUE INDEX "partner_records_debtor_id_partner_name_key" ON "partner_records"("debtor_id", "partner_name");

-- CreateIndex
CREATE INDEX "discrepancy_records_review_state_type_first_seen_at_idx" ON "discrepancy_records"("review_state", "type", "first_seen_at");

-- CreateIndex
CREATE INDEX "discrepancy_records_first_seen_at_idx" ON "discrepancy_records"("first_seen_at");

-- CreateIndex
CREATE UNIQUE INDEX "discrepancy_records_one_unresolved_key" ON "discrepancy_records"("debtor_id", "partner_name", "type", "unresolved_flag");

-- CreateIndex
CREATE INDEX "discrepancy_events_discrepancy_id_id_idx" ON "discrepancy_events"("discrepancy_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "poison_messages_sqs_message_id_key" ON "poison_messages"("sqs_message_id");

-- CreateIndex
CREATE INDEX "poison_messages_first_recorded_at_idx" ON "poison_messages"("first_recorded_at");


-- Audit rows are append-only (domain.md §8): the database refuses to change or remove them.
CREATE TRIGGER "discrepancy_events_no_update" BEFORE UPDATE ON "discrepancy_events"
BEGIN
    SELECT RAISE(ABORT, 'discrepancy_events is append-only');
END;

CREATE TRIGGER "discrepancy_events_no_delete" BEFORE DELETE ON "discrepancy_events"
BEGIN
    SELECT RAISE(ABORT, 'discrepancy_events is append-only');
END;
