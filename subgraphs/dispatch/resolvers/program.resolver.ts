/**
 * The prefectural program (都道府県相談支援体制整備事業): each prefecture's answer per fiscal year, recorded
 * by its prefectural staff through the write path, and the national table MHLW's survey publishes.
 */
import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { assertSignedIn } from '../../../shared/authorization';
import { todayInJapan } from '../../../shared/dates';
import { conflict } from '../../../shared/errors';
import { assertFiscalYear } from '../../../shared/fiscal-year';
import { prefixed } from '../../../shared/problems';
import { IDEMPOTENCY_KEY_DESCRIPTION, runWrite } from '../../../shared/write-path';
import type { Context } from '../context';
import { ProgramStore, type StoredProgram, programId } from '../data/program.store';
import { validateProgram } from '../rules';
import { PrefecturalProgram, RecordPrefecturalProgramInput, PrefecturalProgramTable, programTable, toProgram } from '../types/program.type';
import { movedArgument, optionalInputOrArgument } from '../../../shared/mutation-args';

@Resolver(() => PrefecturalProgram)
export class ProgramResolver {
  @Query(() => PrefecturalProgramTable, {
    nullable: true,
    description:
      'The prefectural program nationally in a fiscal year (都道府県相談支援体制整備事業の実施状況): implementing prefectures of 47, ' +
      'and for each duty ①–⑦ how many of the implementing prefectures carried it out, as MHLW tabulates its survey. Any signed-in role.',
  })
  async prefecturalPrograms(
    @Arg('fiscalYear', () => Int, { description: 'Fiscal year, the year it starts in (2025 = 令和7年度).' }) fiscalYear: number,
    @Ctx() ctx: Context,
  ): Promise<PrefecturalProgramTable> {
    assertSignedIn(ctx.viewer);
    return programTable(assertFiscalYear(fiscalYear), await new ProgramStore(ctx.dataSource).ofYear(fiscalYear));
  }

  @Mutation(() => PrefecturalProgram, {
    description:
      "Records a prefecture's program for a fiscal year (prefectural staff of the prefecture, or admin). The first record of a year " +
      'takes no version; changing it needs its current `version` (else CONFLICT).',
  })
  recordPrefecturalProgram(
    @Arg('input', () => RecordPrefecturalProgramInput, { description: "The prefecture's program in the fiscal year." }) input: RecordPrefecturalProgramInput,
    @Ctx() ctx: Context,
    @Arg('version', () => Int, movedArgument('version', 'The current version when the year is already recorded.'))
    versionArgument?: number | null,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey?: string,
  ): Promise<PrefecturalProgram> {
    // Optional: a year not recorded yet has no version.
    const version = optionalInputOrArgument('version', input.version, versionArgument);
    const record = {
      prefectureCode: input.prefectureCode,
      fiscalYear: input.fiscalYear,
      implemented: input.implemented,
      duties: [...input.duties],
      advisorPositions: input.advisorPositions.map((p) => ({ occupation: p.occupation.trim(), count: p.count })),
      modelProject: input.modelProject,
    };
    return runWrite(ctx, {
      operation: 'recordPrefecturalProgram',
      idempotencyKey,
      payload: { input, version },
      writers: ['PREFECTURE_STAFF'],
      prefectureCode: input.prefectureCode,
      validate: () => {
        assertFiscalYear(input.fiscalYear, 'input.fiscalYear');
        return prefixed(validateProgram(record), 'input');
      },
      apply: async (tx) => {
        const store = new ProgramStore(tx.manager);
        const current = await store.lock(record.prefectureCode, record.fiscalYear);
        if (current) tx.checkVersion('program', current.version, version ?? 0);
        else if (version !== undefined && version !== null)
          throw conflict(
            `there is no program of ${record.fiscalYear} to change yet; record it without a version`,
            'この年度の記録はまだありません。version を指定せずに登録してください',
          );
        const after: StoredProgram = {
          ...record,
          id: programId(record.prefectureCode, record.fiscalYear),
          sourceName: input.sourceName?.trim() || '都道府県による登録',
          sourceAsOf: input.sourceAsOf ?? todayInJapan(),
          sample: false,
          version: (current?.version ?? 0) + 1,
        };
        await store.save([after]);
        return { id: after.id, prefectureCode: after.prefectureCode, history: { entity: 'prefectural_program', before: current ?? null, after } };
      },
      reload: async (id) => toProgram((await new ProgramStore(ctx.dataSource).byIds([id]))[0]),
    });
  }
}
