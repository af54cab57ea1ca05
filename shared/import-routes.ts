/**
 * Imports over HTTP, subgraph side: the gateway hands an uploaded file to the subgraph that owns its
 * kind (`POST /internal/imports/<kind>`), with its secret and the viewer; the subgraph applies the role
 * rules (the same as the CLI's: `importScope`), reads the file (CSV in UTF-8 / Shift_JIS, or .xlsx),
 * runs the import in one transaction and answers the report as JSON. `…/<importId>/revert` undoes one.
 */
import express, { type Express, type Response } from 'express';
import type { DataSource } from 'typeorm';
import { type SentByGateway, type Viewer } from './context';
import { requestIdOf } from './request-log';
import { type CsvEncoding, UnreadableFile, csvCell } from './csv';
import { ErrorCode, forbidden, unauthenticated } from './errors';
import { attachmentDisposition, refusal, refuseUnreadableFile, refusedFor } from './http';
import { todayInJapan } from './dates';
import { databaseOutage } from './database';
import { actorOf } from './history';
import type { Logger } from './log';
import { readImportFile, xlsxWriter } from './spreadsheet';
import { type DownloadRow, type ImportDownload, type RowImporter, labelled, reportAsSent } from './csv-import';
import type { Writable } from 'node:stream';

/** The largest body a subgraph takes from the gateway (which applies its own, smaller IMPORT_MAX_MB first). */
const SUBGRAPH_BODY_LIMIT = '1gb';

/** What `?encoding=` accepts (cp932 and sjis are the names staff know Shift_JIS by). */
export const ENCODINGS: Readonly<Record<string, CsvEncoding>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  shift_jis: 'shift_jis',
  'shift-jis': 'shift_jis',
  sjis: 'shift_jis',
  cp932: 'shift_jis',
};

/** Who may import a kind: admins anything, prefectural staff their own prefecture's rows (not the admin-only kinds); API keys never. */
export function importScope(viewer: Viewer, kind: string, importer: { adminOnly?: boolean }): { actor: string; prefectures?: string[] } {
  if (viewer.role === null)
    throw unauthenticated(
      'imports need a token of PREFECTURE_STAFF or ADMIN',
      '取込には都道府県職員（PREFECTURE_STAFF）か管理者（ADMIN）のトークンが必要です',
      'whole request',
    );
  if (viewer.apiKeyId) throw forbidden('an API key only reads: imports need a person signed in', 'APIキーは読み取り専用です（取込は本人のサインインで）');
  const actor = actorOf(viewer);
  if (viewer.role === 'ADMIN') return { actor };
  if (viewer.role === 'PREFECTURE_STAFF' && !importer.adminOnly) return { actor, prefectures: [viewer.prefectureCode!] };
  throw forbidden(`role ${viewer.role} may not import ${kind}`, `この役割（${viewer.role}）は ${kind} を取り込めません`);
}

function refuseError(res: Response, error: unknown, log: Logger): void {
  if (refusedFor(res, error)) return;
  const outage = databaseOutage(error);
  if (outage) {
    log.warn({ requestId: requestIdOf(res.req), err: error }, 'import stopped: the database did not answer');
    refusal(
      res,
      ErrorCode.SUBGRAPH_UNAVAILABLE,
      `the service ${outage.reason}; nothing was written: send the file again shortly`,
      `${outage.reasonJa}。何も書き込んでいません。しばらくしてから再度送ってください`,
      {},
      503,
    );
    return;
  }
  log.error({ requestId: requestIdOf(res.req), err: error }, 'import failed');
  refusal(res, ErrorCode.INTERNAL_SERVER_ERROR, 'the import failed on the server; nothing was written', 'サーバーで取込に失敗しました。何も書き込んでいません');
}

/** The prefectures whose records a download holds: the one asked for, which must be in scope, else all in scope (undefined: all). */
export function downloadPrefectures(scope: { prefectures?: string[] }, prefecture: string | undefined): string[] | undefined {
  if (prefecture && scope.prefectures && !scope.prefectures.includes(prefecture)) {
    throw forbidden(
      `you may download the records of prefecture ${scope.prefectures.join(', ')} only`,
      `ダウンロードできるのは都道府県 ${scope.prefectures.join('、')} の記録だけです`,
    );
  }
  return prefecture ? [prefecture] : scope.prefectures;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Writes an import's download and ends `out`: a workbook (Japanese names over the English keys, which the
 * import skips as a second header), or a UTF-8 CSV with a byte-order mark (English keys, or `lang` ja).
 */
export async function writeDownload(out: Writable, kind: string, download: ImportDownload, format: 'csv' | 'xlsx', lang: 'en' | 'ja'): Promise<void> {
  // For people (a workbook, a Japanese CSV) codes are their Japanese labels, which the import reads back.
  const forPeople = format === 'xlsx' || lang === 'ja';
  const cell = (row: DownloadRow, column: ImportDownload['columns'][number]) => (forPeople ? labelled(row[column.key], column.labels) : row[column.key]);
  if (format === 'xlsx') {
    // A drop-down of the labels on each single-valued coded column.
    const choices = (c: ImportDownload['columns'][number]) => (c.labels && !c.labels.list ? Object.values(c.labels.labels) : undefined);
    const sheet = xlsxWriter(
      out,
      kind,
      download.columns.map((c) => ({ ...c, choices: choices(c) })),
    );
    for (const row of download.rows) sheet.add(Object.fromEntries(download.columns.map((c) => [c.key, cell(row, c)])));
    await sheet.end();
    return;
  }
  const header = download.columns.map((c) => csvCell(lang === 'ja' ? c.ja : c.key));
  const lines = download.rows.map((row) => download.columns.map((c) => csvCell(cell(row, c))).join(','));
  await new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.end(`\uFEFF${[header.join(','), ...lines].map((line) => `${line}\r\n`).join('')}`, () => resolve());
  });
}

/** Seconds a refused import is told to wait (`Retry-After`): a 20 MB file takes about five. */
export const IMPORT_RETRY_AFTER_SECONDS = 30;

/**
 * Refuses, with 429 and `Retry-After`, a file operation over a limit of them running at once: what staff
 * should do, in English and Japanese; nothing was written.
 */
export function refuseBusyImport(res: Response, reason: string, reasonJa: string, max: number): void {
  res.setHeader('retry-after', String(IMPORT_RETRY_AFTER_SECONDS));
  refusal(
    res,
    ErrorCode.QUERY_LIMIT_EXCEEDED,
    `${reason}: nothing was written; send it again in ${IMPORT_RETRY_AFTER_SECONDS} seconds`,
    `${reasonJa}。何も書き込んでいません。${IMPORT_RETRY_AFTER_SECONDS}秒ほどしてから再度送ってください`,
    { limit: 'concurrentImports', max },
    429,
  );
}

/** Imports and reverts that wait for a slot in a subgraph, at most: more are refused (429). */
export const IMPORTS_WAITING = 16;

/**
 * Imports and reverts running at once in this subgraph, at most IMPORT_CONCURRENCY, as middleware before the body
 * is read: each holds its file, its records and a database connection for its transaction for seconds (a 20 MB
 * file, some 370 MB), and they run one at a time anyway (importTransaction's advisory lock: a second one started
 * would only wait there, its file read). Eight at once took 1.8 GB and the pool's connections, so the subgraph's
 * reads waited and one import failed for it. The others wait, unread, in turn (a double-click, two staff: the later
 * one finds the file imported), up to IMPORTS_WAITING; a slot is held until the answer is sent or the connection closes.
 */
function importSlots(max: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return (_req: unknown, res: Response, next: () => void): void => {
    const start = () => {
      running += 1;
      res.once('close', () => {
        running -= 1;
        waiting.shift()?.();
      });
      next();
    };
    if (running < max) return start();
    if (waiting.length >= IMPORTS_WAITING) {
      res.setHeader('connection', 'close'); // the file is not read
      refuseBusyImport(
        res,
        `${running} imports are running in this service and ${waiting.length} waiting (at most ${max} at once, IMPORT_CONCURRENCY)`,
        `ほかの取込が${running + waiting.length}件実行中・待機中です`,
        max,
      );
      return;
    }
    waiting.push(start);
    // A caller that gives up while waiting leaves the line.
    res.once('close', () => {
      const at = waiting.indexOf(start);
      if (at >= 0) waiting.splice(at, 1);
    });
  };
}

/** The values `dryRun` takes. */
const DRY_RUN: Record<string, boolean> = { true: true, '1': true, false: false, '0': false, '': false };

/** Mounts the import routes of a subgraph's importers; only the gateway (its secret) may call them. */
export function mountImportRoutes(
  app: Express,
  importers: Readonly<Record<string, RowImporter & { adminOnly?: boolean; titleJa: string }>>,
  {
    dataSource,
    log,
    sentByGateway,
    viewerOf,
    onChanged,
    downloadMaxRows,
    importConcurrency,
    workbookHeapMb,
  }: {
    dataSource: DataSource;
    log: Logger;
    sentByGateway: SentByGateway;
    viewerOf: (req: express.Request) => Viewer;
    /** Called once the import or revert is committed, before its answer goes out (the data version moves). */
    onChanged(): void;
    /** The rows a download holds at most (IMPORT_DOWNLOAD_MAX_ROWS). */
    downloadMaxRows: number;
    /** Imports and reverts at once, at most (IMPORT_CONCURRENCY). */
    importConcurrency: number;
    /** The heap of the thread that parses a workbook (IMPORT_WORKBOOK_HEAP_MB). */
    workbookHeapMb: number;
  },
): void {
  const slots = importSlots(importConcurrency);
  const fromTheGateway = (req: express.Request, res: Response): boolean => {
    if (sentByGateway(req.headers)) return true;
    refusal(res, ErrorCode.UNAUTHENTICATED, 'only the gateway may call the import routes', 'ゲートウェイ以外からは呼び出せません');
    return false;
  };
  const fromGateway = (req: express.Request, res: Response): Viewer | null => (fromTheGateway(req, res) ? viewerOf(req) : null);
  // Before a slot is taken: no one else may hold the import slots.
  const gatewayOnly = (req: unknown, res: Response, next: () => void) => {
    // (req typed loosely: express infers the route parameters from the handlers only then.)
    if (fromTheGateway(req as express.Request, res)) next();
  };
  const importerOf = (kind: string, res: Response) => {
    const importer = Object.hasOwn(importers, kind) ? importers[kind] : undefined;
    if (!importer) refusal(res, ErrorCode.NOT_FOUND, `no import kind ${kind} here`, `取込の種類 ${kind} はありません`);
    return importer;
  };

  app.get('/internal/imports', (req, res) => {
    if (fromGateway(req, res))
      res.json({ kinds: Object.keys(importers), titlesJa: Object.fromEntries(Object.entries(importers).map(([kind, i]) => [kind, i.titleJa])) });
  });

  app.post('/internal/imports/:kind', gatewayOnly, slots, express.raw({ type: () => true, limit: SUBGRAPH_BODY_LIMIT }), async (req, res) => {
    try {
      const viewer = fromGateway(req, res);
      const importer = viewer && importerOf(req.params.kind, res);
      if (!viewer || !importer) return;
      const scope = importScope(viewer, req.params.kind, importer);
      const encodingName = typeof req.query.encoding === 'string' ? req.query.encoding.toLowerCase() : undefined;
      const encoding = encodingName === undefined ? undefined : ENCODINGS[encodingName];
      if (encodingName !== undefined && !encoding) {
        refusal(
          res,
          ErrorCode.BAD_USER_INPUT,
          `encoding must be one of ${Object.keys(ENCODINGS).join(', ')}`,
          `文字コードの指定が不正です（${Object.keys(ENCODINGS).join('、')}）`,
          {
            field: 'encoding',
            value: encodingName.slice(0, 40),
          },
        );
        return;
      }
      const bytes: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (bytes.length === 0) {
        refusal(res, ErrorCode.BAD_USER_INPUT, 'the request holds no file', 'ファイルがありません', { field: 'file' });
        return;
      }
      let read;
      try {
        read = await readImportFile(bytes, { encoding, sheet: typeof req.query.sheet === 'string' ? req.query.sheet : undefined, workbookHeapMb });
      } catch (error) {
        if (error instanceof UnreadableFile) {
          refuseUnreadableFile(res, error);
          return;
        }
        throw error;
      }
      const dryRun = DRY_RUN[String(req.query.dryRun ?? 'false')];
      if (dryRun === undefined) {
        // Anything else (`yes`, `ture`) is refused: read as false, it would import for real.
        refusal(res, ErrorCode.BAD_USER_INPUT, 'dryRun must be true or false (or 1 or 0)', 'dryRun は true か false（1 か 0）で指定してください', {
          field: 'dryRun',
          value: String(req.query.dryRun).slice(0, 40),
        });
        return;
      }
      const report = await importer.run(dataSource, read.table, { dryRun, actor: `http:${scope.actor}`, prefectures: scope.prefectures });
      log.info(
        { kind: req.params.kind, actor: scope.actor, rows: report.rows, problems: report.problems.length, applied: report.applied, importId: report.importId },
        'import over HTTP',
      );
      if (!dryRun && report.applied) onChanged();
      res.status(report.problems.length > 0 ? 422 : 200).json({ ...reportAsSent(report), format: read.format, encoding: read.encoding ?? null });
    } catch (error) {
      refuseError(res, error, log);
    }
  });

  // The stored records as the import's file, to edit and send back: who may import the kind, of the prefectures they may import.
  app.get('/internal/imports/:kind/download', async (req, res) => {
    try {
      const viewer = fromGateway(req, res);
      const importer = viewer && importerOf(req.params.kind, res);
      if (!viewer || !importer) return;
      const scope = importScope(viewer, req.params.kind, importer);
      const prefecture = typeof req.query.prefecture === 'string' ? req.query.prefecture : undefined;
      // Checked by the gateway (gateway/imports.ts downloadParameters), which alone calls this route.
      const fiscalYear = typeof req.query.fiscalYear === 'string' ? Number(req.query.fiscalYear) : undefined;
      const prefectures = downloadPrefectures(scope, prefecture);
      const format = req.query.format === 'xlsx' ? 'xlsx' : 'csv';
      const fileHeaders = () =>
        res.type(format === 'xlsx' ? XLSX_TYPE : 'text/csv; charset=utf-8').setHeader(
          'content-disposition',
          attachmentDisposition({
            name: req.params.kind,
            nameJa: req.query.lang === 'ja' ? importer.titleJa : undefined,
            parts: [prefectures?.length === 1 ? prefectures[0] : null, fiscalYear === undefined ? null : `FY${fiscalYear}`, todayInJapan()],
            format,
          }),
        );
      // HEAD (a link checker, a download manager asking the name): the file's headers, nothing read.
      if (req.method === 'HEAD') {
        fileHeaders().status(200).end();
        return;
      }
      const download = await importer.download(dataSource, { prefectures, fiscalYear, maxRows: downloadMaxRows });
      log.info(
        { kind: req.params.kind, actor: scope.actor, prefecture: prefecture ?? null, fiscalYear: fiscalYear ?? null, rows: download.rows.length, format },
        'import file downloaded',
      );
      fileHeaders();
      await writeDownload(res, req.params.kind, download, format, req.query.lang === 'ja' ? 'ja' : 'en');
    } catch (error) {
      if (res.headersSent) res.destroy(error as Error);
      else refuseError(res, error, log);
    }
  });

  app.post('/internal/imports/:kind/:importId/revert', gatewayOnly, slots, async (req, res) => {
    try {
      const viewer = fromGateway(req, res);
      const importer = viewer && importerOf(req.params.kind, res);
      if (!viewer || !importer) return;
      const scope = importScope(viewer, req.params.kind, importer);
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(req.params.importId)) {
        refusal(res, ErrorCode.BAD_USER_INPUT, 'importId must be the id an import report gave (a UUID)', '取込IDが不正です（取込結果のimportId）', {
          field: 'importId',
          value: req.params.importId.slice(0, 100),
        });
        return;
      }
      const reverted = await importer.revert(dataSource, req.params.importId, { actor: `http:${scope.actor}`, prefectures: scope.prefectures });
      log.info(
        { kind: req.params.kind, actor: scope.actor, importId: reverted.importId, restored: reverted.restored, removed: reverted.removed },
        'import reverted',
      );
      onChanged();
      res.json(reverted);
    } catch (error) {
      refuseError(res, error, log);
    }
  });
}
