/**
 * ADVISOR sign-ins held against the advisor registry (アドバイザー名簿), which the dispatch subgraph keeps.
 * A token says who signed in and with which role; the registry says whether that advisor still serves.
 * A sign-in linked to an advisor whose term has ended (or not begun), or who serves another prefecture,
 * is refused whole (403) on every route — GraphQL, kept answers, exports, imports — from the moment the
 * registry says so, not when the token expires (rules: advisorSignInRefusal in subgraphs/dispatch/rules.ts).
 *
 * The registry's answer for a sign-in is reused while the dispatch subgraph's data version stands and the
 * day in Japan is the same (a term ends at midnight: gateway/remembered-answers.ts), so a repeated request
 * costs one version question — the one a kept answer asks anyway (VersionsAsked) — not a lookup. When the
 * registry cannot be asked, its last answer for the sign-in stands; a sign-in never answered for is refused
 * for now (503), never let through unchecked.
 */
import { ADVISOR_SIGN_IN_PATH, type AdvisorSignInAnswer } from '../shared/authorization';
import type { Viewer } from '../shared/context';
import { GATEWAY_SECRET_HEADER } from '../shared/context';
import { DATA_VERSION_HEADER } from '../shared/data-version';
import { forbidden, signInUncheckable } from '../shared/errors';
import type { DataVersions, VersionsAsked } from './data-versions';
import { RememberedAnswers } from './remembered-answers';
import { postToSubgraph } from './subgraph-http';

/** The subgraph that keeps the advisor registry. */
export const ADVISOR_REGISTRY_SUBGRAPH = 'dispatch';

/** What the remembered answers may take (tens of thousands of sign-ins); past it the least recently used are asked again. */
const REMEMBERED_BYTES = 4 * 1024 * 1024;

export class AdvisorSignIns {
  private readonly answers: RememberedAnswers<AdvisorSignInAnswer>;
  private readonly endpoint: string;

  constructor(private readonly options: { subgraphUrl: string; gatewaySecret: string; timeoutMs: number; versions: DataVersions }) {
    this.endpoint = new URL(ADVISOR_SIGN_IN_PATH, options.subgraphUrl).href;
    this.answers = new RememberedAnswers({ subgraph: ADVISOR_REGISTRY_SUBGRAPH, versions: options.versions, maxBytes: REMEMBERED_BYTES });
  }

  /** Refuses (throws) an ADVISOR sign-in the registry says may not act today; any other viewer passes. */
  async check(viewer: Viewer, asked?: VersionsAsked): Promise<void> {
    const { role, subject, prefectureCode, apiKeyId } = viewer;
    if (role !== 'ADVISOR' || apiKeyId || !subject || !prefectureCode) return;
    const key = `${prefectureCode}\n${subject}`;
    let answer = await this.answers.standing(key, asked);
    if (!answer) {
      const fresh = await this.ask(subject, prefectureCode);
      // Reckoned by the key's length, so that long subjects cannot make the store outgrow its bytes.
      if (fresh) this.answers.keep(key, (answer = fresh.answer), fresh.version, fresh.answer.day, 2 * key.length + 300);
      else answer = this.answers.last(key);
      if (!answer) {
        throw signInUncheckable(
          ADVISOR_REGISTRY_SUBGRAPH,
          `your sign-in cannot be checked against the advisor registry now: the ${ADVISOR_REGISTRY_SUBGRAPH} subgraph is unavailable; try again shortly`,
          'アドバイザー名簿でサインインを確認できません。しばらくしてからもう一度お試しください',
        );
      }
    }
    if (answer.refused) throw forbidden(answer.refused.reason, answer.refused.reasonJa, 'whole request');
  }

  /** The registry's answer now and the data version it was read at, or undefined when it cannot be had. */
  private async ask(subject: string, prefectureCode: string): Promise<{ answer: AdvisorSignInAnswer; version: string | undefined } | undefined> {
    try {
      const response = await postToSubgraph(
        this.endpoint,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', [GATEWAY_SECRET_HEADER]: this.options.gatewaySecret },
          body: JSON.stringify({ subject, prefectureCode }),
        },
        this.options.timeoutMs,
      );
      if (response.status !== 200) return undefined;
      const { refused, day } = JSON.parse(response.body) as AdvisorSignInAnswer;
      return { answer: { refused, day }, version: response.headers[DATA_VERSION_HEADER] };
    } catch {
      return undefined;
    }
  }
}
