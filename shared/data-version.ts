/**
 * What lets the gateway keep answers until the data under them changes, and whom it may share them with.
 *
 * Data version: each subgraph process names the state of its database with a token (`<epoch>.<n>`). It
 * moves on (1) before the answer to a mutation or import that changed something is sent, so the
 * writer's next read, through any gateway replica, finds it moved; (2) when PostgreSQL says a table
 * changed (`NOTIFY data_changed`, from a trigger on every table, delivered at commit — bookkeeping of
 * reads, such as the notes-read audit and an API key's last use, notifies nothing), which covers writes
 * by other processes — the import command, a restore, another replica — within milliseconds; (3) whenever
 * that listening connection is lost (then there is no token, and nothing is kept, until it is back). Each answer carries
 * the token read *before* its data was read (`x-data-version`), so an answer that raced a write is
 * tagged with the older token and is never reused. The gateway's version question is answered with
 * `settled()`, which counts every change committed before it was asked.
 *
 * Answer scope: who else may be handed the same answer (`x-answer-scope`). By default anyone with the
 * same authorization scope (role, prefecture, person or API key): every rule in shared/authorization.ts
 * depends on nothing else. An answer is the viewer's own when anything read the viewer's subject or free
 * text that may identify a person (DESIGN: free text never goes to a cache shared with someone else);
 * it is not kept at all when it read visit notes, whose every read is audited.
 */
import { randomBytes } from 'node:crypto';
import type { RequestListener } from 'node:http';
import type { ApolloServerPlugin, BaseContext, GraphQLResponse } from '@apollo/server';
import { Client } from 'pg';
import { type SentByGateway, type Viewer } from './context';
import { ErrorCode, errorsBody } from './errors';
import { describeRequest } from './request-log';
import type { Logger } from './log';
import type { ServiceMetrics } from './metrics';

export const DATA_VERSION_HEADER = 'x-data-version';
/** Where a subgraph answers the gateway's version question (`{"version": "<token>"}`, or null when it cannot tell). */
export const DATA_VERSION_PATH = '/internal/data-version';
export const ANSWER_SCOPE_HEADER = 'x-answer-scope';
/** The PostgreSQL channel the `data_changed` triggers notify (each subgraph's migration NotifyDataChanged). */
export const DATA_CHANGED_CHANNEL = 'data_changed';

/** `scope`: shared within the authorization scope; `viewer`: this viewer's own; `none`: never kept. */
export type AnswerScope = 'scope' | 'viewer' | 'none';
const RANK: Record<AnswerScope, number> = { scope: 0, viewer: 1, none: 2 };

const scopes = new WeakMap<Viewer, AnswerScope>();

/** Narrows who an answer made for this viewer may be shared with (never widens it). */
export function narrowAnswerScope(viewer: Viewer, scope: AnswerScope): void {
  if (RANK[scope] > RANK[scopes.get(viewer) ?? 'scope']) scopes.set(viewer, scope);
}

export function answerScopeOf(viewer: Viewer): AnswerScope {
  return scopes.get(viewer) ?? 'scope';
}

/**
 * The viewer as one request's resolvers see it: its own object (so marks do not outlive the request),
 * whose subject, when read, makes the answer the viewer's own.
 */
export function viewerForRequest(viewer: Viewer): Viewer {
  const own: Viewer = { ...viewer };
  const { subject } = viewer;
  Object.defineProperty(own, 'subject', {
    enumerable: true,
    get: () => {
      narrowAnswerScope(own, 'viewer');
      return subject;
    },
  });
  return own;
}

/** The key an answer is shared under: the authorization scope, or the viewer itself. */
export function sharingKey(viewer: Pick<Viewer, 'role' | 'prefectureCode' | 'apiKeyId' | 'subject'>, scope: 'scope' | 'viewer'): string {
  const who = `${viewer.role ?? 'anonymous'}/${viewer.prefectureCode ?? '-'}/${viewer.apiKeyId ? 'api-key' : 'person'}`;
  return scope === 'scope' ? who : `${who}/${viewer.apiKeyId ?? viewer.subject ?? ''}`;
}

/** How often a subgraph whose notifications do not arrive asks again whether they do. */
const NOTIFICATIONS_RETRY_MS = 60_000;

/**
 * Whether a notification sent from another connection reaches `listening`: sent and committed, then one round
 * trip on `listening`, before whose answer PostgreSQL delivers it (as `settled` relies on) — so no waiting.
 */
async function notificationsArrive(listening: Client, databaseUrl: string): Promise<boolean> {
  const probe = `probe:${randomBytes(8).toString('hex')}`;
  let arrived = false;
  const seen = (message: { payload?: string }) => {
    if (message.payload === probe) arrived = true;
  };
  listening.on('notification', seen);
  const sender = new Client({ connectionString: databaseUrl });
  try {
    await sender.connect();
    await sender.query('SELECT pg_notify($1, $2)', [DATA_CHANGED_CHANNEL, probe]);
    await listening.query('SELECT 1');
    return arrived;
  } finally {
    listening.off('notification', seen);
    await sender.end().catch(() => undefined);
  }
}

/** One subgraph process's data version, moved by its own writes and by PostgreSQL's notifications. */
export class DataVersion {
  private readonly epoch = randomBytes(6).toString('base64url');
  private count = 0;
  private listening = false;
  private client?: Client;
  private stopped = false;
  private retry?: NodeJS.Timeout;
  private warnedNoNotifications = false;

  /** The current token; undefined while changes by other processes could go unnoticed. */
  current(): string | undefined {
    return this.listening ? `${this.epoch}.${this.count}` : undefined;
  }

  /**
   * The current token once every change committed before this call is counted in it: one round trip on
   * the listening connection, since PostgreSQL sends a session the notifications committed before its
   * query ends ahead of that query's answer. So a write acknowledged anywhere — another replica, the
   * import command, an operator's SQL — before the gateway asks is always seen, not milliseconds later.
   */
  async settled(): Promise<string | undefined> {
    const client = this.client;
    if (!this.listening || !client) return undefined;
    try {
      await client.query('SELECT 1');
    } catch {
      return undefined; // the connection is lost: `lost` has moved the version and stopped listening
    }
    return this.client === client ? this.current() : undefined;
  }

  /** The data may have changed: answers tagged before now are not reused. */
  moved(): void {
    this.count += 1;
  }

  /** Listens for the tables' change notifications on a connection of its own; reconnects when it is lost. */
  async listen(databaseUrl: string, log: Logger): Promise<void> {
    const client = new Client({ connectionString: databaseUrl });
    this.client = client;
    let gone = false;
    const lost = (error?: Error) => {
      if (gone) return;
      gone = true;
      this.listening = false;
      this.moved();
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      if (this.stopped) return;
      log.warn({ err: error?.message }, 'data change notifications lost; answers are not kept until they are back');
      this.retry = setTimeout(() => void this.listen(databaseUrl, log).catch(() => undefined), 1000);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', () => this.moved());
    let arrives: boolean;
    try {
      await client.connect();
      await client.query(`LISTEN ${DATA_CHANGED_CHANNEL}`);
      arrives = await notificationsArrive(client, databaseUrl);
    } catch (error) {
      lost(error as Error);
      throw error;
    }
    if (!arrives) {
      // Through a pooler in transaction mode (PgBouncer's default) LISTEN is accepted and nothing ever arrives:
      // changes made elsewhere would go unnoticed, so nothing is kept; asked again in a minute.
      gone = true;
      if (this.client === client) this.client = undefined;
      await client.end().catch(() => undefined);
      if (!this.warnedNoNotifications) {
        this.warnedNoNotifications = true;
        log.warn(
          'change notifications sent by PostgreSQL do not arrive through this database URL (a connection pooler in transaction mode, ' +
            "such as PgBouncer's default?): no answers are kept from this subgraph until they do; connect it to PostgreSQL directly, " +
            'or through a pool in session mode',
        );
      }
      if (!this.stopped) this.retry = setTimeout(() => void this.listen(databaseUrl, log).catch(() => undefined), NOTIFICATIONS_RETRY_MS);
      return;
    }
    this.moved(); // whatever changed while no one listened
    this.listening = true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    this.listening = false;
    await client?.end().catch(() => undefined);
  }
}

/**
 * Tags each answer to a query with the data version it was read at and whom it may be shared with;
 * an answer with errors, or one that read notes, gets neither (so it is never kept). Moves the data
 * version before the answer to a mutation that answered a field goes out. A mutation refused whole
 * (every field null: not signed in, forbidden, bad input) does not move it: anyone may send one, and
 * each would otherwise drop every answer kept of the subgraph for everyone. A write committed by a
 * mutation that then failed is still counted, by PostgreSQL's notification (`settled`).
 */
export function dataVersionPlugin(dataVersion: DataVersion): ApolloServerPlugin<BaseContext & { viewer: Viewer; dataVersion?: string }> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, response, contextValue }) {
          if (!operation) return;
          if (operation.operation !== 'query') {
            if (answeredAField(response.body)) dataVersion.moved();
            return;
          }
          if (response.body.kind !== 'single' || response.body.singleResult.errors?.length || !contextValue.dataVersion) return;
          const scope = answerScopeOf(contextValue.viewer);
          if (scope === 'none') return;
          response.http.headers.set(DATA_VERSION_HEADER, contextValue.dataVersion);
          response.http.headers.set(ANSWER_SCOPE_HEADER, scope);
        },
      };
    },
  };
}

/** Whether a mutation's answer holds a value for at least one of its fields (one refused whole holds none). */
function answeredAField(body: GraphQLResponse['body']): boolean {
  if (body.kind !== 'single') return true;
  const { data } = body.singleResult;
  return !!data && Object.values(data).some((value) => value !== null);
}

/**
 * The subgraph's answer to the gateway's version question, asked up to a few times per request the
 * gateway answers from what it kept: Node's HTTP server answers it without express (whose routing
 * cost several times the question itself, measured), after one round trip on the listening
 * connection (`settled`). Only the gateway may ask.
 */
export function dataVersionRoute(dataVersion: DataVersion, sentByGateway: SentByGateway, metrics: ServiceMetrics): RequestListener {
  let questions = 0;
  metrics.counter('data_version_questions_total', "The gateway's data-version questions answered.", () => questions);
  const send = (res: Parameters<RequestListener>[1], status: number, body: unknown) => {
    const json = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), 'cache-control': 'no-store' });
    res.end(json);
  };
  return (req, res) => {
    questions += 1;
    if (!sentByGateway(req.headers)) {
      describeRequest(req, { errorCodes: [ErrorCode.UNAUTHENTICATED] });
      return send(res, 401, errorsBody('only the gateway may ask for the data version', 'UNAUTHENTICATED', 'データの版はゲートウェイだけが問い合わせできます'));
    }
    void dataVersion.settled().then((version) => send(res, 200, { version: version ?? null }));
  };
}
