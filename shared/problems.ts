/** Validation problems: one shape for GraphQL inputs and CSV rows, turned into one kind of error. */
import { badUserInput } from './errors';

export interface FieldProblem {
  /** The input field (GraphQL) or column (CSV), e.g. `input.municipalityCodes[1]`. */
  field: string;
  reason: string;
  /** The same reason in Japanese, for the municipal and prefectural staff who read it. */
  reasonJa: string;
}

/** A problem's reason in both languages. */
export type Reason = Pick<FieldProblem, 'reason' | 'reasonJa'>;

/** The reasons the record rules share, in English and Japanese. */
export const REASONS = {
  blank: { reason: 'must not be blank', reasonJa: '空欄にはできません' },
  date: { reason: 'must be a date YYYY-MM-DD', reasonJa: '日付を YYYY-MM-DD 形式で指定してください' },
  afterEstablished: { reason: 'must be after the establishment date', reasonJa: '設置日より後の日付にしてください' },
  atMostCharacters: (max: number): Reason => ({ reason: `must be at most ${max} characters`, reasonJa: `${max}文字以内にしてください` }),
  wholeNumber: (min: number, max: number): Reason => ({
    reason: `must be a whole number from ${min} to ${max}`,
    reasonJa: `${min}〜${max}の整数を指定してください`,
  }),
  twice: (what: string, whatJa: string): Reason => ({ reason: `lists a ${what} twice`, reasonJa: `同じ${whatJa}が重複しています` }),
  /** A code check's own reasons (shared/codes.ts). */
  code: (check: Reason): Reason => ({ reason: check.reason, reasonJa: check.reasonJa }),
} as const;

/** Prefixes each problem's field, e.g. `input.` for a mutation's input argument. */
export function prefixed(problems: readonly FieldProblem[], prefix: string): FieldProblem[] {
  return problems.map((p) => ({ ...p, field: `${prefix}.${p.field}` }));
}

/** BAD_USER_INPUT naming the first problem and listing all, when there are any. */
export function assertNoProblems(problems: readonly FieldProblem[]): void {
  if (problems.length > 0) throw badUserInput(problems[0].field, problems[0].reason, { reasonJa: problems[0].reasonJa }, [...problems]);
}

/** An erasure says why (`input.reason`): a blank reason is refused. */
export const erasureReasonProblems = (reason: string): FieldProblem[] =>
  reason.trim() === '' ? [{ field: 'input.reason', reason: 'say why they are erased', reasonJa: '消去する理由を入力してください' }] : [];
