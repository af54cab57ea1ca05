import {
  advisorSignInRefusal,
  isAdvisorActiveOn,
  validateAdvisor,
  FollowUpStatus,
  VisitFormat,
  VisitPurpose,
  type VisitRecord,
  followUpOnVisitProblems,
  onChangedVisitProblems,
  isFollowUpOverdue,
  validateVisit,
} from '../../subgraphs/dispatch/rules';

/** A reason in Japanese: kana or kanji (not an English one repeated). */
const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

const visit: VisitRecord = {
  prefectureCode: '01',
  visitedOn: '2025-06-01',
  advisorIds: ['a'],
  municipalityCodes: ['014702'],
  format: VisitFormat.ON_SITE,
  purposes: [VisitPurpose.CORE_CENTER],
  topics: ['設置検討'],
  summary: '',
  issuesFound: '',
  attendees: [{ role: '担当', count: 1 }],
  notes: null,
};

describe('validating a visit', () => {
  it('accepts a valid visit', () => expect(validateVisit(visit, '2025-06-01')).toEqual([]));
  it.each<[Partial<VisitRecord>, string, string]>([
    [{ visitedOn: '2025-06-02' }, 'date', 'cannot be in the future'],
    [{ purposes: [] }, 'purposes', 'at least one'],
    [{ municipalityCodes: [] }, 'municipalityCodes', 'at least one'],
    [{ advisorIds: [] }, 'advisorIds', 'at least one'],
    [{ municipalityCodes: ['014703'] }, 'municipalityCodes[0]', 'check digit should be 2'],
    [{ municipalityCodes: ['131016'] }, 'municipalityCodes[0]', 'not in prefecture 01'],
    [{ attendees: [{ role: '担当', count: 0 }] }, 'attendees[0].count', '1 to 999'],
  ])('refuses %j at %s', (change, field, reason) => {
    expect(validateVisit({ ...visit, ...change }, '2025-06-01')).toEqual(
      expect.arrayContaining([{ field, reason: expect.stringContaining(reason), reasonJa: expect.stringMatching(JAPANESE) }]),
    );
  });
});

describe('overdue follow-ups', () => {
  it.each<[FollowUpStatus, string, boolean]>([
    [FollowUpStatus.OPEN, '2025-05-31', true],
    [FollowUpStatus.OPEN, '2025-06-01', false], // due today is not yet overdue
    [FollowUpStatus.DONE, '2025-01-01', false],
    [FollowUpStatus.DROPPED, '2025-01-01', false],
  ])('%s due %s → overdue on 2025-06-01: %s', (status, dueOn, overdue) => {
    expect(isFollowUpOverdue({ status, dueOn }, '2025-06-01')).toBe(overdue);
  });
});

describe('followUpOnVisitProblems', () => {
  const visit = { visitedOn: '2025-06-01', municipalityCodes: ['011002', '012025'] };
  it("takes a follow-up for one of the visit's municipalities, due and done no earlier than the visit", () => {
    expect(followUpOnVisitProblems({ municipalityCode: '012025', dueOn: '2025-06-01', completedOn: '2025-07-01' }, visit)).toEqual([]);
  });
  it('names each field that is wrong, in English and Japanese', () => {
    const problems = followUpOnVisitProblems({ municipalityCode: '131016', dueOn: '2025-05-31', completedOn: '2025-05-01' }, visit);
    expect(problems.map((p) => p.field)).toEqual(['municipalityCode', 'dueOn', 'completedOn']);
    expect(problems[0].reasonJa).toContain('011002、012025');
    expect(problems[1].reason).toBe('must not be before the visit (2025-06-01)');
  });
});

describe('onChangedVisitProblems', () => {
  const visit = { visitedOn: '2025-06-01', municipalityCodes: ['011002'] };
  const records = [
    { kind: 'follow-up' as const, id: 'FU-1', municipalityCode: '011002', dates: ['2025-06-10', '2025-06-20'] },
    { kind: 'request' as const, id: 'r-1', municipalityCode: '012025', dates: ['2025-05-30'] },
    { kind: 'assessment' as const, id: 'a-1', municipalityCode: '012025', dates: [] },
  ];
  it('keeps records for a municipality still visited, dated no earlier than the visit', () => {
    expect(onChangedVisitProblems({ visitedOn: '2025-05-30', municipalityCodes: ['011002', '012025'] }, records)).toEqual([]);
  });
  it('names each record left wrong by its kind and id, never by its text', () => {
    const problems = onChangedVisitProblems({ ...visit, visitedOn: '2025-06-15' }, records);
    expect(problems.map((p) => [p.field, p.reason.split(' is ')[0]])).toEqual([
      ['date', 'the follow-up FU-1'],
      ['municipalityCodes', 'the request r-1'],
      ['date', 'the request r-1'],
      ['municipalityCodes', 'the checklist assessment a-1'],
    ]);
    expect(problems[0].reason).toBe('the follow-up FU-1 is dated 2025-06-10, before 2025-06-15');
    expect(problems[1].reasonJa).toBe('要望 r-1 は市町村 012025 のものです。訪問先に 012025 を残してください（訪問で記録したものは訪問から外せません）');
  });
});

describe("an advisor's term (委嘱期間): the first and the last day both included, as a prefecture writes it", () => {
  const term = { activeFrom: '2026-04-01', activeUntil: '2027-03-31' };

  it('is active from the first day through the last', () => {
    expect(['2026-03-31', '2026-04-01', '2027-03-31', '2027-04-01'].map((d) => isAdvisorActiveOn(term, d))).toEqual([false, true, true, false]);
    expect(isAdvisorActiveOn({ ...term, activeUntil: null }, '2099-01-01')).toBe(true);
  });

  it('takes a term of one day, and refuses a last day before the first', () => {
    const record = { prefectureCode: '01', name: '名簿 花子', affiliation: '', qualifications: [], activeFrom: '2026-04-01' };
    expect(validateAdvisor({ ...record, activeUntil: '2026-04-01' })).toEqual([]);
    const [problem] = validateAdvisor({ ...record, activeUntil: '2026-03-31' });
    expect(problem).toMatchObject({ field: 'activeUntil', reasonJa: expect.stringContaining('委嘱終了日は委嘱開始日（2026-04-01）以降') });
  });

  it('admits a linked sign-in on every day of the term and for its prefecture only; an unlinked one on its token', () => {
    const advisor = { prefectureCode: '01', ...term };
    expect(advisorSignInRefusal(undefined, '13', '2030-01-01')).toBeNull();
    expect(advisorSignInRefusal(advisor, '01', '2026-04-01')).toBeNull();
    expect(advisorSignInRefusal(advisor, '01', '2027-03-31')).toBeNull();
    expect(advisorSignInRefusal(advisor, '01', '2027-04-01')).toMatchObject({
      reason: expect.stringContaining('ended on 2027-03-31'),
      reasonJa: expect.stringContaining('委嘱期間は 2027-03-31 に終了しています'),
    });
    expect(advisorSignInRefusal(advisor, '01', '2026-03-31')).toMatchObject({
      reason: expect.stringContaining('begins on 2026-04-01'),
      reasonJa: expect.any(String),
    });
    expect(advisorSignInRefusal(advisor, '13', '2026-06-01')).toMatchObject({
      reason: expect.stringContaining('an advisor of prefecture 01 in the advisor registry, not of prefecture 13'),
      reasonJa: expect.stringMatching(JAPANESE),
    });
  });
});
