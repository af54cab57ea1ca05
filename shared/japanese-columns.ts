/**
 * The Japanese column names every CSV import accepts besides its English ones (as prefectural staff head
 * their Excel sheets). An import takes the names of its own columns only; the README lists them. Header
 * cells are compared without white space and with full-width letters and digits as half-width
 * (`市町村 コード`, `センターＩＤ`, a line break in the cell: shared/csv-import.ts).
 */
export const JAPANESE_COLUMN_NAMES: Readonly<Record<string, readonly string[]>> = {
  center_id: ['センターID'],
  office_id: ['事業所ID'],
  base_id: ['拠点ID'],
  advisor_id: ['アドバイザーID'],
  prefecture_code: ['都道府県コード'],
  municipality_code: ['市町村コード', '市区町村コード', '団体コード'],
  municipality_codes: ['対象市町村コード', '市町村コード', '対象市区町村コード', '市区町村コード'],
  name: ['名称'],
  setup: ['設置形態'],
  operation: ['運営形態'],
  operator_name: ['委託先'],
  established_on: ['設置日', '整備日'],
  closed_on: ['廃止日'],
  functions: ['機能'],
  function: ['機能'],
  chief_specialists: ['主任相談支援専門員数'],
  specialists: ['相談支援専門員数'],
  social_workers: ['社会福祉士数'],
  psychiatric_social_workers: ['精神保健福祉士数'],
  public_health_nurses: ['保健師数'],
  other_staff: ['その他職員数'],
  also_functions_as_base: ['拠点等を兼ねる'],
  runs_abuse_prevention_center: ['虐待防止センターを兼ねる'],
  has_medical_care_child_coordinator: ['医療的ケア児等コーディネーター配置'],
  designations: ['指定種別'],
  fee_tier: ['報酬区分'],
  contracted_for_municipal_program: ['市町村事業の受託'],
  collaborative_arrangement: ['協働体制'],
  model: ['整備類型'],
  emergency_preregistrations: ['緊急時の事前登録者数'],
  coordinator_count: ['コーディネーター配置人数'],
  coordinator_funding: ['コーディネーターの財源'],
  coordinator_host: ['コーディネーター配置先'],
  coordinator_started_on: ['コーディネーター配置開始日'],
  last_review_on: ['直近の検証・検討日'],
  last_review_summary: ['検証・検討の概要'],
  organization_name: ['事業所名'],
  organization_kind: ['事業所種別'],
  affiliation: ['所属'],
  qualifications: ['資格'],
  active_from: ['活動開始日'],
  active_until: ['活動終了日'],
  subject: ['サインインID'],
  fiscal_year: ['年度'],
  implemented: ['実施の有無'],
  duties: ['実施業務'],
  advisor_positions: ['アドバイザーの配置'],
  model_project: ['モデル事業の利用'],
  as_of: ['基準日'],
  established: ['設置の有無'],
  joint: ['共同設置'],
  subcommittees: ['専門部会'],
  secretariat_with_core_center: ['事務局を基幹相談支援センターが担う'],
  meetings_last_year: ['昨年度の開催回数'],
  case_review_held: ['個別事例の検討'],
  source_name: ['出典'],
  source_as_of: ['出典の基準日'],
  sample: ['サンプル'],
  // Checked against the codes, not stored (shared/csv-import.ts nameProblems).
  municipality_name: ['市町村名', '市区町村名', '団体名'],
  prefecture_name: ['都道府県名'],
};

/** Japanese name → column, for the columns an import has. */
export function japaneseAliases(columns: readonly string[]): Record<string, string> {
  return Object.fromEntries(columns.flatMap((column) => (JAPANESE_COLUMN_NAMES[column] ?? []).map((japanese) => [japanese, column])));
}
