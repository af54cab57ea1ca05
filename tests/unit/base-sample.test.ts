/** The bases sample reproduces the national coverage figures exactly and is what the generator makes. */
import { readFileSync } from 'node:fs';
import { PREFECTURES } from '../../shared/reference/prefectures';
import { SAMPLE_FILES, serviceFigureRows } from '../../subgraphs/bases/import';
import { isActiveOn } from '../../subgraphs/bases/rules';
import { COVERED_ON, generateSample, sampleCsv } from '../../subgraphs/bases/sample/generate';

const { bases, participants } = generateSample();

it('is the committed CSV, regenerated identically (run `npm run sample` after changing the generator)', () => {
  const csv = sampleCsv();
  expect(readFileSync(SAMPLE_FILES.bases, 'utf8')).toBe(csv.bases);
  expect(readFileSync(SAMPLE_FILES.participants, 'utf8')).toBe(csv.participants);
});

it('covers 1,270 municipalities on 2024-04-01 and 1,282 on 2025-07-01', () => {
  const coveredOn = (date: string) =>
    new Set(
      bases.filter((b) => isActiveOn({ establishedOn: b.established_on, closedOn: b.closed_on || null }, date)).flatMap((b) => b.municipality_codes.split(';')),
    ).size;
  expect(COVERED_ON.map(([date]) => coveredOn(date))).toEqual([1270, 1282]);
});

it('has the documented mix: every model, some bases missing functions, without coordinators, never reviewed', () => {
  expect(new Set(bases.map((b) => b.model))).toEqual(new Set(['MULTIFUNCTIONAL', 'NETWORKED', 'HYBRID']));
  const share = (test: (b: (typeof bases)[number]) => boolean) => bases.filter(test).length / bases.length;
  expect(share((b) => b.functions.split(';').length < 5)).toBeGreaterThan(0.3);
  expect(share((b) => b.coordinator_count === '0')).toBeGreaterThan(0.25);
  expect(share((b) => b.last_review_on === '')).toBeGreaterThan(0.1);
  expect(share((b) => b.municipality_codes.includes(';'))).toBeGreaterThan(0.05);
  expect(bases.every((b) => b.sample === 'true')).toBe(true);
  // every participant belongs to a function its base provides
  const provided = new Map(bases.map((b) => [b.base_id, b.functions.split(';')]));
  expect(participants.every((p) => provided.get(p.base_id)!.includes(p.function))).toBe(true);
});

it('reads the FY2024 service figures of all 47 prefectures, adding up to the national row', () => {
  const rows = serviceFigureRows();
  expect(new Set(rows.map((r) => r.prefectureCode))).toEqual(new Set(PREFECTURES.map((p) => p.code)));
  const total = (service: string) =>
    rows
      .filter((r) => r.service === service)
      .reduce((t, r) => ({ designated: t.designated + r.designated, billing: t.billing + r.billing }), { designated: 0, billing: 0 });
  expect(total('COMMUNITY_TRANSITION')).toEqual({ designated: 4434, billing: 647 });
  expect(total('COMMUNITY_SETTLEMENT')).toEqual({ designated: 4283, billing: 636 });
  expect(total('INDEPENDENT_LIVING')).toEqual({ designated: 570, billing: 352 });
});
