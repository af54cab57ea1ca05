/** The Japanese labels exports write beside codes, read from the supergraph's enum descriptions. */
import { readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';
import { projectPath } from '../../shared/paths';
import { enumLabels, trailingParenthesised } from '../../gateway/exports';

const supergraph = readFileSync(projectPath('gateway', 'supergraph.graphql'), 'utf8');

it('reads the parentheses that end a description, whatever they hold', () => {
  expect(trailingParenthesised('Its own center only (単独設置)')).toBe('単独設置');
  expect(trailingParenthesised('Wide-area issues ((エ) 広域的課題・複数圏域にまたがる課題への支援)')).toBe('(エ) 広域的課題・複数圏域にまたがる課題への支援');
  expect(trailingParenthesised('Cancelled (kept in the history) (取消)')).toBe('取消');
  expect(trailingParenthesised('Training (training, OJT) (⑤ 相談支援従事者の人材育成（研修・OJT）)')).toBe('⑤ 相談支援従事者の人材育成（研修・OJT）');
  expect(trailingParenthesised('1万人未満')).toBeUndefined();
  expect(trailingParenthesised('unbalanced)')).toBeUndefined();
  expect(trailingParenthesised('empty ()')).toBeUndefined();
});

it('labels every value of every enum whose descriptions end in Japanese, the six visit duties included', () => {
  const label = enumLabels(supergraph);
  const missing: string[] = [];
  for (const definition of parse(supergraph).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION) continue;
    for (const value of definition.values ?? []) {
      if (value.description?.value.endsWith(')') && !label(definition.name.value, value.name.value))
        missing.push(`${definition.name.value}.${value.name.value}`);
    }
  }
  expect(missing).toEqual([]);
  expect(label('VisitPurpose', 'WIDE_AREA_ISSUES')).toBe('(エ) 広域的課題・複数圏域にまたがる課題への支援');
  expect(label('VisitFormat', 'MEETING')).toBe('会議');
  expect(label('CoreCenterCoverage', 'SINGLE_AND_JOINT')).toMatch(/^[^()]+$/);
});
