-- CreateTable
CREATE TABLE `debtors` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(255) NOT NULL,
    `total_debt_amount` DECIMAL(12, 2) NOT NULL,
    `monthly_income` DECIMAL(14, 2) NOT NULL,
    `late_payments_count` INTEGER NOT NULL,
    `employment_status` VARCHAR(32) NOT NULL,
    `contract_type` VARCHAR(32) NOT NULL DEFAULT 'PERMANENT',
    `industry_sector` VARCHAR(32) NOT NULL,
    `family_situation` VARCHAR(32) NOT NULL,
    `payment_status` VARCHAR(16) NOT NULL DEFAULT 'UNPAID',
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL,

    INDEX `debtors_payment_status_idx`(`payment_status`),
    INDEX `debtors_total_debt_amount_idx`(`total_debt_amount`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `risk_scores` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `debtor_id` INTEGER NOT NULL,
    `total_score` INTEGER NOT NULL,
    `risk_level` VARCHAR(16) NOT NULL,
    `factor_breakdown` TEXT NOT NULL,
    `calculated_at` DATETIME(3) NOT NULL,

    UNIQUE INDEX `risk_scores_debtor_id_key`(`debtor_id`),
    INDEX `risk_scores_risk_level_total_score_idx`(`risk_level`, `total_score`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `processing_runs` (
    `id` VARCHAR(36) NOT NULL,
    `status` VARCHAR(16) NOT NULL,
    `dry_run` BOOLEAN NOT NULL DEFAULT false,
    `batch_size` INTEGER NOT NULL,
    `threshold` DECIMAL(20, 2) NOT NULL,
    `heap_size` INTEGER NOT NULL DEFAULT 0,
    `debtors_processed` INTEGER NOT NULL DEFAULT 0,
    `high_priority_count` INTEGER NOT NULL DEFAULT 0,
    `batches_processed` INTEGER NOT NULL DEFAULT 0,
    `errors_count` INTEGER NOT NULL DEFAULT 0,
    `messages_queued` INTEGER NOT NULL DEFAULT 0,
    `report` TEXT NULL,
    `failure_reason` TEXT NULL,
    `started_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `finished_at` DATETIME(3) NULL,

    INDEX `processing_runs_started_at_idx`(`started_at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `processing_errors` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `run_id` VARCHAR(36) NOT NULL,
    `debtor_id` INTEGER NULL,
    `stage` VARCHAR(32) NOT NULL,
    `message` TEXT NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    INDEX `processing_errors_run_id_idx`(`run_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `outbox_messages` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `message_id` VARCHAR(64) NOT NULL,
    `run_id` VARCHAR(36) NOT NULL,
    `debtor_id` INTEGER NOT NULL,
    `payload` TEXT NOT NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `published_at` DATETIME(3) NULL,
    `attempts` INTEGER NOT NULL DEFAULT 0,
    `last_error` TEXT NULL,

    UNIQUE INDEX `outbox_messages_message_id_key`(`message_id`),
    INDEX `outbox_messages_published_at_id_idx`(`published_at`, `id`),
    INDEX `outbox_messages_run_id_idx`(`run_id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `risk_scores` ADD CONSTRAINT `risk_scores_debtor_id_fkey` FOREIGN KEY (`debtor_id`) REFERENCES `debtors`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE `processing_errors` ADD CONSTRAINT `processing_errors_run_id_fkey` FOREIGN KEY (`run_id`) REFERENCES `processing_runs`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
