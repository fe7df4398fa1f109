-- CreateIndex
CREATE INDEX `risk_scores_total_score_debtor_id_idx` ON `risk_scores`(`total_score`, `debtor_id`);
