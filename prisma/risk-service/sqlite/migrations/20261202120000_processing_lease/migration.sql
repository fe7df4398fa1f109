-- AlterTable
ALTER TABLE "processing_runs" ADD COLUMN "heartbeat_at" DATETIME;
ALTER TABLE "processing_runs" ADD COLUMN "owner" TEXT;

-- CreateTable
CREATE TABLE "processing_leases" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "run_id" TEXT,
    "owner" TEXT,
    "started_at" DATETIME,
    "heartbeat_at" DATETIME,
    "expires_at" DATETIME
);
