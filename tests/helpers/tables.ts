/** Every table's rows of a database, in a fixed order: to compare two databases' contents; the tables holding a text. */
import type { DataSource } from 'typeorm';

/**
 * The rows of each table of the public schema, sorted on all their columns; `skip` leaves out tables and
 * columns (e.g. the bookkeeping an import or revert rightly moves on).
 */
export async function tableContents(
  db: DataSource,
  skip: { tables?: readonly string[]; columns?: readonly string[] } = {},
): Promise<Record<string, unknown[]>> {
  const columns: Array<{ table_name: string; column_name: string }> = await db.query(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  const byTable = new Map<string, string[]>();
  for (const c of columns) {
    if (skip.tables?.includes(c.table_name) || skip.columns?.includes(c.column_name)) continue;
    byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), `"${c.column_name}"`]);
  }
  const result: Record<string, unknown[]> = {};
  for (const [table, cols] of byTable) {
    result[table] = await db.query(`SELECT ${cols.join(', ')} FROM "${table}" ORDER BY ${cols.map((_c, i) => i + 1).join(', ')}`);
  }
  return result;
}

/** The tables of a database whose rows, as text, contain `marker` (what an erasure must leave nowhere). */
export async function tablesHolding(db: DataSource, marker: string): Promise<string[]> {
  const tables: Array<{ name: string }> = await db.query(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`);
  const holding: string[] = [];
  for (const { name } of tables) {
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM "${name}" t WHERE strpos(t::text, $1) > 0`, [marker]);
    if (n > 0) holding.push(name);
  }
  return holding;
}
