/** The authorization helpers every subgraph uses (shared/authorization.ts), for each role. */
import { assertCanReadFreeText, assertCanReadPrefecture, assertCanWritePrefecture, readablePrefectures, scopePrefectures } from '../../shared/authorization';
import { ANONYMOUS, type Viewer } from '../../shared/context';

const advisor: Viewer = { subject: 'a', role: 'ADVISOR', prefectureCode: '01' };
const staff: Viewer = { subject: 's', role: 'PREFECTURE_STAFF', prefectureCode: '01' };
const analyst: Viewer = { subject: 'n', role: 'ANALYST', prefectureCode: null };
const admin: Viewer = { subject: 'x', role: 'ADMIN', prefectureCode: null };
const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'ok';
  } catch (error) {
    return (error as { extensions: { code: string } }).extensions.code;
  }
};

it('lets a role write only its own prefecture, and only the roles named for the record', () => {
  const writers = ['PREFECTURE_STAFF'] as const;
  expect([ANONYMOUS, advisor, staff, analyst, admin].map((v) => codeOf(() => assertCanWritePrefecture(v, '01', writers)))).toEqual([
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'ok',
    'FORBIDDEN',
    'ok',
  ]);
  expect(codeOf(() => assertCanWritePrefecture(staff, '13', writers))).toBe('FORBIDDEN');
});

it('reads: prefecture-bound roles their own, national roles all, anonymous none', () => {
  expect([ANONYMOUS, advisor, staff, analyst, admin].map(readablePrefectures)).toEqual([[], ['01'], ['01'], null, null]);
  expect([ANONYMOUS, advisor, analyst].map((v) => codeOf(() => assertCanReadPrefecture(v, '13')))).toEqual(['FORBIDDEN', 'FORBIDDEN', 'ok']);
});

it('keeps free text from analysts and from other prefectures', () => {
  expect([ANONYMOUS, advisor, staff, analyst, admin].map((v) => codeOf(() => assertCanReadFreeText(v, '01')))).toEqual([
    'FORBIDDEN',
    'ok',
    'ok',
    'FORBIDDEN',
    'ok',
  ]);
  expect(codeOf(() => assertCanReadFreeText(advisor, '13'))).toBe('FORBIDDEN');
});

it('scopes a list to the readable prefectures, refusing any other one asked for', () => {
  expect(scopePrefectures(advisor, undefined)).toEqual(['01']);
  expect(scopePrefectures(advisor, ['01'])).toEqual(['01']);
  expect(codeOf(() => scopePrefectures(advisor, ['01', '13']))).toBe('FORBIDDEN');
  expect(scopePrefectures(analyst, undefined)).toBeUndefined();
  expect(scopePrefectures(analyst, ['13'])).toEqual(['13']);
  expect(codeOf(() => scopePrefectures(ANONYMOUS, undefined))).toBe('FORBIDDEN');
});
