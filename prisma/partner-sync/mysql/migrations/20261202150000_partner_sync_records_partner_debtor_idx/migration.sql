-- CreateIndex
CREATE INDEX `partner_sync_records_partner_name_debtor_id_idx` ON `partner_sync_records`(`partner_name`, `debtor_id`);
