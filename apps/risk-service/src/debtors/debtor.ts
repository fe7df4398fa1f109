/**
 * A stored debtor (domain.md §1), money in integer cents. Categorical values are plain strings:
 * rows written by older versions or by hand may hold values the API no longer accepts.
 */
export interface Debtor {
  id: number;
  name: string;
  totalDebtCents: number;
  monthlyIncomeCents: number;
  latePaymentsCount: number;
  employmentStatus: string;
  contractType: string;
  industrySector: string;
  familySituation: string;
  paymentStatus: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What a caller gives to create or replace a debtor: everything the database does not assign. */
export type DebtorFields = Omit<Debtor, "id" | "createdAt" | "updatedAt">;
