-- Review work (domain.md §11): the debtor's priority and the assignee on each discrepancy, the
-- assignee on ASSIGNED events, and the indexes the review queue pages through by keyset.
-- Rows detected before this migration carry priority 0 until their debtor's next message.

-- AlterTable
ALTER TABLE `discrepancy_records` ADD COLUMN `priority` DECIMAL(15, 2) NOT NULL DEFAULT 0,
    ADD COLUMN `assignee` VARCHAR(64) NULL;

-- AlterTable
ALTER TABLE `discrepancy_events` ADD COLUMN `assignee` VARCHAR(64) NULL;

-- CreateIndex
CREATE INDEX `discrepancy_records_review_state_priority_id_idx` ON `discrepancy_records`(`review_state`, `priority` DESC, `id`);

-- CreateIndex
CREATE INDEX `discrepancy_records_review_state_first_seen_at_id_idx` ON `discrepancy_records`(`review_state`, `first_seen_at`, `id`);

-- CreateIndex
CREATE INDEX `discrepancy_records_assignee_review_state_priority_id_idx` ON `discrepancy_records`(`assignee`, `review_state`, `priority` DESC, `id`);
