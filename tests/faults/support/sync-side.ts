import { openServiceDatabase, type ServiceDatabase } from "@smartrecover/db-kit";
import { PARTNER_SYNC_MIGRATIONS_ROOT } from "@smartrecover/partner-sync/service";

/** partner-sync's database as the specs read it: migrated, through the one executor (no Prisma). */
export function openSyncDatabase(url: string): Promise<ServiceDatabase> {
  return openServiceDatabase({ url, migrationsRoot: PARTNER_SYNC_MIGRATIONS_ROOT });
}

/** Messages partner-sync has handled (applied or recognised as stale). */
export async function inboxCount(sync: ServiceDatabase): Promise<number> {
  const [row] = await sync.query<{ n: number | bigint }>("SELECT COUNT(*) AS n FROM inbox_messages");
  return Number(row?.n ?? 0);
}

export async function poisonCount(sync: ServiceDatabase): Promise<number> {
  const [row] = await sync.query<{ n: number | bigint }>("SELECT COUNT(*) AS n FROM poison_messages");
  return Number(row?.n ?? 0);
}

/** Each debtor's sync record: the message it ends on. */
export async function lastMessages(sync: ServiceDatabase): Promise<Array<{ debtorId: number; lastMessageId: string }>> {
  const rows = await sync.query<{ debtor_id: number; last_message_id: string }>(
    "SELECT debtor_id, last_message_id FROM partner_sync_records ORDER BY debtor_id",
  );
  return rows.map((row) => ({ debtorId: Number(row.debtor_id), lastMessageId: row.last_message_id }));
}

export function poisonRecords(sync: ServiceDatabase): Promise<Array<{ body: string; reason: string }>> {
  return sync.query("SELECT body, reason FROM poison_messages ORDER BY id");
}
