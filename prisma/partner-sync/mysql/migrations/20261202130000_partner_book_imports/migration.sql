-- AlterTable
ALTER TABLE `partner_sync_records` ADD COLUMN `pending_reason` VARCHAR(32) NULL;

-- AlterTable
ALTER TABLE `partner_records` ADD COLUMN `import_id` INTEGER NULL,
    ADD COLUMN `reference` VARCHAR(64) NULL,
    ADD COLUMN `as_of` VARCHAR(10) NULL;

-- CreateTable
CREATE TABLE `partner_book_imports` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `partner_name` VARCHAR(64) NOT NULL,
    `sha256` CHAR(64) NULL,
    `state` VARCHAR(16) NOT NULL,
    `rows` INTEGER NOT NULL DEFAULT 0,
    `as_of` VARCHAR(10) NULL,
    `imported_by` VARCHAR(64) NOT NULL,
    `imported_at` DATETIME(3) NOT NULL,
    `completed_at` DATETIME(3) NULL,
    `reconciled_through` INTEGER NOT NULL DEFAULT 0,
    `summary` TEXT NULL,

    INDEX `partner_book_imports_partner_name_state_idx`(`partner_name`, `state`),
    UNIQUE INDEX `partner_book_imports_partner_name_sha256_key`(`partner_name`, `sha256`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `partner_book_staged_rows` (
    `import_id` INTEGER NOT NULL,
    `debtor_id` INTEGER NOT NULL,
    `balance` DECIMAL(15, 2) NOT NULL,
    `status` VARCHAR(16) NOT NULL,
    `reference` VARCHAR(64) NULL,
    `as_of` VARCHAR(10) NULL,

    PRIMARY KEY (`import_id`, `debtor_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateIndex
CREATE INDEX `partner_records_partner_name_debtor_id_idx` ON `partner_records`(`partner_name`, `debtor_id`);
