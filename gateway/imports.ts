/**
 * Imports over HTTP: `POST /import/<kind>` takes a file (the raw body, or one file of a multipart form)
 * with a bearer token, `?dryRun=true` to check only, `?encoding=shift_jis` and `?sheet=名前` when
 * needed; `POST /import/<kind>/<importId>/revert` undoes an import. The gateway checks who calls and
 * the size, and hands the file to the subgraph that imports that kind (it asks the subgraphs of the
 * supergraph which kinds they take), which applies the role rules and answers the report as JSON.
 * Staff need no shell on the server; the CLI uses the same endpoint with `--url`.
 */
import busboy from 'busboy';
import type { Express, Request, Response } from 'express';
import { GATEWAY_SECRET_HEADER, REQUEST_ID_HEADER, VIEWER_HEADER, encodeViewer } from '../shared/context';
import { prefectureParameter } from '../shared/codes';
import { countedPeriod, fiscalYearParameter } from '../shared/fiscal-year';
import { ErrorCode, badUserInput } from '../shared/errors';
import { refusal, refuseUnreadableFile, refusedFor, routeParameters } from '../shared/http';
import type { Logger } from '../shared/log';
import { requestIdOf } from '../shared/request-log';
import { languageParameter } from './exports';
import { UnreadableWorkbook, WorkbookTooLarge, checkWorkbookSize, isZipArchive } from '../shared/spreadsheet';
import { refuseBusyImport } from '../shared/import-routes';
import type { CallerOf } from './api-keys';

/** Imports, reverts and import-file downloads one person may have running at once through a gateway (a double-click's two, two tabs'). */
export const IMPORTS_PER_PERSON = 4;

/** A body over the limit: refused as soon as it is seen, before it is all read. */
class TooLarge extends Error {}

/** The upload: its file's bytes, how many files a form held, and the form's fields (options), in order. */
interface Upload {
  bytes: Buffer;
  files: number;
  fields: Array<[string, string]>;
}

async function readUpload(req: Request, maxBytes: number): Promise<Upload> {
  // A compressed upload (Content-Encoding: gzip) read as the file would be refused as "not UTF-8", misleading: 415.
  const coding = req.headers['content-encoding']?.trim().toLowerCase();
  if (coding && coding !== 'identity') {
    const refused = badUserInput('content-encoding', `the file is sent compressed (${coding.slice(0, 50)}): send it as it is, without Content-Encoding`, {
      value: coding.slice(0, 50),
      reasonJa: 'ファイルが圧縮されて送られています。圧縮せずにそのまま送ってください（Content-Encoding を付けずに）',
    });
    Object.assign(refused.extensions, { http: { status: 415 } });
    throw refused;
  }
  if ((req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
    return new Promise((resolve, reject) => {
      const parts: Buffer[] = [];
      const fields: Array<[string, string]> = [];
      let files = 0;
      // A second file is counted (and refused), not read: busboy drains it.
      const form = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1000 } });
      form.on('file', (_name, stream) => {
        files += 1;
        stream.on('data', (chunk: Buffer) => parts.push(chunk));
        stream.on('limit', () => reject(new TooLarge()));
      });
      form.on('filesLimit', () => (files += 1));
      form.on('field', (name, value) => fields.push([name, value]));
      form.on('error', reject);
      form.on('close', () => resolve({ bytes: files > 0 ? Buffer.concat(parts) : Buffer.alloc(0), files, fields }));
      req.pipe(form);
    });
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw new TooLarge();
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new TooLarge();
    parts.push(chunk);
  }
  return { bytes: Buffer.concat(parts), files: 1, fields: [] };
}

/** The parameters an import takes (in the URL, or as a form's fields); a revert takes none. */
const IMPORT_PARAMETERS = ['dryRun', 'encoding', 'sheet'];
const IMPORTS = { en: 'imports', ja: '取込' };
const REVERTS = { en: 'reverts', ja: '取消' };

const DOWNLOADS = { en: 'import downloads', ja: '取込用ファイルのダウンロード' };

/**
 * A download's parameters: `prefecture` (as staff write it: 01, 1, 北海道), `fiscalYear` (2025, 令和7年度,
 * R7: for kinds dated by it, visits and follow-ups) and `lang` (ja: Japanese CSV header).
 */
function downloadParameters(query: Request['query']): Map<string, string> {
  const given = routeParameters(Object.entries(query), ['prefecture', 'fiscalYear', 'lang'], DOWNLOADS);
  const checked = new Map<string, string>();
  const prefecture = given.get('prefecture');
  if (prefecture) checked.set('prefecture', prefectureParameter(prefecture, 'prefecture'));
  const fiscalYear = given.get('fiscalYear');
  // A year not begun is refused, as the exports refuse it: it has no records yet.
  if (fiscalYear) checked.set('fiscalYear', String(countedPeriod(fiscalYearParameter(fiscalYear)).fiscalYear));
  checked.set('lang', languageParameter(given.get('lang') || undefined));
  return checked;
}

/** Which subgraph imports which kind (and its Japanese title): asked of every subgraph once, and again when a kind is not known. */
function importKinds(subgraphUrls: Readonly<Record<string, string>>, gatewaySecret: string) {
  let known: Map<string, { url: string; titleJa: string }> | undefined;
  const discover = async () => {
    const found = new Map<string, { url: string; titleJa: string }>();
    await Promise.all(
      Object.values(subgraphUrls).map(async (url) => {
        const response = await fetch(new URL('/internal/imports', url), {
          headers: { [GATEWAY_SECRET_HEADER]: gatewaySecret },
          signal: AbortSignal.timeout(5000),
        }).catch(() => null);
        const body = response?.ok ? ((await response.json()) as { kinds?: string[]; titlesJa?: Record<string, string> }) : {};
        for (const kind of body.kinds ?? []) found.set(kind, { url, titleJa: body.titlesJa?.[kind] ?? kind });
      }),
    );
    return found;
  };
  // Asked again for a kind it does not know (a subgraph deployed since); for the list (GET /import, which anyone may
  // ask), only while none are known and at most every 10 s: an anonymous flood makes no calls to the subgraphs.
  let listedAt = 0;
  return async (kind?: string): Promise<{ url?: string; kinds: Array<{ kind: string; titleJa: string }> }> => {
    if (kind !== undefined ? !known?.has(kind) : !known?.size && Date.now() - listedAt > 10_000) {
      if (kind === undefined) listedAt = Date.now();
      known = await discover();
    }
    return {
      url: kind === undefined ? undefined : known?.get(kind)?.url,
      kinds: [...(known ?? new Map()).entries()].map(([name, { titleJa }]) => ({ kind: name, titleJa })).sort((a, b) => (a.kind < b.kind ? -1 : 1)),
    };
  };
}

export function mountImports(
  app: Express,
  options: {
    admitted: CallerOf;
    subgraphUrls: Readonly<Record<string, string>>;
    gatewaySecret: string;
    maxBytes: number;
    timeoutMs: number;
    log: Logger;
  },
): void {
  const subgraphOf = importKinds(options.subgraphUrls, options.gatewaySecret);
  const maxMb = Math.round(options.maxBytes / 2 ** 20);
  // A few imports, reverts or downloads of one person at once (IMPORTS_PER_PERSON): the gateway holds each upload or
  // file whole (up to IMPORT_MAX_MB, 50,000 rows) until the subgraph is done, and the subgraph runs few imports at once
  // (IMPORT_CONCURRENCY), the others waiting. More from one person (a script's loop) are refused until theirs are done.
  const running = new Map<string, number>();
  const perPerson = async (req: Request, res: Response, caller: string, work: () => Promise<void>) => {
    const now = running.get(caller) ?? 0;
    if (now >= IMPORTS_PER_PERSON) {
      refuseBusyImport(
        res,
        `${now} imports, reverts or downloads of yours are still running (at most ${IMPORTS_PER_PERSON} at once)`,
        `あなたの取込・取消・ダウンロードが${now}件まだ実行中です（同時に${IMPORTS_PER_PERSON}件まで）`,
        IMPORTS_PER_PERSON,
      );
      req.resume();
      return;
    }
    running.set(caller, now + 1);
    try {
      await work();
    } finally {
      const left = (running.get(caller) ?? 1) - 1;
      if (left > 0) running.set(caller, left);
      else running.delete(caller);
    }
  };

  /** Who calls, and the subgraph that takes the kind; null when refused (the answer is sent). */
  const prepare = async (req: Request, res: Response, kind = String(req.params.kind)): Promise<{ viewer: string; url: string } | null> => {
    let caller;
    try {
      caller = await options.admitted(req);
    } catch (error) {
      // Refused at sign-in (a bad token 401, a departed advisor 403, the registry unavailable 503), in the sign-in's own words.
      if (!refusedFor(res, error)) throw error;
      return null;
    }
    if (caller.viewer.role === null) {
      refusal(
        res,
        ErrorCode.UNAUTHENTICATED,
        'imports need a bearer token of PREFECTURE_STAFF or ADMIN',
        '取込には都道府県職員または管理者のトークンが必要です',
      );
      return null;
    }
    const { url, kinds } = await subgraphOf(kind);
    if (!url) {
      refusal(
        res,
        ErrorCode.NOT_FOUND,
        `no import kind ${kind.slice(0, 60)}; kinds: ${kinds.map((k) => k.kind).join(', ')}`,
        `取込の種類 ${kind.slice(0, 60)} はありません（${kinds.map((k) => `${k.kind}：${k.titleJa}`).join('、')}）`,
        {
          field: 'kind',
          value: kind.slice(0, 60),
        },
      );
      return null;
    }
    return { viewer: encodeViewer(caller.viewer), url };
  };

  /** Hands the request to the subgraph and its answer back. */
  const forward = async (req: Request, res: Response, target: { viewer: string; url: string }, path: string, body?: Buffer) => {
    let response: globalThis.Response;
    try {
      response = await fetch(new URL(path, target.url), {
        method: 'POST',
        headers: {
          'content-type': 'application/octet-stream',
          [GATEWAY_SECRET_HEADER]: options.gatewaySecret,
          [VIEWER_HEADER]: target.viewer,
          [REQUEST_ID_HEADER]: requestIdOf(req),
        },
        body: body ? new Uint8Array(body) : undefined,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch {
      refusal(
        res,
        ErrorCode.SUBGRAPH_UNAVAILABLE,
        'the subgraph that imports this kind did not answer; nothing was written by this request (check with a dry run before trying again)',
        '取込先のサービスが応答しません。状態をドライランで確認してから再度実行してください',
      );
      return;
    }
    const retryAfter = response.headers.get('retry-after');
    if (retryAfter) res.setHeader('retry-after', retryAfter);
    res
      .status(response.status)
      .type('application/json')
      .send(Buffer.from(await response.arrayBuffer()));
  };

  // The kinds of import, for a person or a script that starts from /import.
  app.get(['/import', '/import/'], async (_req, res) => {
    try {
      const { kinds } = await subgraphOf();
      res.json({
        kinds: kinds.map(({ kind, titleJa }) => ({ kind, titleJa, import: `POST /import/${kind}`, files: [`/import/${kind}.xlsx`, `/import/${kind}.csv`] })),
      });
    } catch {
      refusal(res, ErrorCode.SUBGRAPH_UNAVAILABLE, 'the subgraphs did not say which kinds they import', '取込の種類を取得できません', {}, 503);
    }
  });

  app.post('/import/:kind', async (req, res) => {
    try {
      const target = await prepare(req, res);
      if (!target) {
        req.resume();
        return;
      }
      await perPerson(req, res, target.viewer, async () => {
        // The URL's options are checked before the file is read, with the form's once it is (shared/http.ts routeParameters).
        routeParameters(Object.entries(req.query), IMPORT_PARAMETERS, IMPORTS);
        const upload = await readUpload(req, options.maxBytes);
        const given = routeParameters([...Object.entries(req.query), ...upload.fields], IMPORT_PARAMETERS, IMPORTS);
        if (upload.files > 1)
          throw badUserInput('file', 'the form holds more than one file: send one file per import', { reasonJa: 'ファイルは1回に1つだけ送ってください' });
        // A workbook is read whole by the subgraph: what it unpacks to counts against the same limit as a file's bytes (.xlsx, .xlsb, .ods).
        if (isZipArchive(upload.bytes)) await checkWorkbookSize(upload.bytes, options.maxBytes);
        await forward(req, res, target, `/internal/imports/${encodeURIComponent(req.params.kind)}?${new URLSearchParams([...given])}`, upload.bytes);
      });
    } catch (error) {
      // A broken archive, or one whose entries unpack to more than they declare, goes no further.
      if (error instanceof UnreadableWorkbook) {
        refuseUnreadableFile(res, error);
        return;
      }
      if (error instanceof WorkbookTooLarge) {
        refusal(
          res,
          ErrorCode.PAYLOAD_TOO_LARGE,
          `the workbook unpacks to more than ${maxMb} MB (IMPORT_MAX_MB): save it as CSV (CSV UTF-8), which takes about a third of the room, or split it`,
          `ブックを展開すると ${maxMb} MB を超えます（上限 IMPORT_MAX_MB）。CSV（UTF-8）で保存するか、分割してください`,
          { field: 'file' },
        );
        return;
      }
      if (error instanceof TooLarge) {
        res.setHeader('connection', 'close');
        refusal(
          res,
          ErrorCode.PAYLOAD_TOO_LARGE,
          `the file is larger than ${maxMb} MB (IMPORT_MAX_MB); split it, or ask the operator to raise the limit`,
          `ファイルが大きすぎます（上限 ${maxMb} MB）。分割してください`,
          { field: 'file' },
        );
        req.resume();
        return;
      }
      if (refusedFor(res, error)) {
        req.resume();
        return;
      }
      options.log.error({ err: error }, 'import upload failed');
      if (!res.headersSent) refusal(res, ErrorCode.BAD_USER_INPUT, 'the upload could not be read', 'アップロードを読み取れません');
    }
  });

  // The stored records as the import's file (`core-centers.xlsx`, `advisors.csv`): edited in Excel and sent
  // back with POST /import/<kind>, it updates the rows changed and adds the rows added.
  app.get('/import/:file', async (req, res) => {
    const [, kind, format] = /^(.*?)(?:\.(csv|xlsx))?$/.exec(String(req.params.file))!;
    if (!format) {
      const named = kind.replace(/\.[A-Za-z0-9]{1,5}$/, '').slice(0, 60); // `core-centers.pdf` → core-centers
      refusal(
        res,
        ErrorCode.NOT_FOUND,
        `download an import's file as ${named}.xlsx or ${named}.csv; imports are sent with POST`,
        `取込用ファイルは ${named}.xlsx か ${named}.csv でダウンロードしてください（取込は POST で送ります）`,
        { field: 'file', value: String(req.params.file).slice(0, 100) },
      );
      return;
    }
    let given: Map<string, string>;
    try {
      given = downloadParameters(req.query);
    } catch (error) {
      refusedFor(res, error); // downloadParameters throws only BAD_USER_INPUT
      return;
    }
    const target = await prepare(req, res, kind);
    if (!target) return;
    // A download of up to 50,000 rows is built whole by the subgraph and held by the gateway: counted with imports.
    await perPerson(req, res, target.viewer, async () => {
      let response: globalThis.Response;
      try {
        response = await fetch(
          new URL(`/internal/imports/${encodeURIComponent(kind)}/download?${new URLSearchParams([...given, ['format', format]])}`, target.url),
          {
            // HEAD asks the subgraph for the file's headers only: nothing is read to be thrown away.
            method: req.method === 'HEAD' ? 'HEAD' : 'GET',
            headers: { [GATEWAY_SECRET_HEADER]: options.gatewaySecret, [VIEWER_HEADER]: target.viewer, [REQUEST_ID_HEADER]: requestIdOf(req) },
            signal: AbortSignal.timeout(options.timeoutMs),
          },
        );
      } catch {
        refusal(res, ErrorCode.SUBGRAPH_UNAVAILABLE, 'the subgraph that holds these records did not answer', '記録を持つサービスが応答しません', {}, 503);
        return;
      }
      let body: Buffer;
      try {
        body = Buffer.from(await response.arrayBuffer());
      } catch {
        // The subgraph stopped part way: no half a file that would look whole.
        refusal(
          res,
          ErrorCode.SUBGRAPH_UNAVAILABLE,
          'the subgraph that holds these records stopped answering',
          '記録を持つサービスの応答が途中で止まりました',
          {},
          503,
        );
        return;
      }
      res.status(response.status).type(response.headers.get('content-type') ?? 'application/json');
      const disposition = response.headers.get('content-disposition');
      if (disposition) res.setHeader('content-disposition', disposition);
      if (req.method === 'HEAD')
        res.end(); // no Content-Length: 0, which would say the file is empty
      else res.send(body);
    });
  });

  app.post('/import/:kind/:importId/revert', async (req, res) => {
    const target = await prepare(req, res);
    if (!target) return;
    try {
      // A revert takes no options: `?dryRun=true` would undo for real if it were ignored.
      routeParameters(Object.entries(req.query), [], REVERTS);
    } catch (error) {
      refusedFor(res, error); // routeParameters throws only BAD_USER_INPUT
      return;
    }
    await perPerson(req, res, target.viewer, () =>
      forward(req, res, target, `/internal/imports/${encodeURIComponent(req.params.kind)}/${encodeURIComponent(req.params.importId)}/revert`),
    );
  });
}
