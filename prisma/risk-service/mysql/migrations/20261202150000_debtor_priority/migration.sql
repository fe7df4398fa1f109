-- The worklist's stored priority (issue 14): debtors.priority = domain.md §4's heap priority in
-- score-cents, i.e. debt in cents × the stored total score, or × a fresh score (the CASE below is
-- risk-scorer.ts in SQL) for a debtor never scored; NULL when the stored data cannot be scored.
-- Triggers keep it current on every write to debtors and risk_scores, whoever makes it; the
-- column is backfilled here. test/debtor-priority.int.spec.ts compares it with the TypeScript
-- scorer on generated and hand-written rows, on both databases.
-- On MySQL the debtors triggers set NEW.priority before the row is written; a change of score
-- touches its debtor row (the NULL written there is never kept), whose BEFORE UPDATE trigger
-- recomputes it from the debtor and its score. A score equal to the one the priority already holds
-- (a run re-scoring unchanged debtors, the generator scoring what it just inserted) leaves the
-- debtor row alone: no write, no index move.

-- AlterTable
ALTER TABLE `debtors` ADD COLUMN `priority` BIGINT NULL;

-- Backfill
UPDATE `debtors` d SET d.`priority` = CASE WHEN d.`total_debt_amount` < 0 OR d.`monthly_income` < 0 OR d.`late_payments_count` < 0 THEN NULL
  ELSE CAST(ROUND(d.`total_debt_amount` * 100) AS SIGNED) * COALESCE(
    (SELECT s.`total_score` FROM `risk_scores` s WHERE s.`debtor_id` = d.`id`),
    9 * (CASE WHEN CAST(ROUND(d.`monthly_income` * 100) AS SIGNED) <= 0 THEN 10 WHEN CAST(ROUND(d.`total_debt_amount` * 100) AS SIGNED) <= CAST(ROUND(d.`monthly_income` * 100) AS SIGNED) THEN 2 WHEN CAST(ROUND(d.`total_debt_amount` * 100) AS SIGNED) <= 3 * CAST(ROUND(d.`monthly_income` * 100) AS SIGNED) THEN 5 WHEN CAST(ROUND(d.`total_debt_amount` * 100) AS SIGNED) <= 6 * CAST(ROUND(d.`monthly_income` * 100) AS SIGNED) THEN 7 ELSE 10 END)
    + 9 * (CASE WHEN d.`late_payments_count` <= 0 THEN 1 WHEN d.`late_payments_count` <= 2 THEN 4 WHEN d.`late_payments_count` <= 5 THEN 7 ELSE 10 END)
    + 8 * (CASE BINARY d.`employment_status` WHEN 'EMPLOYED' THEN 2 WHEN 'GOVERNMENT_EMPLOYED' THEN 1 WHEN 'SELF_EMPLOYED' THEN 5 WHEN 'RETIRED' THEN 4 WHEN 'UNEMPLOYED' THEN 9 WHEN 'STUDENT' THEN 7 ELSE 5 END)
    + 7 * (CASE BINARY d.`contract_type` WHEN 'PERMANENT' THEN 2 WHEN 'CONTRACT' THEN 5 WHEN 'TEMPORARY' THEN 7 WHEN 'FREELANCE' THEN 8 ELSE 5 END)
    + 6 * (CASE BINARY d.`industry_sector` WHEN 'GOVERNMENT' THEN 1 WHEN 'HEALTHCARE' THEN 2 WHEN 'UTILITIES' THEN 2 WHEN 'EDUCATION' THEN 2 WHEN 'INSURANCE' THEN 3 WHEN 'TECHNOLOGY' THEN 3 WHEN 'FINANCE' THEN 4 WHEN 'PROFESSIONAL_SERVICES' THEN 4 WHEN 'TELECOMMUNICATIONS' THEN 4 WHEN 'MANUFACTURING' THEN 5 WHEN 'TRANSPORTATION' THEN 5 WHEN 'ENERGY' THEN 6 WHEN 'RETAIL' THEN 7 WHEN 'REAL_ESTATE' THEN 7 WHEN 'HOSPITALITY' THEN 8 WHEN 'CONSTRUCTION' THEN 8 WHEN 'ENTERTAINMENT' THEN 9 ELSE 5 END)
    + 6 * (CASE BINARY d.`family_situation` WHEN 'MARRIED_DUAL_INCOME' THEN 1 WHEN 'MARRIED_SINGLE_INCOME' THEN 3 WHEN 'SINGLE_NO_DEPENDENTS' THEN 4 WHEN 'UNMARRIED_LIVING_TOGETHER' THEN 5 WHEN 'DIVORCED_NO_DEPENDENTS' THEN 5 WHEN 'SINGLE_WITH_DEPENDENTS' THEN 8 WHEN 'DIVORCED_WITH_DEPENDENTS' THEN 9 WHEN 'WIDOWED_WITH_DEPENDENTS' THEN 9 ELSE 5 END)
  ) END;

-- CreateIndex
CREATE INDEX `debtors_priority_id_idx` ON `debtors`(`priority` DESC, `id`);

-- The high-risk list pages highest score first, ties on the lower id: one index walk, no sort.
DROP INDEX `risk_scores_total_score_debtor_id_idx` ON `risk_scores`;
CREATE INDEX `risk_scores_total_score_debtor_id_idx` ON `risk_scores`(`total_score` DESC, `debtor_id`);

CREATE TRIGGER `debtors_priority_before_insert` BEFORE INSERT ON `debtors`
FOR EACH ROW SET NEW.`priority` = CASE WHEN NEW.`total_debt_amount` < 0 OR NEW.`monthly_income` < 0 OR NEW.`late_payments_count` < 0 THEN NULL
  ELSE CAST(ROUND(NEW.`total_debt_amount` * 100) AS SIGNED) * COALESCE(
    (SELECT s.`total_score` FROM `risk_scores` s WHERE s.`debtor_id` = NEW.`id`),
    9 * (CASE WHEN CAST(ROUND(NEW.`monthly_income` * 100) AS SIGNED) <= 0 THEN 10 WHEN CAST(ROUND(NEW.`total_debt_amount` * 100) AS SIGNED) <= CAST(ROUND(NEW.`monthly_income` * 100) AS SIGNED) THEN 2 WHEN CAST(ROUND(NEW.`total_debt_amount` * 100) AS SIGNED) <= 3 * CAST(ROUND(NEW.`monthly_income` * 100) AS SIGNED) THEN 5 WHEN CAST(ROUND(NEW.`total_debt_amount` * 100) AS SIGNED) <= 6 * CAST(ROUND(NEW.`monthly_income` * 100) AS SIGNED) THEN 7 ELSE 10 END)
    + 9 * (CASE WHEN NEW.`late_payments_count` <= 0 THEN 1 WHEN NEW.`late_payments_count` <= 2 THEN 4 WHEN NEW.`late_payments_count` <= 5 THEN 7 ELSE 10 END)
    + 8 * (CASE BINARY NEW.`employment_status` WHEN 'EMPLOYED' THEN 2 WHEN 'GOVERNMENT_EMPLOYED' THEN 1 WHEN 'SELF_EMPLOYED' THEN 5 WHEN 'RETIRED' THEN 4 WHEN 'UNEMPLOYED' THEN 9 WHEN 'STUDENT' THEN 7 ELSE 5 END)
    + 7 * (CASE BINARY NEW.`contract_type` WHEN 'PERMANENT' THEN 2 WHEN 'CONTRACT' THEN 5 WHEN 'TEMPORARY' THEN 7 WHEN 'FREELANCE' THEN 8 ELSE 5 END)
    + 6 * (CASE BINARY NEW.`industry_sector` WHEN 'GOVERNMENT' THEN 1 WHEN 'HEALTHCARE' THEN 2 WHEN 'UTILITIES' THEN 2 WHEN 'EDUCATION' THEN 2 WHEN 'INSURANCE' THEN 3 WHEN 'TECHNOLOGY' THEN 3 WHEN 'FINANCE' THEN 4 WHEN 'PROFESSIONAL_SERVICES' THEN 4 WHEN 'TELECOMMUNICATIONS' THEN 4 WHEN 'MANUFACTURING' THEN 5 WHEN 'TRANSPORTATION' THEN 5 WHEN 'ENERGY' THEN 6 WHEN 'RETAIL' THEN 7 WHEN 'REAL_ESTATE' THEN 7 WHEN 'HOSPITALITY' THEN 8 WHEN 'CONSTRUCTION' THEN 8 WHEN 'ENTERTAINMENT' THEN 9 ELSE 5 END)
    + 6 * (CASE BINARY NEW.`family_situation` WHEN 'MARRIED_DUAL_INCOME' THEN 1 WHEN 'MARRIED_SINGLE_INCOME' THEN 3 WHEN 'SINGLE_NO_DEPENDENTS' THEN 4 WHEN 'UNMARRIED_LIVING_TOGETHER' THEN 5 WHEN 'DIVORCED_NO_DEPENDENTS' THEN 5 WHEN 'SINGLE_WITH_DEPENDENTS' THEN 8 WHEN 'DIVORCED_WITH_DEPENDENTS' THEN 9 WHEN 'WIDOWED_WITH_DEPENDENTS' THEN 9 ELSE 5 END)
  ) END;

CREATE TRIGGER `debtors_priority_before_update` BEFORE UPDATE ON `debtors`
FOR EACH ROW SET NEW.`priority` = CASE WHEN NEW.`total_debt_amount` < 0 OR NEW.`monthly_income` < 0 OR NEW.`late_payments_count` < 0 THEN NULL
  ELSE CAST(ROUND(NEW.`total_debt_amount` * 100) AS SIGNED) * COALESCE(
    (SELECT s.`total_score` FROM `risk_scores` s WHERE s.`debtor_id` = NEW.`id`),
    9 * (CASE WHEN CAST(ROUND(NEW.`monthly_income` * 100) AS SIGNED) <= 0 THEN 10 WHEN CAST(ROUND(NEW.`total_debt_amount` * 100) AS SIGNED) <= CAST(ROUND(NEW.`monthly_income` * 100) AS SIGNED) THEN 2 WHEN CAST(ROUND(NEW.`total_debt_amount` * 100) AS SIGNED) <= 3 * CAST(ROUND(NEW.`monthly_income` * 100) AS SIGNED) THEN 5 WHEN CAST(ROUND(NEW.`total_debt_amount` * 100) AS SIGNED) <= 6 * CAST(ROUND(NEW.`monthly_income` * 100) AS SIGNED) THEN 7 ELSE 10 END)
    + 9 * (CASE WHEN NEW.`late_payments_count` <= 0 THEN 1 WHEN NEW.`late_payments_count` <= 2 THEN 4 WHEN NEW.`late_payments_count` <= 5 THEN 7 ELSE 10 END)
    + 8 * (CASE BINARY NEW.`employment_status` WHEN 'EMPLOYED' THEN 2 WHEN 'GOVERNMENT_EMPLOYED' THEN 1 WHEN 'SELF_EMPLOYED' THEN 5 WHEN 'RETIRED' THEN 4 WHEN 'UNEMPLOYED' THEN 9 WHEN 'STUDENT' THEN 7 ELSE 5 END)
    + 7 * (CASE BINARY NEW.`contract_type` WHEN 'PERMANENT' THEN 2 WHEN 'CONTRACT' THEN 5 WHEN 'TEMPORARY' THEN 7 WHEN 'FREELANCE' THEN 8 ELSE 5 END)
    + 6 * (CASE BINARY NEW.`industry_sector` WHEN 'GOVERNMENT' THEN 1 WHEN 'HEALTHCARE' THEN 2 WHEN 'UTILITIES' THEN 2 WHEN 'EDUCATION' THEN 2 WHEN 'INSURANCE' THEN 3 WHEN 'TECHNOLOGY' THEN 3 WHEN 'FINANCE' THEN 4 WHEN 'PROFESSIONAL_SERVICES' THEN 4 WHEN 'TELECOMMUNICATIONS' THEN 4 WHEN 'MANUFACTURING' THEN 5 WHEN 'TRANSPORTATION' THEN 5 WHEN 'ENERGY' THEN 6 WHEN 'RETAIL' THEN 7 WHEN 'REAL_ESTATE' THEN 7 WHEN 'HOSPITALITY' THEN 8 WHEN 'CONSTRUCTION' THEN 8 WHEN 'ENTERTAINMENT' THEN 9 ELSE 5 END)
    + 6 * (CASE BINARY NEW.`family_situation` WHEN 'MARRIED_DUAL_INCOME' THEN 1 WHEN 'MARRIED_SINGLE_INCOME' THEN 3 WHEN 'SINGLE_NO_DEPENDENTS' THEN 4 WHEN 'UNMARRIED_LIVING_TOGETHER' THEN 5 WHEN 'DIVORCED_NO_DEPENDENTS' THEN 5 WHEN 'SINGLE_WITH_DEPENDENTS' THEN 8 WHEN 'DIVORCED_WITH_DEPENDENTS' THEN 9 WHEN 'WIDOWED_WITH_DEPENDENTS' THEN 9 ELSE 5 END)
  ) END;

CREATE TRIGGER `risk_scores_priority_after_insert` AFTER INSERT ON `risk_scores`
FOR EACH ROW UPDATE `debtors` SET `priority` = NULL
  WHERE `id` = NEW.`debtor_id` AND NOT (`priority` <=> CAST(ROUND(`total_debt_amount` * 100) AS SIGNED) * NEW.`total_score`);

CREATE TRIGGER `risk_scores_priority_after_update` AFTER UPDATE ON `risk_scores`
FOR EACH ROW UPDATE `debtors` SET `priority` = NULL
  WHERE `id` IN (OLD.`debtor_id`, NEW.`debtor_id`)
    AND (`id` <> NEW.`debtor_id` OR NOT (`priority` <=> CAST(ROUND(`total_debt_amount` * 100) AS SIGNED) * NEW.`total_score`));

CREATE TRIGGER `risk_scores_priority_after_delete` AFTER DELETE ON `risk_scores`
FOR EACH ROW UPDATE `debtors` SET `priority` = NULL WHERE `id` = OLD.`debtor_id`;

-- CreateTable: the heap's size and the unscorable count, one row, kept by the triggers below.
CREATE TABLE `debtor_priority_counts` (
    `id` INTEGER NOT NULL,
    `ranked` INTEGER NOT NULL,
    `unrankable` INTEGER NOT NULL,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

INSERT INTO `debtor_priority_counts` (`id`, `ranked`, `unrankable`)
SELECT 1, COUNT(`priority`), COUNT(*) - COUNT(`priority`) FROM `debtors`;

CREATE TRIGGER `debtors_priority_count_after_insert` AFTER INSERT ON `debtors`
FOR EACH ROW UPDATE `debtor_priority_counts`
  SET `ranked` = `ranked` + (NEW.`priority` IS NOT NULL), `unrankable` = `unrankable` + (NEW.`priority` IS NULL)
  WHERE `id` = 1;

-- Only a change between NULL and a value moves the counts; the constant condition keeps every
-- other update of a debtor away from the counter row.
CREATE TRIGGER `debtors_priority_count_after_update` AFTER UPDATE ON `debtors`
FOR EACH ROW UPDATE `debtor_priority_counts`
  SET `ranked` = `ranked` + (NEW.`priority` IS NOT NULL) - (OLD.`priority` IS NOT NULL),
      `unrankable` = `unrankable` + (NEW.`priority` IS NULL) - (OLD.`priority` IS NULL)
  WHERE `id` = 1 AND ((NEW.`priority` IS NULL) <> (OLD.`priority` IS NULL));

CREATE TRIGGER `debtors_priority_count_after_delete` AFTER DELETE ON `debtors`
FOR EACH ROW UPDATE `debtor_priority_counts`
  SET `ranked` = `ranked` - (OLD.`priority` IS NOT NULL), `unrankable` = `unrankable` - (OLD.`priority` IS NULL)
  WHERE `id` = 1;
