-- The debtor's priority from the last applied message on its sync record (domain.md §11), for
-- discrepancies opened without a message. Records synced before this carry 0 until the next one.

-- AlterTable
ALTER TABLE "partner_sync_records" ADD COLUMN "priority" DECIMAL NOT NULL DEFAULT 0;
