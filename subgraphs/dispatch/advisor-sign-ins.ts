/**
 * The advisor registry's word on a sign-in, for the gateway (gateway/advisor-sign-ins.ts): whether an
 * ADVISOR sign-in may act today (advisorSignInRefusal in rules.ts).
 */
import express, { type Express } from 'express';
import { ADVISOR_SIGN_IN_PATH, type AdvisorSignInAnswer } from '../../shared/authorization';
import { DATA_VERSION_HEADER } from '../../shared/data-version';
import { todayInJapan } from '../../shared/dates';
import { errorsBody } from '../../shared/errors';
import { answerErrors } from '../../shared/http';
import type { SubgraphServices } from '../../shared/subgraph';
import { DispatchStore } from './data/dispatch.store';
import { advisorSignInRefusal } from './rules';

/**
 * `POST /internal/advisor-sign-ins` `{ subject, prefectureCode }`: whether an ADVISOR sign-in may act today
 * by the registry (advisorSignInRefusal), for the gateway only. Tagged with the data version read before
 * the registry was, so the gateway reuses the answer until the registry (or the day) changes.
 */
export function mountAdvisorSignIns(app: Express, { dataSource, sentByGateway, dataVersion }: SubgraphServices): void {
  app.post(ADVISOR_SIGN_IN_PATH, express.json({ limit: '2kb' }), async (req, res) => {
    if (!sentByGateway(req.headers)) {
      answerErrors(
        res,
        401,
        errorsBody('only the gateway may check advisor sign-ins', 'UNAUTHENTICATED', 'アドバイザーのサインインを確認できるのはゲートウェイだけです'),
      );
      return;
    }
    const { subject, prefectureCode } = (req.body ?? {}) as { subject?: unknown; prefectureCode?: unknown };
    if (typeof subject !== 'string' || typeof prefectureCode !== 'string') {
      answerErrors(
        res,
        400,
        errorsBody('give the subject and prefectureCode of the sign-in', 'BAD_USER_INPUT', 'サインインの subject と prefectureCode を指定してください'),
      );
      return;
    }
    const version = dataVersion.current();
    const day = todayInJapan();
    const advisor = await new DispatchStore(dataSource).advisorBySubject(subject);
    const answer: AdvisorSignInAnswer = { refused: advisorSignInRefusal(advisor, prefectureCode, day), day };
    if (version !== undefined) res.setHeader(DATA_VERSION_HEADER, version);
    res.setHeader('cache-control', 'no-store');
    res.json(answer);
  });
}
