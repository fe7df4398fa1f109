// partner-sync's SQL helpers are db-kit's one dialect module; this file goes once its callers
// import them from @smartrecover/db-kit directly.
export { forUpdate, inList, moneyText, placeholders, upsertSql } from "@smartrecover/db-kit";
