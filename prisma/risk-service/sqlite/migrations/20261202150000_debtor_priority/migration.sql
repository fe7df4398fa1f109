-- The worklist's stored priority (issue 14): debtors.priority = domain.md §4's heap priority in
-- score-cents, i.e. debt in cents × the stored total score, or × a fresh score (the CASE below is
-- risk-scorer.ts in SQL) for a debtor never scored; NULL when the stored data cannot be scored.
-- Triggers keep it current on every write to debtors and risk_scores, whoever makes it; the
-- column is backfilled here. test/debtor-priority.int.spec.ts compares it with the TypeScript
-- scorer on generated and hand-written rows, on both databases.

-- AlterTable
ALTER TABLE "debtors" ADD COLUMN "priority" BIGINT;

-- Backfill
UPDATE "debtors" SET "priority" = CASE WHEN "debtors"."total_debt_amount" < 0 OR "debtors"."monthly_income" < 0 OR "debtors"."late_payments_count" < 0 THEN NULL
  ELSE CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) * COALESCE(
    (SELECT s."total_score" FROM "risk_scores" s WHERE s."debtor_id" = "debtors"."id"),
    9 * (CASE WHEN CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) <= 0 THEN 10 WHEN CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) <= CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) THEN 2 WHEN CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) <= 3 * CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) THEN 5 WHEN CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) <= 6 * CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) THEN 7 ELSE 10 END)
    + 9 * (CASE WHEN "debtors"."late_payments_count" <= 0 THEN 1 WHEN "debtors"."late_payments_count" <= 2 THEN 4 WHEN "debtors"."late_payments_count" <= 5 THEN 7 ELSE 10 END)
    + 8 * (CASE "debtors"."employment_status" WHEN 'EMPLOYED' THEN 2 WHEN 'GOVERNMENT_EMPLOYED' THEN 1 WHEN 'SELF_EMPLOYED' THEN 5 WHEN 'RETIRED' THEN 4 WHEN 'UNEMPLOYED' THEN 9 WHEN 'STUDENT' THEN 7 ELSE 5 END)
    + 7 * (CASE "debtors"."contract_type" WHEN 'PERMANENT' THEN 2 WHEN 'CONTRACT' THEN 5 WHEN 'TEMPORARY' THEN 7 WHEN 'FREELANCE' THEN 8 ELSE 5 END)
    + 6 * (CASE "debtors"."industry_sector" WHEN 'GOVERNMENT' THEN 1 WHEN 'HEALTHCARE' THEN 2 WHEN 'UTILITIES' THEN 2 WHEN 'EDUCATION' THEN 2 WHEN 'INSURANCE' THEN 3 WHEN 'TECHNOLOGY' THEN 3 WHEN 'FINANCE' THEN 4 WHEN 'PROFESSIONAL_SERVICES' THEN 4 WHEN 'TELECOMMUNICATIONS' THEN 4 WHEN 'MANUFACTURING' THEN 5 WHEN 'TRANSPORTATION' THEN 5 WHEN 'ENERGY' THEN 6 WHEN 'RETAIL' THEN 7 WHEN 'REAL_ESTATE' THEN 7 WHEN 'HOSPITALITY' THEN 8 WHEN 'CONSTRUCTION' THEN 8 WHEN 'ENTERTAINMENT' THEN 9 ELSE 5 END)
    + 6 * (CASE "debtors"."family_situation" WHEN 'MARRIED_DUAL_INCOME' THEN 1 WHEN 'MARRIED_SINGLE_INCOME' THEN 3 WHEN 'SINGLE_NO_DEPENDENTS' THEN 4 WHEN 'UNMARRIED_LIVING_TOGETHER' THEN 5 WHEN 'DIVORCED_NO_DEPENDENTS' THEN 5 WHEN 'SINGLE_WITH_DEPENDENTS' THEN 8 WHEN 'DIVORCED_WITH_DEPENDENTS' THEN 9 WHEN 'WIDOWED_WITH_DEPENDENTS' THEN 9 ELSE 5 END)
  ) END;

-- CreateIndex
CREATE INDEX "debtors_priority_id_idx" ON "debtors"("priority" DESC, "id");

-- The high-risk list pages highest score first, ties on the lower id: one index walk, no sort.
DROP INDEX "risk_scores_total_score_debtor_id_idx";
CREATE INDEX "risk_scores_total_score_debtor_id_idx" ON "risk_scores"("total_score" DESC, "debtor_id");

CREATE TRIGGER "debtors_priority_after_insert" AFTER INSERT ON "debtors"
BEGIN
  UPDATE "debtors" SET "priority" = CASE WHEN "debtors"."total_debt_amount" < 0 OR "debtors"."monthly_income" < 0 OR "debtors"."late_payments_count" < 0 THEN NULL
  ELSE CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) * COALESCE(
    (SELECT s."total_score" FROM "risk_scores" s WHERE s."debtor_id" = "debtors"."id"),
    9 * (CASE WHEN CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) <= 0 THEN 10 WHEN CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) <= CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) THEN 2 WHEN CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) <= 3 * CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) THEN 5 WHEN CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) <= 6 * CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) THEN 7 ELSE 10 END)
    + 9 * (CASE WHEN "debtors"."late_payments_count" <= 0 THEN 1 WHEN "debtors"."late_payments_count" <= 2 THEN 4 WHEN "debtors"."late_payments_count" <= 5 THEN 7 ELSE 10 END)
    + 8 * (CASE "debtors"."employment_status" WHEN 'EMPLOYED' THEN 2 WHEN 'GOVERNMENT_EMPLOYED' THEN 1 WHEN 'SELF_EMPLOYED' THEN 5 WHEN 'RETIRED' THEN 4 WHEN 'UNEMPLOYED' THEN 9 WHEN 'STUDENT' THEN 7 ELSE 5 END)
    + 7 * (CASE "debtors"."contract_type" WHEN 'PERMANENT' THEN 2 WHEN 'CONTRACT' THEN 5 WHEN 'TEMPORARY' THEN 7 WHEN 'FREELANCE' THEN 8 ELSE 5 END)
    + 6 * (CASE "debtors"."industry_sector" WHEN 'GOVERNMENT' THEN 1 WHEN 'HEALTHCARE' THEN 2 WHEN 'UTILITIES' THEN 2 WHEN 'EDUCATION' THEN 2 WHEN 'INSURANCE' THEN 3 WHEN 'TECHNOLOGY' THEN 3 WHEN 'FINANCE' THEN 4 WHEN 'PROFESSIONAL_SERVICES' THEN 4 WHEN 'TELECOMMUNICATIONS' THEN 4 WHEN 'MANUFACTURING' THEN 5 WHEN 'TRANSPORTATION' THEN 5 WHEN 'ENERGY' THEN 6 WHEN 'RETAIL' THEN 7 WHEN 'REAL_ESTATE' THEN 7 WHEN 'HOSPITALITY' THEN 8 WHEN 'CONSTRUCTION' THEN 8 WHEN 'ENTERTAINMENT' THEN 9 ELSE 5 END)
    + 6 * (CASE "debtors"."family_situation" WHEN 'MARRIED_DUAL_INCOME' THEN 1 WHEN 'MARRIED_SINGLE_INCOME' THEN 3 WHEN 'SINGLE_NO_DEPENDENTS' THEN 4 WHEN 'UNMARRIED_LIVING_TOGETHER' THEN 5 WHEN 'DIVORCED_NO_DEPENDENTS' THEN 5 WHEN 'SINGLE_WITH_DEPENDENTS' THEN 8 WHEN 'DIVORCED_WITH_DEPENDENTS' THEN 9 WHEN 'WIDOWED_WITH_DEPENDENTS' THEN 9 ELSE 5 END)
  ) END WHERE "id" = NEW."id";
END;

CREATE TRIGGER "debtors_priority_after_update" AFTER UPDATE OF "total_debt_amount", "monthly_income", "late_payments_count", "employment_status", "contract_type", "industry_sector", "family_situation" ON "debtors"
BEGIN
  UPDATE "debtors" SET "priority" = CASE WHEN "debtors"."total_debt_amount" < 0 OR "debtors"."monthly_income" < 0 OR "debtors"."late_payments_count" < 0 THEN NULL
  ELSE CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) * COALESCE(
    (SELECT s."total_score" FROM "risk_scores" s WHERE s."debtor_id" = "debtors"."id"),
    9 * (CASE WHEN CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) <= 0 THEN 10 WHEN CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) <= CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) THEN 2 WHEN CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) <= 3 * CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) THEN 5 WHEN CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) <= 6 * CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) THEN 7 ELSE 10 END)
    + 9 * (CASE WHEN "debtors"."late_payments_count" <= 0 THEN 1 WHEN "debtors"."late_payments_count" <= 2 THEN 4 WHEN "debtors"."late_payments_count" <= 5 THEN 7 ELSE 10 END)
    + 8 * (CASE "debtors"."employment_status" WHEN 'EMPLOYED' THEN 2 WHEN 'GOVERNMENT_EMPLOYED' THEN 1 WHEN 'SELF_EMPLOYED' THEN 5 WHEN 'RETIRED' THEN 4 WHEN 'UNEMPLOYED' THEN 9 WHEN 'STUDENT' THEN 7 ELSE 5 END)
    + 7 * (CASE "debtors"."contract_type" WHEN 'PERMANENT' THEN 2 WHEN 'CONTRACT' THEN 5 WHEN 'TEMPORARY' THEN 7 WHEN 'FREELANCE' THEN 8 ELSE 5 END)
    + 6 * (CASE "debtors"."industry_sector" WHEN 'GOVERNMENT' THEN 1 WHEN 'HEALTHCARE' THEN 2 WHEN 'UTILITIES' THEN 2 WHEN 'EDUCATION' THEN 2 WHEN 'INSURANCE' THEN 3 WHEN 'TECHNOLOGY' THEN 3 WHEN 'FINANCE' THEN 4 WHEN 'PROFESSIONAL_SERVICES' THEN 4 WHEN 'TELECOMMUNICATIONS' THEN 4 WHEN 'MANUFACTURING' THEN 5 WHEN 'TRANSPORTATION' THEN 5 WHEN 'ENERGY' THEN 6 WHEN 'RETAIL' THEN 7 WHEN 'REAL_ESTATE' THEN 7 WHEN 'HOSPITALITY' THEN 8 WHEN 'CONSTRUCTION' THEN 8 WHEN 'ENTERTAINMENT' THEN 9 ELSE 5 END)
    + 6 * (CASE "debtors"."family_situation" WHEN 'MARRIED_DUAL_INCOME' THEN 1 WHEN 'MARRIED_SINGLE_INCOME' THEN 3 WHEN 'SINGLE_NO_DEPENDENTS' THEN 4 WHEN 'UNMARRIED_LIVING_TOGETHER' THEN 5 WHEN 'DIVORCED_NO_DEPENDENTS' THEN 5 WHEN 'SINGLE_WITH_DEPENDENTS' THEN 8 WHEN 'DIVORCED_WITH_DEPENDENTS' THEN 9 WHEN 'WIDOWED_WITH_DEPENDENTS' THEN 9 ELSE 5 END)
  ) END WHERE "id" = NEW."id";
END;

-- A score equal to the one the priority already holds (a run re-scoring unchanged debtors, the
-- generator scoring what it just inserted) leaves the debtor row alone: no write, no index move.
CREATE TRIGGER "risk_scores_priority_after_insert" AFTER INSERT ON "risk_scores"
BEGIN
  UPDATE "debtors" SET "priority" = CASE WHEN "debtors"."total_debt_amount" < 0 OR "debtors"."monthly_income" < 0 OR "debtors"."late_payments_count" < 0 THEN NULL
  ELSE CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) * COALESCE(
    (SELECT s."total_score" FROM "risk_scores" s WHERE s."debtor_id" = "debtors"."id"),
    9 * (CASE WHEN CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) <= 0 THEN 10 WHEN CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) <= CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) THEN 2 WHEN CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) <= 3 * CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) THEN 5 WHEN CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) <= 6 * CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) THEN 7 ELSE 10 END)
    + 9 * (CASE WHEN "debtors"."late_payments_count" <= 0 THEN 1 WHEN "debtors"."late_payments_count" <= 2 THEN 4 WHEN "debtors"."late_payments_count" <= 5 THEN 7 ELSE 10 END)
    + 8 * (CASE "debtors"."employment_status" WHEN 'EMPLOYED' THEN 2 WHEN 'GOVERNMENT_EMPLOYED' THEN 1 WHEN 'SELF_EMPLOYED' THEN 5 WHEN 'RETIRED' THEN 4 WHEN 'UNEMPLOYED' THEN 9 WHEN 'STUDENT' THEN 7 ELSE 5 END)
    + 7 * (CASE "debtors"."contract_type" WHEN 'PERMANENT' THEN 2 WHEN 'CONTRACT' THEN 5 WHEN 'TEMPORARY' THEN 7 WHEN 'FREELANCE' THEN 8 ELSE 5 END)
    + 6 * (CASE "debtors"."industry_sector" WHEN 'GOVERNMENT' THEN 1 WHEN 'HEALTHCARE' THEN 2 WHEN 'UTILITIES' THEN 2 WHEN 'EDUCATION' THEN 2 WHEN 'INSURANCE' THEN 3 WHEN 'TECHNOLOGY' THEN 3 WHEN 'FINANCE' THEN 4 WHEN 'PROFESSIONAL_SERVICES' THEN 4 WHEN 'TELECOMMUNICATIONS' THEN 4 WHEN 'MANUFACTURING' THEN 5 WHEN 'TRANSPORTATION' THEN 5 WHEN 'ENERGY' THEN 6 WHEN 'RETAIL' THEN 7 WHEN 'REAL_ESTATE' THEN 7 WHEN 'HOSPITALITY' THEN 8 WHEN 'CONSTRUCTION' THEN 8 WHEN 'ENTERTAINMENT' THEN 9 ELSE 5 END)
    + 6 * (CASE "debtors"."family_situation" WHEN 'MARRIED_DUAL_INCOME' THEN 1 WHEN 'MARRIED_SINGLE_INCOME' THEN 3 WHEN 'SINGLE_NO_DEPENDENTS' THEN 4 WHEN 'UNMARRIED_LIVING_TOGETHER' THEN 5 WHEN 'DIVORCED_NO_DEPENDENTS' THEN 5 WHEN 'SINGLE_WITH_DEPENDENTS' THEN 8 WHEN 'DIVORCED_WITH_DEPENDENTS' THEN 9 WHEN 'WIDOWED_WITH_DEPENDENTS' THEN 9 ELSE 5 END)
  ) END WHERE "id" = NEW."debtor_id"
    AND "priority" IS NOT CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) * NEW."total_score";
END;

CREATE TRIGGER "risk_scores_priority_after_update" AFTER UPDATE OF "total_score", "debtor_id" ON "risk_scores"
BEGIN
  UPDATE "debtors" SET "priority" = CASE WHEN "debtors"."total_debt_amount" < 0 OR "debtors"."monthly_income" < 0 OR "debtors"."late_payments_count" < 0 THEN NULL
  ELSE CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) * COALESCE(
    (SELECT s."total_score" FROM "risk_scores" s WHERE s."debtor_id" = "debtors"."id"),
    9 * (CASE WHEN CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) <= 0 THEN 10 WHEN CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) <= CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) THEN 2 WHEN CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) <= 3 * CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) THEN 5 WHEN CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) <= 6 * CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) THEN 7 ELSE 10 END)
    + 9 * (CASE WHEN "debtors"."late_payments_count" <= 0 THEN 1 WHEN "debtors"."late_payments_count" <= 2 THEN 4 WHEN "debtors"."late_payments_count" <= 5 THEN 7 ELSE 10 END)
    + 8 * (CASE "debtors"."employment_status" WHEN 'EMPLOYED' THEN 2 WHEN 'GOVERNMENT_EMPLOYED' THEN 1 WHEN 'SELF_EMPLOYED' THEN 5 WHEN 'RETIRED' THEN 4 WHEN 'UNEMPLOYED' THEN 9 WHEN 'STUDENT' THEN 7 ELSE 5 END)
    + 7 * (CASE "debtors"."contract_type" WHEN 'PERMANENT' THEN 2 WHEN 'CONTRACT' THEN 5 WHEN 'TEMPORARY' THEN 7 WHEN 'FREELANCE' THEN 8 ELSE 5 END)
    + 6 * (CASE "debtors"."industry_sector" WHEN 'GOVERNMENT' THEN 1 WHEN 'HEALTHCARE' THEN 2 WHEN 'UTILITIES' THEN 2 WHEN 'EDUCATION' THEN 2 WHEN 'INSURANCE' THEN 3 WHEN 'TECHNOLOGY' THEN 3 WHEN 'FINANCE' THEN 4 WHEN 'PROFESSIONAL_SERVICES' THEN 4 WHEN 'TELECOMMUNICATIONS' THEN 4 WHEN 'MANUFACTURING' THEN 5 WHEN 'TRANSPORTATION' THEN 5 WHEN 'ENERGY' THEN 6 WHEN 'RETAIL' THEN 7 WHEN 'REAL_ESTATE' THEN 7 WHEN 'HOSPITALITY' THEN 8 WHEN 'CONSTRUCTION' THEN 8 WHEN 'ENTERTAINMENT' THEN 9 ELSE 5 END)
    + 6 * (CASE "debtors"."family_situation" WHEN 'MARRIED_DUAL_INCOME' THEN 1 WHEN 'MARRIED_SINGLE_INCOME' THEN 3 WHEN 'SINGLE_NO_DEPENDENTS' THEN 4 WHEN 'UNMARRIED_LIVING_TOGETHER' THEN 5 WHEN 'DIVORCED_NO_DEPENDENTS' THEN 5 WHEN 'SINGLE_WITH_DEPENDENTS' THEN 8 WHEN 'DIVORCED_WITH_DEPENDENTS' THEN 9 WHEN 'WIDOWED_WITH_DEPENDENTS' THEN 9 ELSE 5 END)
  ) END WHERE "id" IN (OLD."debtor_id", NEW."debtor_id")
    AND ("id" <> NEW."debtor_id" OR "priority" IS NOT CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) * NEW."total_score");
END;

CREATE TRIGGER "risk_scores_priority_after_delete" AFTER DELETE ON "risk_scores"
BEGIN
  UPDATE "debtors" SET "priority" = CASE WHEN "debtors"."total_debt_amount" < 0 OR "debtors"."monthly_income" < 0 OR "debtors"."late_payments_count" < 0 THEN NULL
  ELSE CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) * COALESCE(
    (SELECT s."total_score" FROM "risk_scores" s WHERE s."debtor_id" = "debtors"."id"),
    9 * (CASE WHEN CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) <= 0 THEN 10 WHEN CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) <= CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) THEN 2 WHEN CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) <= 3 * CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) THEN 5 WHEN CAST(ROUND("debtors"."total_debt_amount" * 100) AS INTEGER) <= 6 * CAST(ROUND("debtors"."monthly_income" * 100) AS INTEGER) THEN 7 ELSE 10 END)
    + 9 * (CASE WHEN "debtors"."late_payments_count" <= 0 THEN 1 WHEN "debtors"."late_payments_count" <= 2 THEN 4 WHEN "debtors"."late_payments_count" <= 5 THEN 7 ELSE 10 END)
    + 8 * (CASE "debtors"."employment_status" WHEN 'EMPLOYED' THEN 2 WHEN 'GOVERNMENT_EMPLOYED' THEN 1 WHEN 'SELF_EMPLOYED' THEN 5 WHEN 'RETIRED' THEN 4 WHEN 'UNEMPLOYED' THEN 9 WHEN 'STUDENT' THEN 7 ELSE 5 END)
    + 7 * (CASE "debtors"."contract_type" WHEN 'PERMANENT' THEN 2 WHEN 'CONTRACT' THEN 5 WHEN 'TEMPORARY' THEN 7 WHEN 'FREELANCE' THEN 8 ELSE 5 END)
    + 6 * (CASE "debtors"."industry_sector" WHEN 'GOVERNMENT' THEN 1 WHEN 'HEALTHCARE' THEN 2 WHEN 'UTILITIES' THEN 2 WHEN 'EDUCATION' THEN 2 WHEN 'INSURANCE' THEN 3 WHEN 'TECHNOLOGY' THEN 3 WHEN 'FINANCE' THEN 4 WHEN 'PROFESSIONAL_SERVICES' THEN 4 WHEN 'TELECOMMUNICATIONS' THEN 4 WHEN 'MANUFACTURING' THEN 5 WHEN 'TRANSPORTATION' THEN 5 WHEN 'ENERGY' THEN 6 WHEN 'RETAIL' THEN 7 WHEN 'REAL_ESTATE' THEN 7 WHEN 'HOSPITALITY' THEN 8 WHEN 'CONSTRUCTION' THEN 8 WHEN 'ENTERTAINMENT' THEN 9 ELSE 5 END)
    + 6 * (CASE "debtors"."family_situation" WHEN 'MARRIED_DUAL_INCOME' THEN 1 WHEN 'MARRIED_SINGLE_INCOME' THEN 3 WHEN 'SINGLE_NO_DEPENDENTS' THEN 4 WHEN 'UNMARRIED_LIVING_TOGETHER' THEN 5 WHEN 'DIVORCED_NO_DEPENDENTS' THEN 5 WHEN 'SINGLE_WITH_DEPENDENTS' THEN 8 WHEN 'DIVORCED_WITH_DEPENDENTS' THEN 9 WHEN 'WIDOWED_WITH_DEPENDENTS' THEN 9 ELSE 5 END)
  ) END WHERE "id" = OLD."debtor_id";
END;

-- CreateTable: the heap's size and the unscorable count, one row, kept by the triggers below.
CREATE TABLE "debtor_priority_counts" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "ranked" INTEGER NOT NULL,
    "unrankable" INTEGER NOT NULL
);

INSERT INTO "debtor_priority_counts" ("id", "ranked", "unrankable")
SELECT 1, COUNT("priority"), COUNT(*) - COUNT("priority") FROM "debtors";

CREATE TRIGGER "debtors_priority_count_after_insert" AFTER INSERT ON "debtors"
BEGIN
  UPDATE "debtor_priority_counts"
     SET "ranked" = "ranked" + (NEW."priority" IS NOT NULL), "unrankable" = "unrankable" + (NEW."priority" IS NULL)
   WHERE "id" = 1;
END;

CREATE TRIGGER "debtors_priority_count_after_update" AFTER UPDATE OF "priority" ON "debtors"
WHEN (OLD."priority" IS NULL) <> (NEW."priority" IS NULL)
BEGIN
  UPDATE "debtor_priority_counts"
     SET "ranked" = "ranked" + (NEW."priority" IS NOT NULL) - (OLD."priority" IS NOT NULL),
         "unrankable" = "unrankable" + (NEW."priority" IS NULL) - (OLD."priority" IS NULL)
   WHERE "id" = 1;
END;

CREATE TRIGGER "debtors_priority_count_after_delete" AFTER DELETE ON "debtors"
BEGIN
  UPDATE "debtor_priority_counts"
     SET "ranked" = "ranked" - (OLD."priority" IS NOT NULL), "unrankable" = "unrankable" - (OLD."priority" IS NULL)
   WHERE "id" = 1;
END;
