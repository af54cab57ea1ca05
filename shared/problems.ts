/** Validation problems: one shape for GraphQL inputs and CSV rows, turned into one kind of error. */
import { badUserInput } from './errors';

export interface FieldProblem {
  /** The input field (GraphQL) or column (CSV), e.g. `input.municipalityCodes[1]`. */
  field: string;
  reason: string;
  /** The same reason in Japanese, for the municipal and prefectural staff who read it. */
  reasonJa?: string;
}

/** Prefixes each problem's field, e.g. `input.` for a mutation's input argument. */
export function prefixed(problems: readonly FieldProblem[], prefix: string): FieldProblem[] {
  return problems.map((p) => ({ ...p, field: `${prefix}.${p.field}` }));
}

/** BAD_USER_INPUT naming the first problem and listing all, when there are any. */
export function assertNoProblems(problems: readonly FieldProblem[]): void {
  if (problems.length > 0) throw badUserInput(problems[0].field, problems[0].reason, [...problems], { reasonJa: problems[0].reasonJa });
}
