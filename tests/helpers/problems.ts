import type { RowProblem } from '../../shared/csv-import';

/** An import report's problems as line, column and English reason (what most assertions name; Japanese and value are checked where they matter). */
export const english = (problems: readonly RowProblem[]) => problems.map(({ line, column, reason }) => ({ line, column, reason }));
