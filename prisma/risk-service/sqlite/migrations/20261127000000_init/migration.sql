-- CreateTable
CREATE TABLE "debtors" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "total_debt_amount" DECIMAL NOT NULL,
    "monthly_income" DECIMAL NOT NULL,
    "late_payments_count" INTEGER NOT NULL,
    "employment_status" TEXT NOT NULL,
    "contract_type" TEXT NOT NULL DEFAULT 'PERMANENT',
    "industry_sector" TEXT NOT NULL,
    "family_situation" TEXT NOT NULL,
    "payment_status" TEXT NOT NULL DEFAULT 'UNPAID',
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "risk_scores" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "debtor_id" INTEGER NOT NULL,
    "total_score" INTEGER NOT NULL,
    "risk_level" TEXT NOT NULL,
    "factor_breakdown" TEXT NOT NULL,
    "calculated_at" DATETIME NOT NULL,
    CONSTRAINT "risk_scores_debtor_id_fkey" FOREIGN KEY ("debtor_id") REFERENCES "debtors" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "processing_runs" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "status" TEXT NOT NULL,
    "dry_run" BOOLEAN NOT NULL DEFAULT false,
    "batch_size" INTEGER NOT NULL,
    "threshold" DECIMAL NOT NULL,
    "heap_size" INTEGER NOT NULL DEFAULT 0,
    "debtors_processed" INTEGER NOT NULL DEFAULT 0,
    "high_priority_count" INTEGER NOT NULL DEFAULT 0,
    "batches_processed" INTEGER NOT NULL DEFAULT 0,
    "errors_count" INTEGER NOT NULL DEFAULT 0,
    "messages_queued" INTEGER NOT NULL DEFAULT 0,
    "report" TEXT,
    "failure_reason" TEXT,
    "started_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" DATETIME
);

-- CreateTable
CREATE TABLE "processing_errors" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "run_id" TEXT NOT NULL,
    "debtor_id" INTEGER,
    "stage" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "processing_errors_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "processing_runs" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "outbox_messages" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "message_id" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "debtor_id" INTEGER NOT NULL,
    "payload" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT
);

-- CreateIndex
CREATE INDEX "debtors_payment_status_idx" ON "debtors"("payment_status");

-- CreateIndex
CREATE INDEX "debtors_total_debt_amount_idx" ON "debtors"("total_debt_amount");

-- CreateIndex
CREATE UNIQUE INDEX "risk_scores_debtor_id_key" ON "risk_scores"("debtor_id");

-- CreateIndex
CREATE INDEX "risk_scores_risk_level_total_score_idx" ON "risk_scores"("risk_level", "total_score");

-- CreateIndex
CREATE INDEX "processing_runs_started_at_idx" ON "processing_runs"("started_at");

-- CreateIndex
CREATE INDEX "processing_errors_run_id_idx" ON "processing_errors"("run_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_messages_message_id_key" ON "outbox_messages"("message_id");

-- CreateIndex
CREATE INDEX "outbox_messages_published_at_id_idx" ON "outbox_messages"("published_at", "id");

-- CreateIndex
CREATE INDEX "outbox_messages_run_id_idx" ON "outbox_messages"("run_id");

