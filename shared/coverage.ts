/**
 * Coverage of a municipality by facilities that serve one or several municipalities (core centers,
 * bases): the same rules in every subgraph.
 */

/** A record counts on `date` when it started on or before it and had not ended by then. */
export function isActiveOn(record: { establishedOn: string; closedOn: string | null }, date: string): boolean {
  return record.establishedOn <= date && (record.closedOn === null || record.closedOn > date);
}

/** The four coverage values (NONE / SINGLE / JOINT / SINGLE_AND_JOINT), written once for every subgraph. */
export const COVERAGE_VALUES = { NONE: 'NONE', SINGLE: 'SINGLE', JOINT: 'JOINT', SINGLE_AND_JOINT: 'SINGLE_AND_JOINT' } as const;
export type CoverageValue = keyof typeof COVERAGE_VALUES;

/** A copy of the values for one GraphQL enum (type-graphql tells enums apart by their object). */
export function coverageEnum(): { readonly [V in CoverageValue]: V } {
  return { ...COVERAGE_VALUES };
}

/** From the facilities covering a municipality: one serving only it is SINGLE, one serving several JOINT. */
export function coverageOf(joint: Iterable<boolean>): CoverageValue {
  let single = false;
  let shared = false;
  for (const isJoint of joint) {
    if (isJoint) shared = true;
    else single = true;
  }
  if (single && shared) return 'SINGLE_AND_JOINT';
  if (single) return 'SINGLE';
  if (shared) return 'JOINT';
  return 'NONE';
}
