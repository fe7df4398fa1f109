// Bounds of the MySQL connection pool, apart from the driver's module so that the main entry can
// export them without loading the driver.
export const DEFAULT_POOL_SIZE = 5;
export const MAX_POOL_SIZE = 100;
