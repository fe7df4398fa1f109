-- CreateTable
CREATE TABLE `partner_sync_records` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `debtor_id` INTEGER NOT NULL,
    `partner_name` VARCHAR(64) NOT NULL,
    `internal_balance` DECIMAL(15, 2) NOT NULL,
    `internal_status` VARCHAR(16) NOT NULL,
    `external_balance` DECIMAL(15, 2) NULL,
    `external_status` VARCHAR(16) NULL,
    `reconciliation_status` VARCHAR(16) NOT NULL DEFAULT 'PENDING',
    `last_message_id` VARCHAR(64) NOT NULL,
    `last_processed_at` DATETIME(3) NOT NULL,
    `synced_at` DATETIME(3) NOT NULL,

    INDEX `partner_sync_records_partner_name_reconciliation_status_idx`(`partner_name`, `reconciliation_status`),
    UNIQUE INDEX `partner_sync_records_debtor_id_partner_name_key`(`debtor_id`, `partner_name`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `partner_records` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `debtor_id` INTEGER NOT NULL,
    `partner_name` VARCHAR(64) NOT NULL,
    `balance` DECIMAL(15, 2) NOT NULL,
    `status` VARCHAR(16) NOT NULL,
    `created_at` DATETIME(3) NOT NULL,

    UNIQUE INDEX `partner_records_debtor_id_partner_name_key`(`debtor_id`, `partner_name`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `discrepancy_records` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `debtor_id` INTEGER NOT NULL,
    `partner_name` VARCHAR(64) NOT NULL,
    `type` VARCHAR(32) NOT NULL,
    `review_state` VARCHAR(16) NOT NULL,
    `internal_value` VARCHAR(32) NOT NULL,
    `external_value` VARCHAR(32) NULL,
    `difference_amount` DECIMAL(15, 2) NULL,
    `difference_percent` DECIMAL(20, 4) NULL,
    `tolerance_percent` DECIMAL(7, 4) NOT NULL,
    `source_message_id` VARCHAR(64) NOT NULL,
    `last_message_id` VARCHAR(64) NOT NULL,
    `first_seen_at` DATETIME(3) NOT NULL,
    `last_seen_at` DATETIME(3) NOT NULL,
    `occurrences` INTEGER NOT NULL DEFAULT 1,
    `unresolved_flag` INTEGER NULL,
    `resolved_at` DATETIME(3) NULL,
    `updated_at` DATETIME(3) NOT NULL,

    INDEX `discrepancy_records_review_state_type_first_seen_at_idx`(`review_state`, `type`, `first_seen_at`),
    INDEX `discrepancy_records_first_seen_at_idx`(`first_seen_at`),
    UNIQUE INDEX `discrepancy_records_one_unresolved_key`(`debtor_id`, `partner_name`, `type`, `unresolved_flag`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `discrepancy_events` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `discrepancy_id` INTEGER NOT NULL,
    `event` VARCHAR(16) NOT NULL,
    `from_state` VARCHAR(16) NULL,
    `to_state` VARCHAR(16) NOT NULL,
    `actor` VARCHAR(64) NOT NULL,
    `note` TEXT NULL,
    `message_id` VARCHAR(64) NULL,
    `created_at` DATETIME(3) NOT NULL,

    INDEX `discrepancy_events_discrepancy_id_id_idx`(`discrepancy_id`, `id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `inbox_messages` (
    `message_id` VARCHAR(64) NOT NULL,
    `debtor_id` INTEGER NOT NULL,
    `outcome` VARCHAR(16) NOT NULL,
    `processed_at` DATETIME(3) NOT NULL,
    `applied_at` DATETIME(3) NOT NULL,

    PRIMARY KEY (`message_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `poison_messages` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `sqs_message_id` VARCHAR(128) NOT NULL,
    `message_id` VARCHAR(64) NULL,
    `body` MEDIUMTEXT NOT NULL,
    `reason` TEXT NOT NULL,
    `receive_count` INTEGER NULL,
    `first_recorded_at` DATETIME(3) NOT NULL,
    `last_recorded_at` DATETIME(3) NOT NULL,

    UNIQUE INDEX `poison_messages_sqs_message_id_key`(`sqs_message_id`),
    INDEX `poison_messages_first_recorded_at_idx`(`first_recorded_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `discrepancy_events` ADD CONSTRAINT `discrepancy_events_discrepancy_id_fkey` FOREIGN KEY (`discrepancy_id`) REFERENCES `discrepancy_records`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;

-- Audit rows are append-only (domain.md §8): the database refuses to change or remove them.
CREATE TRIGGER `discrepancy_events_no_update` BEFORE UPDATE ON `discrepancy_events`
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'discrepancy_events is append-only';

CREATE TRIGGER `discrepancy_events_no_delete` BEFORE DELETE ON `discrepancy_events`
FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'discrepancy_events is append-only';
