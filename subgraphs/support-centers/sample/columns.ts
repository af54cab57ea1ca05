/** The CSV columns of the support-centers import (documented in the README), shared by the sample. */
export const CORE_CENTER_COLUMNS = [
  'center_id',
  'prefecture_code',
  'name',
  'setup',
  'municipality_codes',
  'operation',
  'operator_name',
  'established_on',
  'closed_on',
  'functions',
  'chief_specialists',
  'specialists',
  'social_workers',
  'psychiatric_social_workers',
  'public_health_nurses',
  'other_staff',
  'also_functions_as_base',
  'runs_abuse_prevention_center',
  'has_medical_care_child_coordinator',
  'source_name',
  'source_as_of',
  'sample',
] as const;

export const OFFICE_COLUMNS = [
  'office_id',
  'municipality_code',
  'name',
  'designations',
  'fee_tier',
  'chief_specialists',
  'specialists',
  'contracted_for_municipal_program',
  'collaborative_arrangement',
  'source_name',
  'source_as_of',
  'sample',
] as const;

export type CoreCenterCsv = Record<(typeof CORE_CENTER_COLUMNS)[number], string>;
export type OfficeCsv = Record<(typeof OFFICE_COLUMNS)[number], string>;

export { LIST_SEPARATOR } from '../../../shared/csv-import';
