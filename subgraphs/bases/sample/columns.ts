/** The CSV columns of the bases import (documented in the README), shared by the sample. */
export const BASE_COLUMNS = [
  'base_id',
  'prefecture_code',
  'name',
  'model',
  'municipality_codes',
  'established_on',
  'closed_on',
  'functions',
  'emergency_preregistrations',
  'coordinator_count',
  'coordinator_funding',
  'coordinator_host',
  'coordinator_started_on',
  'last_review_on',
  'last_review_summary',
  'source_name',
  'source_as_of',
  'sample',
] as const;

export const PARTICIPANT_COLUMNS = ['base_id', 'function', 'organization_name', 'organization_kind'] as const;

export type BaseCsv = Record<(typeof BASE_COLUMNS)[number], string>;
export type ParticipantCsv = Record<(typeof PARTICIPANT_COLUMNS)[number], string>;
