/**
 * Coverage of a municipality by facilities that serve one or several municipalities (core centers,
 * bases): the same rules in every subgraph.
 */

/** A record counts on `date` when it started on or before it and had not ended by then. */
export function isActiveOn(record: { establishedOn: string; closedOn: string | null }, date: string): boolean {
  return record.establishedOn <= date && (record.closedOn === null || record.closedOn > date);
}

export type CoverageValue = 'NONE' | 'SINGLE' | 'JOINT' | 'SINGLE_AND_JOINT';

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
