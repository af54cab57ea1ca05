/**
 * Who may see and change what (the role table in the README), checked in every subgraph:
 *
 * - anonymous: public reference data only (prefectures, municipalities, population);
 * - ADVISOR, PREFECTURE_STAFF: everything of their own prefecture, visit notes included;
 * - ANALYST: every prefecture's records and all statistics, read-only, never notes or free text that
 *   may identify a person (visit summaries, issues, attendees, follow-up and request texts, comments);
 * - ADMIN: everything;
 * - an API key (a machine: `viewer.apiKeyId`) reads as its role does, but never writes and never reads free text.
 *
 * Reads outside the scope fail the field with FORBIDDEN (it reads as null); writes fail whole.
 */
import type { Role, Viewer } from './context';
import { narrowAnswerScope } from './data-version';
import { forbidden, unauthenticated } from './errors';

const signInToRead = () =>
  forbidden(
    'sign in to read these records; anonymous callers see reference data only',
    'サインインしてください（サインインしない場合は参照データだけを読めます）',
  );
const notYours = (prefectures: string) =>
  forbidden(`records of prefecture ${prefectures} are not yours to read`, `都道府県 ${prefectures} の記録を読む権限がありません`);

/** Writes: a role bound to the record's prefecture (from `roles`), or ADMIN. */
export function assertCanWritePrefecture(viewer: Viewer, prefectureCode: string, roles: readonly Role[]): void {
  if (viewer.role === null) throw unauthenticated('sign in to change records', '記録を変更するにはサインインしてください');
  assertNotApiKey(viewer);
  if (viewer.role === 'ADMIN') return;
  if (!roles.includes(viewer.role))
    throw forbidden(`role ${viewer.role} may not change these records`, `この役割（${viewer.role}）ではこの記録を変更できません`);
  if (viewer.prefectureCode !== prefectureCode) {
    throw forbidden(
      `records of prefecture ${prefectureCode} belong to that prefecture's staff`,
      `都道府県 ${prefectureCode} の記録はその都道府県の職員が変更します`,
    );
  }
}

/** The prefectures whose records the viewer may read: null for all of them. */
export function readablePrefectures(viewer: Viewer): string[] | null {
  if (viewer.role === 'ADMIN' || viewer.role === 'ANALYST') return null;
  if (viewer.role === null || viewer.prefectureCode === null) return [];
  return [viewer.prefectureCode];
}

export function canReadPrefecture(viewer: Viewer, prefectureCode: string): boolean {
  const readable = readablePrefectures(viewer);
  return readable === null || readable.includes(prefectureCode);
}

/** Records (core centers, bases, councils, visits, …) of one prefecture. */
export function assertCanReadPrefecture(viewer: Viewer, prefectureCode: string): void {
  if (viewer.role === null) throw signInToRead();
  if (!canReadPrefecture(viewer, prefectureCode)) throw notYours(prefectureCode);
}

/** Aggregates (statistics, national rates): any signed-in role. */
export function assertSignedIn(viewer: Viewer): void {
  if (viewer.role === null)
    throw forbidden(
      'sign in to read statistics; anonymous callers see reference data only',
      '統計を読むにはサインインしてください（サインインしない場合は参照データだけを読めます）',
    );
}

/** API keys only read: a change is made by a person, signed in. */
export function assertNotApiKey(viewer: Viewer): void {
  if (viewer.apiKeyId)
    throw forbidden('an API key only reads; sign in as a person to change records', 'API キーは読み取り専用です。変更は本人のサインインで行ってください');
}

/** Whether the viewer reads free text at all (in the prefectures it may read): not analysts, not API keys. */
export function readsFreeText(viewer: Viewer): boolean {
  return viewer.role !== null && viewer.role !== 'ANALYST' && !viewer.apiKeyId;
}

/** Free text that may identify a person: the prefecture's own advisors and staff, and admins; never a machine's API key. */
export function assertCanReadFreeText(viewer: Viewer, prefectureCode: string): void {
  narrowAnswerScope(viewer, 'viewer'); // free text goes to no cache shared with someone else
  if (viewer.role === 'ANALYST')
    throw forbidden('analysts do not read free text that may identify a person', '分析担当者は個人を特定しうる自由記述を読めません');
  if (viewer.apiKeyId) throw forbidden('an API key does not read free text that may identify a person', 'APIキーでは個人を特定しうる自由記述を読めません');
  assertCanReadPrefecture(viewer, prefectureCode);
}

/**
 * Who answers for the personal texts of a prefecture's records — sees who read a visit's notes and what was erased,
 * erases them —: the prefecture's staff and admins; never an API key. Anyone else is FORBIDDEN, told `what` is shown
 * only to them.
 */
export function assertAnswersForPersonalTexts(viewer: Viewer, prefectureCode: string, what: { en: string; ja: string }): void {
  const answers = !viewer.apiKeyId && (viewer.role === 'ADMIN' || (viewer.role === 'PREFECTURE_STAFF' && viewer.prefectureCode === prefectureCode));
  if (!answers)
    throw forbidden(`${what.en} is shown only to the prefecture's staff and admins`, `${what.ja}を見られるのは、その都道府県の職員と管理者だけです`);
}

/**
 * Scopes a list query to what the viewer may read: the requested prefectures if all are readable
 * (FORBIDDEN otherwise), or all readable ones when none were requested.
 */
export function scopePrefectures(viewer: Viewer, requested: string[] | undefined): string[] | undefined {
  if (viewer.role === null) throw signInToRead();
  const readable = readablePrefectures(viewer);
  if (readable === null) return requested;
  if (!requested) return readable;
  const outside = requested.filter((code) => !readable.includes(code));
  if (outside.length > 0) throw notYours(outside.join(', '));
  return requested;
}

/**
 * Where the dispatch subgraph, which keeps the advisor registry (アドバイザー名簿), tells the gateway whether
 * an ADVISOR sign-in may act today (`POST`, `{ subject, prefectureCode }`; gateway/advisor-sign-ins.ts).
 */
export const ADVISOR_SIGN_IN_PATH = '/internal/advisor-sign-ins';

/** The answer: why the sign-in may not act (null: it may), on which day in Japan; `x-data-version` says at which registry state. */
export interface AdvisorSignInAnswer {
  refused: { reason: string; reasonJa: string } | null;
  day: string;
}
