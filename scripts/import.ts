/**
 * `npm run import -- <kind> FILE --token TOKEN [--dry-run] [--encoding utf-8|shift_jis] [--sheet NAME] [--url GATEWAY]`
 * and `npm run import -- revert <kind> IMPORT_ID --token TOKEN [--url GATEWAY]`, and
 * `npm run import -- download <kind> FILE.xlsx|FILE.csv --token TOKEN [--prefecture 01] [--fiscal-year 2025] [--url GATEWAY]` (the
 * stored records as the import's file, to edit in Excel and import back); kinds: core-centers,
 * consultation-offices, bases, base-participants, checklist-template, councils, self-plan-rates,
 * advisors, prefectural-programs, visits, follow-ups, requests, assessments (every subgraph's `importers`). Loads a prefecture's data (CSV, or an .xlsx workbook) into
 * the subgraph that owns them. All or nothing: a file with any bad row is rejected with a report of
 * every bad row. The token (or IMPORT_TOKEN) says who imports: PREFECTURE_STAFF for rows of their own
 * prefecture, ADMIN for any (and the only role for checklist templates). Every import that writes prints
 * its id; `revert` with that id puts every row back as it was.
 *
 * With `--url` (or IMPORT_URL), e.g. `--url https://advisors.example.lg.jp`, the file goes to the gateway's
 * `POST /import/<kind>` (no database access needed; upload progress shown); without, the CLI writes to the
 * database itself: DATABASE_URL, else the embedded PostgreSQL of `npm start` (started if not running).
 * A CSV file may be UTF-8 (with or without BOM) or Shift_JIS / CP932 as Excel saves "CSV" on Japanese
 * Windows: detected, or declared with --encoding.
 */
import 'reflect-metadata';
import { readCommandLine } from '../shared/command-line';
import { createWriteStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { userInfo } from 'node:os';
import { createTokenVerifier } from '../gateway/auth';
import { loadGatewayConfig, loadSubgraphConfig, loadWorkbookHeapMb } from '../shared/config';
import { openDatabase } from '../shared/database';
import { createLogger } from '../shared/log';
import { withDatabaseUrl } from './database-url';
import { reportStartupFailure } from '../shared/main';
import { type ImportReport, type RevertReport, type RowProblem, reportAsSent } from '../shared/csv-import';
import { type CsvEncoding, ENCODING_NAMES, UnreadableFile } from '../shared/csv';
import { ENCODINGS, downloadPrefectures, importScope, writeDownload } from '../shared/import-routes';
import { prefectureParameter } from '../shared/codes';
import { printable } from '../shared/text';
import { countedPeriod, fiscalYearParameter } from '../shared/fiscal-year';
import { readImportFile } from '../shared/spreadsheet';
import type { SubgraphDefinition, SubgraphImporter } from '../shared/subgraph';
import { SUBGRAPH_DEFINITIONS } from '../subgraphs';

/** Each kind of file, the subgraph whose database it goes to, and its importer (from the subgraph definitions). */
const IMPORTERS: Record<string, [SubgraphDefinition<unknown>, SubgraphImporter]> = Object.fromEntries(
  SUBGRAPH_DEFINITIONS.flatMap((definition) => Object.entries(definition.importers ?? {}).map(([kind, importer]) => [kind, [definition, importer]])),
);
const KINDS = Object.keys(IMPORTERS).join('|');
const USAGE = `Usage: npm run import -- <${KINDS}> FILE --token TOKEN [--dry-run] [--encoding utf-8|shift_jis] [--sheet NAME] [--url GATEWAY]
       npm run import -- revert <kind> IMPORT_ID --token TOKEN [--url GATEWAY]
       npm run import -- download <kind> FILE.xlsx|FILE.csv --token TOKEN [--prefecture 01] [--fiscal-year 2025] [--url GATEWAY]`;

/** A refusal to import, told to the user in one line. */
class ImportRefused extends Error {}

/** Who may import what (the same rule the gateway's endpoint applies: shared/import-routes.ts). */
async function importerScope(kind: string, token: string | undefined): Promise<{ actor: string; prefectures?: string[] }> {
  if (!token) throw new ImportRefused('imports need a token (--token or IMPORT_TOKEN) of PREFECTURE_STAFF or ADMIN, e.g. npm run -s token -- --role admin');
  const viewer = await createTokenVerifier(loadGatewayConfig().jwt)(`Bearer ${token}`);
  return importScope(viewer, kind, IMPORTERS[kind][1]);
}

function print(report: ImportReport, file: string): void {
  // A column the file's header named otherwise is shown as written there: 設置日 (established_on). Headers and
  // reasons quote the file, which may come from anyone: printed without the control characters a terminal obeys.
  const column = (p: RowProblem) => (p.header ? `${p.header} (${p.column})` : p.column);
  for (const w of report.warnings) console.warn(printable(`  warning: line ${w.line}${w.column ? `, column ${column(w)}` : ''}: ${w.reason}`));
  if (report.problems.length > 0) {
    console.error(`${file}: rejected, nothing was written. ${report.problems.length} problem(s):`);
    for (const p of report.problems) {
      console.error(printable(`  line ${p.line}${p.column ? `, column ${column(p)}` : ''}: ${p.reason}${p.reasonJa ? ` / ${p.reasonJa}` : ''}`));
    }
    return;
  }
  const verb = report.applied ? 'imported' : 'checked (dry run, nothing written)';
  console.log(`${file}: ${verb}: ${report.rows} rows — ${report.inserted} new, ${report.updated} changed, ${report.unchanged} unchanged.`);
  if (report.importId) console.log(`  import id ${report.importId} (to undo: npm run import -- revert ${report.kind} ${report.importId})`);
}

/** The file's bytes as a stream that tells how much has gone, for files over a megabyte. */
function uploadBody(file: string): { body: ReadableStream<Uint8Array>; size: number } {
  const bytes = readFileSync(file);
  const size = bytes.length;
  const step = 256 * 1024;
  let sent = 0;
  let shown = -1;
  return {
    size,
    body: new ReadableStream({
      pull(controller) {
        if (sent >= size) {
          if (size > 2 ** 20) process.stderr.write('\n');
          controller.close();
          return;
        }
        controller.enqueue(bytes.subarray(sent, sent + step));
        sent = Math.min(size, sent + step);
        const percent = Math.floor((sent / size) * 100);
        if (size > 2 ** 20 && percent !== shown) {
          shown = percent;
          process.stderr.write(`\r  uploading ${file}: ${percent}% of ${(size / 2 ** 20).toFixed(1)} MB`);
        }
      },
    }),
  };
}

/** The gateway's answer: the report, or the refusal it explains in both languages. */
async function answerOf<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as T & { code?: string; error?: string; messageJa?: string; problems?: unknown[] };
  if (response.ok || (response.status === 422 && body.problems)) return body;
  throw new ImportRefused(
    `refused (${response.status} ${body.code ?? ''}): ${body.error ?? response.statusText}${body.messageJa ? ` / ${body.messageJa}` : ''}`,
  );
}

async function overHttp(base: string, token: string | undefined, path: string, file?: string): Promise<unknown> {
  if (!token) throw new ImportRefused('imports need a token (--token or IMPORT_TOKEN) of PREFECTURE_STAFF or ADMIN');
  const upload = file ? uploadBody(file) : undefined;
  const response = await fetch(new URL(path, base), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', ...(upload ? { 'content-length': String(upload.size) } : {}) },
    body: upload?.body,
    ...(upload ? { duplex: 'half' } : {}),
  } as RequestInit);
  return answerOf(response);
}

/** The database of the subgraph that owns `kind`, for the time of `use`. */
async function withDatabase<T>(
  kind: string,
  use: (dataSource: Awaited<ReturnType<typeof openDatabase>>, importer: SubgraphImporter) => Promise<T>,
): Promise<T> {
  return withDatabaseUrl(async (env) => {
    const [subgraph, importer] = IMPORTERS[kind];
    const dataSource = await openDatabase(loadSubgraphConfig(subgraph.name, env).database, subgraph.database, createLogger(`import-${subgraph.name}`));
    try {
      return await use(dataSource, importer);
    } finally {
      await dataSource.destroy();
    }
  });
}

async function revert(kind: string, importId: string, token: string | undefined, url: string | undefined): Promise<number> {
  let reverted: RevertReport;
  if (url) reverted = (await overHttp(url, token, `/import/${encodeURIComponent(kind)}/${encodeURIComponent(importId)}/revert`)) as RevertReport;
  else {
    const scope = await importerScope(kind, token);
    reverted = await withDatabase(kind, (dataSource, importer) =>
      importer.revert(dataSource, importId, { actor: `cli:${userInfo().username}:${scope.actor}`, prefectures: scope.prefectures }),
    );
  }
  console.log(`import ${reverted.importId} reverted: ${reverted.restored} rows restored, ${reverted.removed} added rows removed.`);
  return 0;
}

/** A downloaded file holds what staff wrote about people (visit summaries, requests): readable by its owner alone, as backups are. */
const OWNER_ONLY = 0o600;

/**
 * Writes the stored records of `kind` as its import file: an .xlsx workbook or a CSV, by the file's name. Through
 * the gateway (`url`) its download limit applies (IMPORT_DOWNLOAD_MAX_ROWS); on the database, none does.
 */
async function download(
  kind: string,
  file: string,
  given: { prefecture?: string; fiscalYear?: string },
  token: string | undefined,
  url: string | undefined,
): Promise<number> {
  const format = /\.xlsx$/i.test(file) ? 'xlsx' : /\.csv$/i.test(file) ? 'csv' : undefined;
  if (!format) throw new ImportRefused(`${file}: name the file .xlsx or .csv / ファイル名は .xlsx か .csv にしてください`);
  if (url) {
    if (!token) throw new ImportRefused('downloads need a token (--token or IMPORT_TOKEN) of PREFECTURE_STAFF or ADMIN');
    const query = new URLSearchParams(Object.entries(given).filter((entry): entry is [string, string] => entry[1] !== undefined));
    const response = await fetch(new URL(`/import/${encodeURIComponent(kind)}.${format}?${query}`, url), { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) await answerOf(response);
    writeFileSync(file, new Uint8Array(await response.arrayBuffer()), { mode: OWNER_ONLY });
  } else {
    const scope = await importerScope(kind, token);
    const code = given.prefecture === undefined ? undefined : prefectureParameter(given.prefecture, 'prefecture');
    const fiscalYear =
      given.fiscalYear === undefined ? undefined : countedPeriod(fiscalYearParameter(given.fiscalYear, '--fiscal-year'), '--fiscal-year').fiscalYear;
    const records = await withDatabase(kind, (dataSource, importer) =>
      importer.download(dataSource, { prefectures: downloadPrefectures(scope, code), fiscalYear }),
    );
    const out = createWriteStream(file, { mode: OWNER_ONLY });
    await writeDownload(out, kind, records, format, 'en');
    await finished(out);
  }
  console.log(`${file}: written (${format}); edit it and import it back with: npm run import -- ${kind} ${file}`);
  return 0;
}

async function main(): Promise<number> {
  const { values, positionals } = readCommandLine({
    usage: USAGE,
    positionals: { min: 1, max: 3 },
    options: {
      'dry-run': { type: 'boolean', default: false },
      token: { type: 'string' },
      encoding: { type: 'string' },
      sheet: { type: 'string' },
      url: { type: 'string' },
      prefecture: { type: 'string' },
      'fiscal-year': { type: 'string' },
    },
  });
  const token = values.token ?? process.env.IMPORT_TOKEN;
  const url = values.url ?? process.env.IMPORT_URL;
  if (positionals[0] === 'revert') {
    const [, kind, importId] = positionals;
    if (!IMPORTERS[kind] || !importId || positionals.length !== 3) {
      console.error(USAGE);
      return 2;
    }
    // A revert has no dry run: `--dry-run` ignored would undo for real.
    const unused = (['dry-run', 'encoding', 'sheet'] as const).filter((name) => values[name] !== undefined && values[name] !== false);
    if (unused.length > 0) throw new ImportRefused(`revert takes no ${unused.map((n) => `--${n}`).join(', ')} (it has no dry run) / 取消には指定できません`);
    return revert(kind, importId, token, url);
  }
  if (positionals[0] === 'download') {
    const [, kind, file] = positionals;
    if (!IMPORTERS[kind] || !file || positionals.length !== 3) {
      console.error(USAGE);
      return 2;
    }
    const unused = (['dry-run', 'encoding', 'sheet'] as const).filter((name) => values[name] !== undefined && values[name] !== false);
    if (unused.length > 0) throw new ImportRefused(`download takes no ${unused.map((n) => `--${n}`).join(', ')} / ダウンロードには指定できません`);
    return download(kind, file, { prefecture: values.prefecture, fiscalYear: values['fiscal-year'] }, token, url);
  }
  if (values.prefecture !== undefined || values['fiscal-year'] !== undefined)
    throw new ImportRefused('--prefecture and --fiscal-year are for download: an import takes them from its rows / 取込では各行の都道府県・日付を使います');
  const [kind, file] = positionals;
  if (!IMPORTERS[kind] || !file || positionals.length !== 2) {
    console.error(USAGE);
    return 2;
  }
  const declared = values.encoding === undefined ? undefined : ENCODINGS[values.encoding.toLowerCase()];
  if (values.encoding !== undefined && !declared) throw new ImportRefused(`--encoding must be one of ${Object.keys(ENCODINGS).join(', ')}`);
  if (!existsSync(file) || !statSync(file).isFile()) throw new ImportRefused(`${file}: no such file / ファイル ${file} が見つかりません`);
  if (url) {
    const query = new URLSearchParams({
      ...(values['dry-run'] ? { dryRun: 'true' } : {}),
      ...(declared ? { encoding: declared } : {}),
      ...(values.sheet ? { sheet: values.sheet } : {}),
    });
    statSync(file);
    const report = (await overHttp(url, token, `/import/${encodeURIComponent(kind)}?${query}`, file)) as ImportReport & {
      format: string;
      encoding: string | null;
    };
    if (report.encoding && report.encoding !== 'utf-8') console.log(`${file}: read as ${ENCODING_NAMES[report.encoding as CsvEncoding] ?? report.encoding}`);
    print(report, file);
    return report.problems.length > 0 ? 1 : 0;
  }
  const scope = await importerScope(kind, token);
  // Decoded strictly: a file that is not text in its encoding is refused, never stored with U+FFFD.
  let read: Awaited<ReturnType<typeof readImportFile>>;
  try {
    read = await readImportFile(readFileSync(file), { encoding: declared, sheet: values.sheet, workbookHeapMb: loadWorkbookHeapMb() });
    if (read.encoding && read.encoding !== 'utf-8') console.log(`${file}: read as ${ENCODING_NAMES[read.encoding]}`);
    console.log(`${file}: ${read.table.rows.length} rows read (${read.format}); checking…`);
  } catch (error) {
    if (error instanceof UnreadableFile) throw new ImportRefused(`${file}: rejected, nothing was written: ${error.message} / ${error.messageJa}`);
    throw error;
  }
  const report = await withDatabase(kind, (dataSource, importer) =>
    importer.run(dataSource, read.table, {
      dryRun: values['dry-run'],
      actor: `cli:${userInfo().username}:${scope.actor}`,
      prefectures: scope.prefectures,
    }),
  );
  print(reportAsSent(report), file);
  return report.problems.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ImportRefused || (error as { extensions?: unknown }).extensions) console.error(printable((error as Error).message));
    else reportStartupFailure(error);
    process.exit(1);
  },
);
