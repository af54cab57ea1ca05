/**
 * API keys (APIキー) for machines: issued, listed and revoked through the write path by admins (any key)
 * and prefectural staff (keys of their own prefecture); checked for the gateway at
 * `POST /internal/api-key-sessions`, which only the gateway may call (its secret).
 */
import express, { type Express } from 'express';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { API_KEY_MAX_DAYS, SecretChecks, newApiKey, parseApiKey } from '../../../shared/api-keys';
import { readablePrefectures } from '../../../shared/authorization';
import { checkPrefectureCode } from '../../../shared/codes';
import type { Viewer } from '../../../shared/context';
import { DATA_VERSION_HEADER, narrowAnswerScope } from '../../../shared/data-version';
import { addDays, todayInJapan } from '../../../shared/dates';
import { ErrorCode, forbidden, notFound } from '../../../shared/errors';
import { actorOf } from '../../../shared/history';
import type { FieldProblem } from '../../../shared/problems';
import { describeRequest } from '../../../shared/request-log';
import type { SubgraphServices } from '../../../shared/subgraph';
import { IDEMPOTENCY_KEY_DESCRIPTION, runWrite } from '../../../shared/write-path';
import type { Context } from '../context';
import { ApiKeyStore, type StoredApiKey } from '../data/api-key.store';
import { ApiKey, ApiKeyScope, IssueApiKeyInput, IssuedApiKey, RevokeApiKeyInput, toApiKey } from '../types/api-key.type';
import { inputOrArgument, movedArgument, givenAt } from '../../../shared/mutation-args';

/** The prefecture an idempotency key and the history record a national (ANALYST) key under: only an admin writes it. */
const NATIONAL = '00';
const IDEMPOTENCY = { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION };

function issueProblems(input: IssueApiKeyInput, today: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.name.trim() === '' || input.name.length > 100)
    problems.push({ field: 'input.name', reason: 'must be 1 to 100 characters', reasonJa: '1〜100文字で指定してください' });
  if (input.scope === ApiKeyScope.PREFECTURE) {
    const check = input.prefectureCode ? checkPrefectureCode(input.prefectureCode) : { ok: false as const, reason: 'is required for scope PREFECTURE' };
    if (!check.ok) problems.push({ field: 'input.prefectureCode', reason: check.reason, reasonJa: '都道府県コード（"01"〜"47"）を指定してください' });
  } else if (input.prefectureCode) {
    problems.push({
      field: 'input.prefectureCode',
      reason: 'a key of scope ANALYST reads every prefecture: give no prefectureCode',
      reasonJa: 'ANALYST のキーには都道府県を指定しません',
    });
  }
  const last = addDays(today, API_KEY_MAX_DAYS - 1);
  if (input.expiresOn <= today || input.expiresOn > last) {
    problems.push({
      field: 'input.expiresOn',
      reason: `must be from tomorrow to ${last} (a key lives at most a year)`,
      reasonJa: `翌日から ${last} までの日付を指定してください（最長1年）`,
    });
  }
  (input.allowedOperations ?? []).forEach((name, i) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,99}$|^[a-z0-9-]{1,60}\.csv$/.test(name)) {
      problems.push({
        field: `input.allowedOperations[${i}]`,
        reason: 'must be an operation name (e.g. AdvisorWorklist) or an export file (e.g. municipality-status.csv)',
        reasonJa: '操作名またはエクスポートのファイル名を指定してください',
      });
    }
  });
  return problems;
}

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Query(() => [ApiKey], {
    description: 'API keys, newest first: all of them for an admin, those of their own prefecture for prefectural staff. Never the keys themselves.',
  })
  async apiKeys(@Ctx() ctx: Context): Promise<ApiKey[]> {
    if (ctx.viewer.apiKeyId || (ctx.viewer.role !== 'ADMIN' && ctx.viewer.role !== 'PREFECTURE_STAFF')) {
      throw forbidden('API keys are listed to admins and prefectural staff', 'APIキーの一覧は管理者と都道府県職員のみが見られます');
    }
    // A key's last use changes no data version (migration ApiKeyUseChangesNoAnswer): a kept list would show an old one.
    narrowAnswerScope(ctx.viewer, 'none');
    return (await new ApiKeyStore(ctx.dataSource).list(readablePrefectures(ctx.viewer))).map(toApiKey);
  }

  @Mutation(() => IssuedApiKey, {
    description:
      'Issues an API key that only reads (admins: any scope; prefectural staff: scope PREFECTURE of their own prefecture). The answer holds ' +
      'the key once: store it in the BI tool, it cannot be shown again (issue a new one if it is lost, and revoke the old one).',
  })
  async issueApiKey(
    @Arg('input', () => IssueApiKeyInput, { description: "The key's name, scope, last day and allowed operations." }) input: IssueApiKeyInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<IssuedApiKey> {
    const store = new ApiKeyStore(ctx.dataSource);
    const prefectureCode = input.scope === ApiKeyScope.PREFECTURE ? (input.prefectureCode ?? '') : NATIONAL;
    if (input.scope === ApiKeyScope.ANALYST && ctx.viewer.role !== null && ctx.viewer.role !== 'ADMIN') {
      throw forbidden('only an admin issues a key of scope ANALYST (every prefecture)', '全国を読むキー（ANALYST）は管理者のみが発行できます');
    }
    let issued: string | null = null;
    const record = await runWrite(ctx, {
      operation: 'issueApiKey',
      idempotencyKey,
      payload: { input },
      writers: ['PREFECTURE_STAFF'],
      prefectureCode: checkPrefectureCode(prefectureCode).ok || prefectureCode === NATIONAL ? prefectureCode : undefined,
      validate: () => issueProblems(input, todayInJapan()),
      apply: async (tx) => {
        tx.authorize(prefectureCode);
        const fresh = await newApiKey();
        const key: Omit<StoredApiKey, 'createdAt' | 'revokedAt' | 'revokedBy' | 'lastUsedAt' | 'version'> = {
          id: fresh.id,
          name: input.name.trim(),
          role: input.scope === ApiKeyScope.ANALYST ? 'ANALYST' : 'PREFECTURE_STAFF',
          prefectureCode: input.scope === ApiKeyScope.ANALYST ? null : prefectureCode,
          allowedOperations: input.allowedOperations ? [...new Set(input.allowedOperations)] : null,
          createdBy: tx.actor,
          expiresOn: input.expiresOn,
        };
        await new ApiKeyStore(tx.manager).insert(key, fresh.salt, fresh.hash);
        issued = fresh.key;
        // The history holds the record, never the key, its salt or its hash.
        return { id: key.id, prefectureCode, history: { entity: 'api_key', before: null, after: key } };
      },
      reload: async (id) => (await store.byId(id))!,
    });
    return { apiKey: toApiKey(record), key: issued };
  }

  @Mutation(() => ApiKey, { description: 'Revokes an API key: refused from this moment on, everywhere (the gateway checks every request).' })
  async revokeApiKey(
    @Arg('input', () => RevokeApiKeyInput, { nullable: true, description: 'The key to revoke.' }) input: RevokeApiKeyInput | null | undefined,
    @Arg('id', () => ID, movedArgument('id', "The key's id (ApiKey.id)."))
    idArgument: string | null | undefined,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<ApiKey> {
    const id = inputOrArgument('id', input?.id, idArgument);
    const store = new ApiKeyStore(ctx.dataSource);
    const record = await runWrite(ctx, {
      operation: 'revokeApiKey',
      idempotencyKey,
      payload: { id },
      writers: ['PREFECTURE_STAFF'],
      apply: async (tx) => {
        const txStore = new ApiKeyStore(tx.manager);
        const before = /^[0-9a-f-]{36}$/.test(id) ? await txStore.lock(id) : null;
        if (!before) throw notFound('API key', 'APIキー', givenAt('id', input?.id));
        const prefecture = before.prefectureCode ?? NATIONAL;
        tx.authorize(prefecture);
        if (!before.revokedAt) await txStore.revoke(id, tx.actor);
        return { id, prefectureCode: prefecture, history: { entity: 'api_key', before, after: { ...before, revoked: true } } };
      },
      reload: async (keyId) => (await store.byId(keyId))!,
    });
    return toApiKey(record);
  }
}

/** What the gateway learns of a presented key: the viewer it reads as, and the operations it may run. */
export interface ApiKeySession {
  viewer: Viewer;
  allowedOperations: string[] | null;
}

/** Checks a presented key: the viewer it reads as, or the reason it is refused (never the key itself). */
export async function apiKeySession(
  dataSource: DataSource,
  presented: string,
  secrets: SecretChecks,
): Promise<ApiKeySession | { refused: string; refusedJa: string; apiKeyId?: string }> {
  const parsed = parseApiKey(presented);
  if (!parsed) return { refused: 'the API key is malformed (expected ak.<id>.<secret>)', refusedJa: 'APIキーの形式が正しくありません（ak.<id>.<secret>）' };
  const store = new ApiKeyStore(dataSource);
  const stored = await store.credentials(parsed.id);
  if (!stored || !(await secrets.matches(parsed.id, parsed.secret, stored.salt, stored.hash)))
    return { refused: 'the API key is not known', refusedJa: 'このAPIキーは登録されていません' };
  const { key } = stored;
  if (key.revokedAt) return { refused: 'the API key has been revoked', refusedJa: 'このAPIキーは失効しています', apiKeyId: key.id };
  if (key.expiresOn < todayInJapan())
    return { refused: `the API key expired after ${key.expiresOn}`, refusedJa: `このAPIキーの有効期限（${key.expiresOn}）は過ぎています`, apiKeyId: key.id };
  await store.touch(key.id);
  return {
    viewer: { subject: `api-key:${key.id}`, role: key.role, prefectureCode: key.prefectureCode, apiKeyId: key.id },
    allowedOperations: key.allowedOperations,
  };
}

/**
 * `POST /internal/api-key-sessions` `{ "key": "ak.…" }`: for the gateway only; every check is logged with the key's
 * id, never the key (and every request made with it, in the gateway's request log). Tagged with the data version
 * read before the key was, so the gateway reuses the answer until the keys (or the day) change, a minute at most
 * (gateway/api-keys.ts).
 */
export function mountApiKeySessions(app: Express, { dataSource, log, sentByGateway, dataVersion }: SubgraphServices): void {
  const secrets = new SecretChecks();
  app.post('/internal/api-key-sessions', express.json({ limit: '1kb' }), async (req, res) => {
    if (!sentByGateway(req.headers)) {
      describeRequest(req, { errorCodes: [ErrorCode.UNAUTHENTICATED] });
      res.status(401).json({ refused: 'only the gateway may check API keys', refusedJa: 'APIキーを確認できるのはゲートウェイだけです' });
      return;
    }
    const presented = typeof req.body?.key === 'string' ? req.body.key : '';
    const version = dataVersion.current();
    const session = await apiKeySession(dataSource, presented, secrets);
    if (version !== undefined) res.setHeader(DATA_VERSION_HEADER, version);
    res.setHeader('cache-control', 'no-store');
    if ('refused' in session) {
      log.info({ apiKeyId: session.apiKeyId ?? null, outcome: 'refused', reason: session.refused }, 'API key refused');
      res.status(401).json({ refused: session.refused, refusedJa: session.refusedJa });
      return;
    }
    log.info({ apiKeyId: session.viewer.apiKeyId, actor: actorOf(session.viewer), outcome: 'accepted' }, 'API key used');
    res.json(session);
  });
}
