/**
 * Backup and restore of every table, row by row, as the service holds them: every partition,
 * every row, every property with its Edm type. The file is JSON Lines: a header line (format,
 * version, time, table prefix, tables, row counts), then one line per row. The system columns are
 * not kept: the service sets `Timestamp` and the ETag anew when a row is restored.
 *
 * What leaves this module is plain data (`BackupRow`), never a `TableEntity`; files are the
 * caller's business (cli/backup-file.ts).
 */
export * from './format';
export { annotateDoubles, backupTables, readTable, tablesWithRows } from './read';
export * from './restore';
