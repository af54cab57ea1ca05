import { randomUUID } from 'node:crypto';
import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { assertCanWritePrefecture, assertSignedIn } from '../../../shared/authorization';
import type { Viewer } from '../../../shared/context';
import { assertMunicipalityCode, assertUuid } from '../../../shared/codes';
import { todayInJapan } from '../../../shared/dates';
import { badUserInput } from '../../../shared/errors';
import { actorOf, recordHistory } from '../../../shared/history';
import type { Context } from '../context';
import { DispatchStore, type StoredAssessment } from '../data/dispatch.store';
import { AssessmentResult } from '../rules';
import { AssessmentInput } from '../types/visit.input';
import { Assessment, ChecklistItem, ChecklistTemplate } from '../types/visit.type';

/** An assessment as the viewer may see it: comments (free text) are left out for analysts. */
export function toAssessment(a: StoredAssessment, viewer?: Viewer): Assessment {
  const count = (r: AssessmentResult) => a.results.filter((x) => x.result === r).length;
  return {
    id: a.id,
    templateId: a.templateId,
    municipality: { code: a.municipalityCode },
    assessedOn: a.assessedOn,
    results: a.results.map((r) => ({ ...r, comment: viewer?.role === 'ANALYST' ? null : r.comment })),
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
  async recordAssessment(@Arg('input', () => AssessmentInput) input: AssessmentInput, @Ctx() ctx: Context): Promise<Assessment> {
    const code = assertMunicipalityCode(input.municipalityCode, 'input.municipalityCode');
    if (input.assessedOn > todayInJapan()) throw badUserInput('input.assessedOn', 'must not be in the future');
    const store = new DispatchStore(ctx.dataSource);
    const [template] = await store.templates([input.templateId]);
    if (!template) throw badUserInput('input.templateId', `no checklist template has id ${input.templateId}`);
    const items = (await store.itemsOf([input.templateId])).map((i) => i.itemId);
    const given = input.results.map((r) => r.itemId);
    const unknown = given.filter((id) => !items.includes(id));
    const missing = items.filter((id) => !given.includes(id));
    if (unknown.length > 0) throw badUserInput('input.results', `unknown item(s) ${unknown.join(', ')}`);
    if (missing.length > 0 || new Set(given).size !== given.length) {
      throw badUserInput('input.results', `give each of the ${items.length} items once${missing.length ? `; missing ${missing.join(', ')}` : ''}`);
    }
    assertCanWritePrefecture(ctx.viewer, code.slice(0, 2), ['ADVISOR']);
    const assessment: StoredAssessment = {
      id: randomUUID(),
      templateId: input.templateId,
      municipalityCode: code,
      assessedOn: input.assessedOn,
      visitId: input.visitId ? assertUuid(input.visitId, 'input.visitId') : null,
      recordedBy: actorOf(ctx.viewer),
      sample: false,
      results: input.results.map((r) => ({ itemId: r.itemId, result: r.result, comment: r.comment.trim() })),
    };
    await ctx.dataSource.transaction(async (manager) => {
      const [existing] = await manager.query(
        'SELECT 1 FROM assessment WHERE template_id = $1 AND municipality_code = $2 AND assessed_on = $3',
        [assessment.templateId, code, assessment.assessedOn],
      );
      if (existing) throw badUserInput('input.assessedOn', 'this municipality already has an assessment with this template on this date');
      await new DispatchStore(manager).saveAssessments([assessment]);
      await recordHistory(manager, { entity: 'assessment', entityId: assessment.id, action: 'record', actor: assessment.recordedBy, before: null, after: assessment });
    });
    return toAssessment(assessment, ctx.viewer);
  }
}
