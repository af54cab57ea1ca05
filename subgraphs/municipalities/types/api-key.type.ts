import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar, LocalDateScalar } from '../../../shared/scalars';
import { todayInJapan } from '../../../shared/dates';
import type { StoredApiKey } from '../data/api-key.store';

export enum ApiKeyScope {
  ANALYST = 'ANALYST',
  PREFECTURE = 'PREFECTURE',
}
registerEnumType(ApiKeyScope, {
  name: 'ApiKeyScope',
  description: 'What an API key reads (it never writes, and never reads free text that may identify a person).',
  valuesConfig: {
    ANALYST: { description: 'Every prefecture, as an analyst reads it (全国・分析担当の読み取り). Only an admin issues one.' },
    PREFECTURE: { description: "One prefecture's records, as its staff read them (都道府県単位の読み取り)." },
  },
});

export enum ApiKeyStatus {
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}
registerEnumType(ApiKeyStatus, {
  name: 'ApiKeyStatus',
  description: 'Whether a key is accepted today.',
  valuesConfig: {
    ACTIVE: { description: 'Accepted (有効).' },
    EXPIRED: { description: 'Its last day has passed (期限切れ).' },
    REVOKED: { description: 'Revoked: refused from that moment on (失効).' },
  },
});

@ObjectType({
  description:
    'An API key for a machine (BI tool, scheduled refresh; APIキー): its name, scope, expiry and use. The key itself is shown only once, ' +
    'when it is issued; only a salted hash is stored.',
})
export class ApiKey {
  @Field(() => ID, { description: 'The key id (the part after "ak." in the key); logs name keys by it.' })
  id!: string;

  @Field({ description: 'What the key is for, e.g. 「県BI 朝の更新」.' })
  name!: string;

  @Field(() => ApiKeyScope, { description: 'What the key reads: every prefecture (ANALYST) or one (PREFECTURE).' })
  scope!: ApiKeyScope;

  @Field({ description: 'The scope in Japanese: 全国（分析担当） or 都道府県.' })
  scopeLabel!: string;

  @Field(() => String, { nullable: true, description: 'The prefecture it reads, for scope PREFECTURE.' })
  prefectureCode!: string | null;

  @Field(() => [String], { nullable: true, description: 'The only operations (by name) and exports (e.g. municipality-status.csv) it may run; null: any.' })
  allowedOperations!: string[] | null;

  @Field(() => DateTimeScalar, { description: 'When it was issued.' })
  createdAt!: string;

  @Field({ description: 'Who issued it (role:subject).' })
  createdBy!: string;

  @Field(() => LocalDateScalar, { description: 'Its last day (in Japan); at most a year after it was issued.' })
  expiresOn!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Last use (to the minute); null when never used.' })
  lastUsedAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was revoked.' })
  revokedAt!: string | null;

  @Field(() => ApiKeyStatus, { description: 'Whether the key is accepted today (有効・期限切れ・失効).' })
  status!: ApiKeyStatus;

  @Field({ description: 'The status in Japanese: 有効, 期限切れ or 失効.' })
  statusLabel!: string;

  @Field(() => Int, { description: 'Version of the record, raised by each change (revocation).' })
  version!: number;
}

export function toApiKey(k: StoredApiKey): ApiKey {
  const status = k.revokedAt ? ApiKeyStatus.REVOKED : k.expiresOn < todayInJapan() ? ApiKeyStatus.EXPIRED : ApiKeyStatus.ACTIVE;
  return {
    id: k.id,
    name: k.name,
    scope: k.role === 'ANALYST' ? ApiKeyScope.ANALYST : ApiKeyScope.PREFECTURE,
    scopeLabel: k.role === 'ANALYST' ? '全国（分析担当）' : '都道府県',
    prefectureCode: k.prefectureCode,
    allowedOperations: k.allowedOperations,
    createdAt: k.createdAt,
    createdBy: k.createdBy,
    expiresOn: k.expiresOn,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
    status,
    statusLabel: { ACTIVE: '有効', EXPIRED: '期限切れ', REVOKED: '失効' }[status],
    version: k.version,
  };
}

@ObjectType({ description: 'A newly issued API key: the record, and the key itself (shown this once).' })
export class IssuedApiKey {
  @Field(() => ApiKey, { description: "The key's record, as apiKeys lists it." })
  apiKey!: ApiKey;

  @Field(() => String, {
    nullable: true,
    description:
      'The key, `ak.<id>.<secret>`: send it as `Authorization: ApiKey <key>` (or `X-API-Key: <key>`). Shown once and never again; null when ' +
      'this answer replays an earlier request with the same idempotencyKey.',
  })
  key!: string | null;
}

@InputType({ description: 'A key to issue (APIキーの発行).' })
export class IssueApiKeyInput {
  @Field({ description: 'What the key is for, 1–100 characters.' })
  name!: string;

  @Field(() => ApiKeyScope, { description: 'What the key reads: ANALYST (every prefecture; admins only) or PREFECTURE (one).' })
  scope!: ApiKeyScope;

  @Field(() => String, { nullable: true, description: 'For scope PREFECTURE: the prefecture, "01".."47" (prefectural staff: their own).' })
  prefectureCode?: string | null;

  @Field(() => LocalDateScalar, { description: 'Its last day: from tomorrow to one year after today (in Japan).' })
  expiresOn!: string;

  @Field(() => [String], { nullable: true, description: 'Operation names and export files it may run (at most 50); omit for any.' })
  allowedOperations?: string[] | null;
}

@InputType({ description: 'An API key to revoke.' })
export class RevokeApiKeyInput {
  @Field(() => ID, { description: "The key's id (ApiKey.id)." })
  id!: string;
}
