/** Delegate methods whose types line up across a service's two generated clients (aggregate/groupBy do not). */
export type CommonMethod =
  | "findUnique"
  | "findUniqueOrThrow"
  | "findFirst"
  | "findFirstOrThrow"
  | "findMany"
  | "create"
  | "createMany"
  | "update"
  | "updateMany"
  | "upsert"
  | "delete"
  | "deleteMany"
  | "count";

/**
 * A client type both generated Prisma clients (SQLite and MySQL) of one service satisfy, for the
 * given models: a union of the two client types does not typecheck, this mapped type does, with no casts.
 */
export type CommonPrismaClient<Sqlite, Mysql, Model extends keyof Sqlite & keyof Mysql> = {
  [K in Model]: Pick<Sqlite[K], Extract<CommonMethod, keyof Sqlite[K] & keyof Mysql[K]>>;
};
