/**
 * `npm run import -- <kind> FILE.csv --token TOKEN [--dry-run] [--encoding utf-8|shift_jis]`, kinds: core-centers,
 * consultation-offices, bases, base-participants, checklist-template, councils, self-plan-rates;
 * loads a prefecture's survey answers into the database of the subgraph that owns them. All or
 * nothing: a file with any bad row is rejected with a report of every bad row. The token (or the
 * IMPORT_TOKEN variable) says who imports: PREFECTURE_STAFF for rows of their own prefecture, ADMIN for
 * any (and the only role for checklist templates). Uses DATABASE_URL, else the embedded PostgreSQL of
 * `npm start` (started for the import if it is not running). The file may be UTF-8 (with or without BOM)
 * or Shift_JIS / CP932 as Excel saves "CSV" on Japanese Windows: detected, or declared with --encoding.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { createTokenVerifier } from '../gateway/auth';
import { loadEmbeddedPostgresConfig, loadGatewayConfig, loadSubgraphConfig } from '../shared/config';
import { openDatabase } from '../shared/database';
import { createLogger } from '../shared/log';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../shared/embedded-postgres';
import { reportStartupFailure } from '../shared/main';
import type { ImportReport } from '../shared/csv-import';
import { type CsvEncoding, UndecodableFile, decodeCsv } from '../shared/csv';
import type { SubgraphDefinition, SubgraphImporter } from '../shared/subgraph';
import { SUBGRAPH_DEFINITIONS } from '../subgraphs';

/** Each kind of file, the subgraph whose database it goes to, and its importer (from the subgraph definitions). */
const IMPORTERS: Record<string, [SubgraphDefinition<unknown>, SubgraphImporter]> = Object.fromEntries(
  SUBGRAPH_DEFINITIONS.flatMap((definition) => Object.entries(definition.importers ?? {}).map(([kind, importer]) => [kind, [definition, importer]])),
);
const USAGE = `Usage: npm run import -- <${Object.keys(IMPORTERS).join('|')}> FILE.csv --token TOKEN [--dry-run] [--encoding utf-8|shift_jis]`;
/** What --encoding accepts (cp932 and sjis are the names staff know Shift_JIS by). */
const ENCODINGS: Record<string, CsvEncoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  shift_jis: 'shift_jis',
  'shift-jis': 'shift_jis',
  sjis: 'shift_jis',
  cp932: 'shift_jis',
};

/** A refusal to import, told to the user in one line. */
class ImportRefused extends Error {}

/** Who may import what: admins anything, prefectural staff their own prefecture's rows. */
async function importerScope(kind: string, token: string | undefined): Promise<{ actor: string; prefectures?: string[] }> {
  if (!token) throw new ImportRefused('imports need a token (--token or IMPORT_TOKEN) of PREFECTURE_STAFF or ADMIN, e.g. npm run -s token -- --role admin');
  const viewer = await createTokenVerifier(loadGatewayConfig().jwt)(`Bearer ${token}`);
  const actor = `${viewer.role}:${viewer.subject}`;
  if (viewer.role === 'ADMIN') return { actor };
  if (viewer.role === 'PREFECTURE_STAFF' && !IMPORTERS[kind]?.[1].adminOnly) return { actor, prefectures: [viewer.prefectureCode!] };
  throw new ImportRefused(`role ${viewer.role} may not import ${kind}`);
}

async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function print(report: ImportReport, file: string): void {
  for (const w of report.warnings) console.warn(`  warning: line ${w.line}, column ${w.column}: ${w.reason}`);
  if (report.problems.length > 0) {
    console.error(`${file}: rejected, nothing was written. ${report.problems.length} problem(s):`);
    for (const p of report.problems) console.error(`  line ${p.line}${p.column ? `, column ${p.column}` : ''}: ${p.reason}`);
    return;
  }
  const verb = report.applied ? 'imported' : 'checked (dry run, nothing written)';
  console.log(`${file}: ${verb}: ${report.rows} rows — ${report.inserted} new, ${report.updated} changed, ${report.unchanged} unchanged.`);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false }, token: { type: 'string' }, encoding: { type: 'string' } },
  });
  const [kind, file] = positionals;
  const target = IMPORTERS[kind];
  if (!target || !file || positionals.length !== 2) {
    console.error(USAGE);
    return 2;
  }
  const declared = values.encoding === undefined ? undefined : ENCODINGS[values.encoding.toLowerCase()];
  if (values.encoding !== undefined && !declared) throw new ImportRefused(`--encoding must be one of ${Object.keys(ENCODINGS).join(', ')}`);
  const scope = await importerScope(kind, values.token ?? process.env.IMPORT_TOKEN);
  // Decoded strictly: a file that is not text in its encoding is refused, never stored with U+FFFD.
  let csv: string;
  try {
    const decoded = decodeCsv(readFileSync(file), declared);
    if (decoded.encoding === 'shift_jis') console.log(`${file}: read as Shift_JIS (CP932)`);
    csv = decoded.text;
  } catch (error) {
    if (error instanceof UndecodableFile) throw new ImportRefused(`${file}: rejected, nothing was written: ${error.message}`);
    throw error;
  }
  const env = { ...process.env };
  let embedded: EmbeddedPostgres | undefined;
  if (!env.DATABASE_URL) {
    const config = loadEmbeddedPostgresConfig(env);
    const url = `postgres://postgres:postgres@127.0.0.1:${config.port}/postgres`;
    if (!(await reachable(url))) embedded = await startEmbeddedPostgres({ ...config, persistent: true });
    env.DATABASE_URL = embedded?.url ?? url;
  }
  const [subgraph, importer] = target;
  const dataSource = await openDatabase(loadSubgraphConfig(subgraph.name, env).database, subgraph.database, createLogger(`import-${subgraph.name}`));
  try {
    const report = await importer.run(dataSource, csv, {
      dryRun: values['dry-run'],
      actor: `cli:${userInfo().username}:${scope.actor}`,
      prefectures: scope.prefectures,
    });
    print(report, file);
    return report.problems.length > 0 ? 1 : 0;
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ImportRefused || (error as { extensions?: unknown }).extensions) console.error((error as Error).message);
    else reportStartupFailure(error);
    process.exit(1);
  },
);
