-- CreateTable
CREATE TABLE `console_users` (
    `name` VARCHAR(64) NOT NULL,
    `role` VARCHAR(16) NOT NULL,
    `password_hash` VARCHAR(255) NOT NULL,
    `disabled` BOOLEAN NOT NULL DEFAULT false,
    `created_at` DATETIME(3) NOT NULL,
    `failed_count` INTEGER NOT NULL DEFAULT 0,
    `first_failed_at` DATETIME(3) NULL,
    `locked_until` DATETIME(3) NULL,

    PRIMARY KEY (`name`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `console_sessions` (
    `id_hash` VARCHAR(64) NOT NULL,
    `subject` VARCHAR(64) NOT NULL,
    `role` VARCHAR(16) NOT NULL,
    `source` VARCHAR(8) NOT NULL,
    `csrf_token` VARCHAR(64) NOT NULL,
    `created_at` DATETIME(3) NOT NULL,
    `expires_at` DATETIME(3) NOT NULL,
    `upstream_secret` TEXT NULL,

    INDEX `console_sessions_subject_idx`(`subject`),
    INDEX `console_sessions_expires_at_idx`(`expires_at`),
    PRIMARY KEY (`id_hash`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
