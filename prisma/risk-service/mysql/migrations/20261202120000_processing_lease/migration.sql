-- AlterTable
ALTER TABLE `processing_runs` ADD COLUMN `owner` VARCHAR(255) NULL,
    ADD COLUMN `heartbeat_at` DATETIME(3) NULL;

-- CreateTable
CREATE TABLE `processing_leases` (
    `name` VARCHAR(32) NOT NULL,
    `run_id` VARCHAR(36) NULL,
    `owner` VARCHAR(255) NULL,
    `started_at` DATETIME(3) NULL,
    `heartbeat_at` DATETIME(3) NULL,
    `expires_at` DATETIME(3) NULL,

    PRIMARY KEY (`name`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
