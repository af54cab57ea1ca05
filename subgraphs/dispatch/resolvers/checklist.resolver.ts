import { narrowAnswerScope } from '../../../shared/data-version';
import { ASSESSMENT_RESULT_LABELS } from '../types/enums';
import { randomUUID } from 'node:crypto';
import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { assertAnswersForPersonalTexts, assertSignedIn, readsFreeText } from '../../../shared/authorization';
import type { Viewer } from '../../../shared/context';
import { assertKnownMunicipalityCode, assertUuid } from '../../../shared/codes';
import { badUserInput, notFound } from '../../../shared/errors';
import { erasureReasonProblems } from '../../../shared/problems';
import { IDEMPOTENCY_KEY_DESCRIPTION, runWrite } from '../../../shared/write-path';
import type { Context } from '../context';
import { DispatchStore, type StoredAssessment } from '../data/dispatch.store';
import { AssessmentResult, VisitStatus, onVisitProblems } from '../rules';
import { EraseEarlierAssessmentTextsInput, RecordAssessmentInput } from '../types/visit.input';
import { Assessment, AssessmentTextErasure, ChecklistItem, ChecklistTemplate, toAssessmentTextErasure } from '../types/checklist.type';

/** An assessment as the viewer may see it: comments (free text) are left out for analysts and API keys. */
export function toAssessment(a: StoredAssessment, viewer: Viewer): Assessment {
  const comments = readsFreeText(viewer);
  if (comments) narrowAnswerScope(viewer, 'viewer'); // free text goes to no cache shared with someone else
  const count = (r: AssessmentResult) => a.results.filter((x) => x.result === r).length;
  return {
    id: a.id,
    templateId: a.templateId,
    municipality: { code: a.municipalityCode },
    assessedOn: a.assessedOn,
    results: a.results.map((r) => ({ ...r, resultLabel: ASSESSMENT_RESULT_LABELS[r.result], comment: comments ? r.comment : null })),
    metCount: count(AssessmentResult.MET),
    partlyCount: count(AssessmentResult.PARTLY),
    notMetCount: count(AssessmentResult.NOT_MET),
  };
}

@Resolver(() => ChecklistTemplate)
export class ChecklistResolver {
  @Query(() => [ChecklistTemplate], { nullable: true, description: 'Checklist templates, e.g. council-guideline-2025 (協議会ガイドラインのセルフチェック).' })
  checklistTemplates(@Ctx() ctx: Context): Promise<ChecklistTemplate[]> {
    assertSignedIn(ctx.viewer);
    return ctx.loaders.store.templates();
  }

  @FieldResolver(() => [ChecklistItem], { description: 'The items, in order.' })
  async items(@Root() template: ChecklistTemplate, @Ctx() ctx: Context): Promise<ChecklistItem[]> {
    return ctx.loaders.templateItems.load(template.id);
  }

  @Mutation(() => Assessment, { description: "Records a municipality's checklist assessment: every item of the template, once." })
  async recordAssessment(
    @Arg('input', () => RecordAssessmentInput, { description: 'The self-check and its answers.' }) input: RecordAssessmentInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey?: string,
  ): Promise<Assessment> {
    const code = assertKnownMunicipalityCode(input.municipalityCode, 'input.municipalityCode');
    const visitId = input.visitId ? assertUuid(input.visitId, 'input.visitId') : null;
    return runWrite(ctx, {
      operation: 'recordAssessment',
      idempotencyKey,
      payload: { input },
      writers: ['ADVISOR'],
      prefectureCode: code.slice(0, 2),
      apply: async (tx) => {
        const store = new DispatchStore(tx.manager);
        const [template] = await store.templates([input.templateId]);
        if (!template) throw notFound(`checklist template ${input.templateId}`, `チェックリスト ${input.templateId}`, 'input.templateId');
        const items = (await store.itemsOf([input.templateId])).map((i) => i.itemId);
        const given = input.results.map((r) => r.itemId);
        const unknown = given.filter((id) => !items.includes(id));
        const missing = items.filter((id) => !given.includes(id));
        if (unknown.length > 0) {
          throw badUserInput('input.results', `unknown item(s) ${unknown.join(', ')}`, {
            value: unknown.slice(0, 10),
            reasonJa: `テンプレートにない項目です: ${unknown.join('、')}`,
          });
        }
        if (missing.length > 0 || new Set(given).size !== given.length) {
          throw badUserInput('input.results', `give each of the ${items.length} items once${missing.length ? `; missing ${missing.join(', ')}` : ''}`, {
            reasonJa: `${items.length}項目をそれぞれ1回ずつ指定してください${missing.length ? `（不足: ${missing.join('、')}）` : ''}`,
          });
        }
        if (visitId) {
          // The assessment's visit: an active visit of the same prefecture, to this municipality; locked, as a
          // change to the visit checks the records made at it (onChangedVisitProblems).
          const visit = await store.lockVisit(visitId);
          // Another prefecture's visit is answered as none, as createRequest answers it (the refusal below would list its municipalities).
          if (!visit || visit.status === VisitStatus.CANCELLED || visit.prefectureCode !== code.slice(0, 2)) {
            throw notFound(`visit ${visitId}`, `訪問記録 ${visitId}`, 'input.visitId');
          }
          // Not dated by the visit: a self-check may be filled in before the advisor comes.
          const [problem] = onVisitProblems({ municipalityCode: code }, [], visit);
          if (problem) throw badUserInput('input.municipalityCode', problem.reason, { value: code, reasonJa: problem.reasonJa });
        }
        const [existing] = await tx.manager.query('SELECT 1 FROM assessment WHERE template_id = $1 AND municipality_code = $2 AND assessed_on = $3', [
          input.templateId,
          code,
          input.assessedOn,
        ]);
        if (existing) {
          throw badUserInput('input.assessedOn', 'this municipality already has an assessment with this template on this date', {
            value: input.assessedOn,
            reasonJa: 'この市町村には同じテンプレート・同じ日付の評価が既にあります',
          });
        }
        const assessment: StoredAssessment = {
          id: randomUUID(),
          templateId: input.templateId,
          municipalityCode: code,
          assessedOn: input.assessedOn,
          visitId,
          recordedBy: tx.actor,
          sample: false,
          results: input.results.map((r) => ({ itemId: r.itemId, result: r.result, comment: r.comment.trim() })),
        };
        await store.saveAssessments([assessment]);
        return { id: assessment.id, prefectureCode: code.slice(0, 2), history: { entity: 'assessment', before: null, after: assessment } };
      },
      reload: async (id) => toAssessment((await new DispatchStore(ctx.dataSource).assessmentsByIds([id]))[0], ctx.viewer),
    });
  }

  @Mutation(() => Assessment, {
    description:
      "Erases the earlier versions of the texts of a self-check's answers (以前の記述の消去), e.g. after a corrected sheet was imported on a person's " +
      'request: every comment that an entry of the change history holds (recordAssessment, an import row) and no answer of the assessment holds ' +
      "now, in one transaction. What the answers hold now stays. For staff of the municipality's prefecture and admins. The erasure is recorded " +
      'without the texts (Assessment.textErasures).',
  })
  async eraseEarlierAssessmentTexts(
    @Arg('input', () => EraseEarlierAssessmentTextsInput, { description: 'The assessment, and why.' }) input: EraseEarlierAssessmentTextsInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey?: string,
  ): Promise<Assessment> {
    const id = assertUuid(input.id, 'input.id');
    return runWrite(ctx, {
      operation: 'eraseEarlierAssessmentTexts',
      idempotencyKey,
      payload: { input },
      writers: ['PREFECTURE_STAFF'],
      validate: () => erasureReasonProblems(input.reason),
      apply: async (tx) => {
        const store = new DispatchStore(tx.manager);
        const assessment = await store.lockAssessment(id);
        if (!assessment) throw notFound(`assessment ${id}`, `自己点検 ${id}`, 'input.id');
        const prefectureCode = assessment.municipalityCode.slice(0, 2);
        tx.authorize(prefectureCode);
        await store.eraseEarlierAssessmentTexts(assessment, tx.actor, input.reason.trim());
        return { id, prefectureCode, history: { entity: 'assessment', before: assessment, after: assessment } };
      },
      reload: async (assessmentId) => toAssessment((await new DispatchStore(ctx.dataSource).assessmentsByIds([assessmentId]))[0], ctx.viewer),
    });
  }
}

@Resolver(() => Assessment)
export class AssessmentResolver {
  @FieldResolver(() => [AssessmentTextErasure], {
    nullable: true,
    description:
      "Every erasure of the assessment's earlier comments (以前の記述の消去の記録), newest first: for the prefecture's staff and admins; anyone else gets null with a FORBIDDEN error.",
  })
  async textErasures(@Root() assessment: Assessment, @Ctx() ctx: Context): Promise<AssessmentTextErasure[]> {
    assertAnswersForPersonalTexts(ctx.viewer, assessment.municipality.code.slice(0, 2), {
      en: "the record of a self-check's erasures",
      ja: '記述の消去の記録',
    });
    narrowAnswerScope(ctx.viewer, 'viewer'); // the reason is free text: kept for this reader only, never shared
    return (await ctx.loaders.textErasuresOfAssessment.load(assessment.id)).map(toAssessmentTextErasure);
  }
}
