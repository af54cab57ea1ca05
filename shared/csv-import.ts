/**
 * The machinery of every import (CSV or .xlsx): all or nothing (every row is checked first; one bad row
 * rejects the file, with a report of every bad row: line, column, value, reason), and idempotent (rows
 * are matched on their id column; a row identical to what is stored changes nothing). One transaction
 * per file. Every import that writes records each row's values before and after in the history, under
 * the import's id, so `revertImport` can restore them exactly. Each subgraph supplies how to parse a
 * row and how to read, write and remove its records, and how to write a record back as a row: the
 * download (`GET /import/<kind>.xlsx`) that, edited in Excel, is imported again.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { distance } from 'fastest-levenshtein';
import type { DataSource, EntityManager } from 'typeorm';
import { type CsvRow, MalformedCsv, type RawRow, type Table, TooManyRows, TooWide, nextTurn, readCsv, tableFrom } from './csv';
import { GraphQLError } from 'graphql';
import { ErrorCode, badUserInput, conflict, forbidden, notFound } from './errors';
import { loadOncePerVersion } from './data-import';
import { recordHistory } from './history';
import type { Logger } from './log';
import { type RepairedCode, namesRepaired, repairMunicipalityCode, repairPrefectureCode } from './codes';
import { readSpreadsheetDate } from './spreadsheet-dates';
import { todayInJapan } from './dates';
import { JAPANESE_COLUMN_NAMES, japaneseAliases } from './japanese-columns';
import { DATE_RANGES, DEFAULT_LIST_LIMIT, LIST_LIMITS, TEXT_LIMITS, characterProblem, dateRangeProblem } from './input-rules';
import { type MunicipalityReference, municipalityReferences } from './reference/municipalities';
import { PREFECTURES } from './reference/prefectures';
import { comparableName, trimCharacters } from './text';
import type { FieldProblem } from './problems';

/** Separator inside list cells (e.g. municipality codes): what downloads write. */
export const LIST_SEPARATOR = ';';

/**
 * How staff separate the items of a list cell in Excel, besides `;`: the full-width `；` and a line break
 * (Alt+Enter in the cell). Ids and coded values (`values`) may also be separated by `、` or a comma (none
 * contains one), and municipality codes (`codes`) by `・` or spaces as well (labels contain `・`:
 * 緊急時の受け入れ・対応, and an id may hold a space).
 */
export const LIST_SEPARATORS = {
  text: /[;；\r\n]+/u,
  values: /[;；\r\n、,，]+/u,
  codes: /[;；\r\n、,，・\s]+/u,
} as const;

export interface ImportOptions {
  /** Check only; write nothing. */
  dryRun?: boolean;
  /** Who runs the import, for the history (e.g. `cli:alice`, `sample`). */
  actor?: string;
  /** The prefectures whose records the importer may write; undefined for any (admins, the sample). */
  prefectures?: string[];
}

export interface RowProblem {
  line: number;
  column: string;
  reason: string;
  /** The same reason in Japanese (every rule gives one: staff read these reports). */
  reasonJa: string;
  /** The cell as received (cut to 200 characters), when the problem is one cell's. */
  value?: string;
  /** `column` as the file's header wrote it, when it wrote it otherwise (`設置日`): added as the report goes out (reportAsSent). */
  header?: string;
}

export interface ImportReport {
  kind: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  problems: RowProblem[];
  /** Cells repaired on the way in (e.g. a municipality code whose leading zero Excel dropped): the rows import as repaired. */
  warnings: RowProblem[];
  dryRun: boolean;
  /** True when the rows were written (valid file, not a dry run). */
  applied: boolean;
  /** The import's id when it wrote something: what `revert` takes. */
  importId: string | null;
}

/** What a revert did: rows restored to their values before the import, rows the import had added removed. */
export interface RevertReport {
  kind: string;
  importId: string;
  restored: number;
  removed: number;
}

/**
 * Date columns that are an API input's date, by that input's name in DATE_RANGES (shared/input-rules.ts): a
 * file takes the dates the API takes — a visit or a request not in the future, nothing before 2000, a due
 * date at most five years ahead. (`as_of` of a council or self-plan rate has no API input: any real date.)
 */
const DATE_COLUMN_RANGES: Readonly<Record<string, keyof typeof DATE_RANGES>> = {
  visited_on: 'date',
  raised_on: 'raisedOn',
  assessed_on: 'assessedOn',
  due_on: 'dueOn',
  completed_on: 'completedOn',
  established_on: 'establishedOn',
  closed_on: 'closedOn',
  active_from: 'activeFrom',
  active_until: 'activeUntil',
  source_as_of: 'sourceAsOf',
  last_review_on: 'reviewedOn',
  coordinator_started_on: 'startedOn',
};

/** Text list cells: each item is limited as the API limits each item of that list. */
const LIST_TEXT_COLUMNS: ReadonlySet<string> = new Set(['topics', 'qualifications', 'advisor_ids']);
/**
 * Text columns that are an API input's text, by that input's name in TEXT_LIMITS (shared/input-rules.ts): a
 * file takes the lengths the API takes, so that a record loaded from Excel can be saved again from a screen
 * (a visit's summary of 10,000 characters came in from a file, and every later updateVisit sending it back was
 * refused).
 */
const TEXT_COLUMN_LIMITS: Readonly<Record<string, keyof typeof TEXT_LIMITS>> = {
  // Keys in files: the API's ids are 100 characters at most (a longer one, unique-indexed, failed at the database).
  center_id: 'id',
  office_id: 'id',
  base_id: 'id',
  advisor_id: 'id',
  visit_id: 'id',
  follow_up_id: 'id',
  request_id: 'id',
  owner_advisor_id: 'id',
  advisor_ids: 'id',
  item_id: 'itemId',
  summary: 'summary',
  issues_found: 'issuesFound',
  response: 'response',
  comment: 'comment',
  description: 'description',
  drop_reason: 'reason',
  last_review_summary: 'summary',
  name: 'name',
  operator_name: 'operatorName',
  organization_name: 'organizationName',
  coordinator_host: 'hostOrganization',
  affiliation: 'affiliation',
  subject: 'subject',
  source_name: 'sourceName',
  topics: 'topics',
  qualifications: 'qualifications',
};

/** The API's inputs of free text (the schema describes each as such; tests/unit/csv-import.test.ts keeps the two alike). */
export const FREE_TEXT_INPUTS: ReadonlySet<string> = new Set(['summary', 'issuesFound', 'response', 'comment', 'description', 'reason', 'topics', 'notes']);

/**
 * Columns of free text (what a visit found, what is to be done, why it was dropped, what a review concluded),
 * which may identify a person: the columns that are a free-text input of the API. A problem with one names its
 * line and column and never quotes its cell, as the API's input rules quote no free text (shared/input-rules.ts isQuotable).
 */
export const FREE_TEXT_COLUMNS: ReadonlySet<string> = new Set(
  Object.entries(TEXT_COLUMN_LIMITS)
    .filter(([, input]) => FREE_TEXT_INPUTS.has(input))
    .map(([column]) => column),
);

/** List columns that are an API input's list, by that input's name in LIST_LIMITS: a file takes as many items as the API (any other list, DEFAULT_LIST_LIMIT). */
const LIST_COLUMN_LIMITS: Readonly<Record<string, keyof typeof LIST_LIMITS>> = {
  advisor_ids: 'advisorIds',
  municipality_codes: 'municipalityCodes',
  topics: 'topics',
  attendees: 'attendees',
  purposes: 'purposes',
  functions: 'functions',
  qualifications: 'qualifications',
  duties: 'duties',
  advisor_positions: 'advisorPositions',
};

/** The CSV column of a record field a rule names: `municipalityCodes[1]` → `municipality_codes`. */
export function columnOf(field: string): string {
  return field.replace(/\[\d+\]$/, '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** What Excel shows in a cell whose formula failed, and writes in its CSV (the same in Japanese Excel). */
const EXCEL_ERRORS: ReadonlySet<string> = new Set([
  '#NULL!',
  '#DIV/0!',
  '#VALUE!',
  '#REF!',
  '#NAME?',
  '#NUM!',
  '#N/A',
  '#GETTING_DATA',
  '#SPILL!',
  '#CALC!',
  '#FIELD!',
  '#BLOCKED!',
  '#CONNECT!',
  '#BUSY!',
  '#UNKNOWN!',
]);

/** A count as forms write it: digits typed with a Japanese input method (１２), a unit after them (3人, 12名, 4回, 5件). */
export const countText = (cell: string) => cell.normalize('NFKC').replace(/(?<=\d)\s*(?:人|名|回|件)$/u, '');

/**
 * What to add to a count's refusal when the cell is a dash, as statistical tables write "none" (－) or "no figure":
 * which of the two it means is the person's to say, so it is not read as 0.
 */
export const dashHint = (value: string): { en: string; ja: string } =>
  /^[-－ー―‐−]$/u.test(value.trim())
    ? { en: ' (a dash is no number: write 0 if there are none)', ja: '。「－」は数ではありません。ない場合は 0 と入力してください' }
    : { en: '', ja: '' };

/** How to save a date column whose cells Excel shows without their year or era (SpreadsheetDate.partMissing). */
const SAVED_AS_SHOWN = {
  en: 'Excel saves a CSV file as its cells show: give the column a format that shows the whole date (yyyy/m/d) before saving, or import the .xlsx itself',
  ja: 'Excel は CSV に表示どおり保存します。列の表示形式を年まで表示する形（yyyy/m/d など）にしてから保存するか、.xlsx のまま取り込んでください',
};

/** Reads cells of one row, collecting a problem per bad cell. */
export class RowReader {
  constructor(
    private readonly row: CsvRow,
    private readonly problems: RowProblem[],
    /** Where a cell was repaired (a code Excel mangled): the row still imports, and the report says what was changed. */
    private readonly warnings: RowProblem[] = [],
  ) {}

  private repaired(column: string, repairs: RepairedCode['repairs']): void {
    for (const repair of repairs) this.warnings.push({ line: this.row.line, column, ...repair });
  }

  /** A prefecture code; "1" (Excel's number) is read as "01", with a warning. */
  prefectureCode(column: string): string {
    const { code, repairs } = repairPrefectureCode(this.text(column));
    this.repaired(column, repairs);
    return code;
  }

  /** The row's prefecture, if it has one, to tell municipalities of the same name apart (伊達市). */
  private prefectureHint(): string | undefined {
    const given = this.row.values.prefecture_code;
    return given ? repairPrefectureCode(given).code : undefined;
  }

  /** A municipality code, repaired where certain (shared/codes.ts, with a warning); its validity is checked by the caller's rules. */
  municipalityCode(column: string, required = true): string {
    const raw = this.text(column, required);
    if (raw === '') return raw;
    const { code, repairs } = repairMunicipalityCode(raw, this.prefectureHint());
    this.repaired(column, repairs);
    return code;
  }

  /**
   * The municipality codes of a list cell, each repaired where certain. Wards read as their city (a visit to
   * 鶴見区 and 神奈川区, or to a ward and its city) are the city once; a code given twice stays, for the rules to refuse.
   */
  municipalityCodes(column: string, required = true): string[] {
    const read = municipalityCodeItems(this.list(column, required, 'codes'), this.prefectureHint()).map((raw) => {
      const repaired = repairMunicipalityCode(raw, this.prefectureHint());
      this.repaired(column, repaired.repairs);
      return repaired;
    });
    const sameCityBefore = (code: RepairedCode, i: number) => read.some((other, j) => other.code === code.code && (j < i || other.ward === undefined));
    return read.filter((code, i) => code.ward === undefined || !sameCityBefore(code, i)).map((code) => code.code);
  }

  private problem(column: string, reason: string, reasonJa: string): void {
    const value = this.row.values[column];
    const quoted = value && !FREE_TEXT_COLUMNS.has(column);
    this.problems.push({ line: this.row.line, column, reason, reasonJa, ...(quoted ? { value: value.slice(0, 200) } : {}) });
  }

  text(column: string, required = true): string {
    const value = this.row.values[column] ?? '';
    if (required && value === '') this.problem(column, 'is required', '必須です');
    const limit = TEXT_COLUMN_LIMITS[column];
    const max = limit && TEXT_LIMITS[limit];
    const longest = max && (LIST_TEXT_COLUMNS.has(column) ? value.split(LIST_SEPARATORS.text) : [value]).find((item) => item.trim().length > max);
    if (longest) {
      const items = LIST_TEXT_COLUMNS.has(column) ? ' per item' : '';
      this.problem(
        column,
        `must be at most ${max} characters${items}, got ${longest.trim().length}`,
        `${max}文字以内で入力してください（${longest.trim().length}文字）`,
      );
    }
    // What PostgreSQL cannot store, control characters and bidirectional overrides are refused here, as in the API.
    const bad = characterProblem(value);
    if (bad) this.problem(column, bad.reason, bad.reasonJa);
    // And what was garbled before the file came: decoding never makes U+FFFD, so one in a cell is a character an
    // earlier conversion lost (a Shift_JIS file opened as UTF-8 and saved again). Stored, it could not be recovered.
    const lost = value.indexOf('\uFFFD');
    if (lost !== -1 && !bad)
      this.problem(
        column,
        `contains the replacement character U+FFFD (�) at character ${lost + 1}: a character was lost when the file was converted; correct the text`,
        `${lost + 1}文字目に文字化けの跡（�）があります。元の文字に直してください`,
      );
    // A formula that failed (#N/A of a lookup that found nothing, #REF! of a deleted column) is no value.
    if (EXCEL_ERRORS.has(value.toUpperCase()))
      this.problem(
        column,
        `holds Excel's error ${value}: a formula failed; correct the formula or type the value`,
        `Excel のエラー ${value} です（数式が失敗しています）。数式を直すか、値を入力してください`,
      );
    return value;
  }

  /**
   * A cell filled in where the row says it does not apply (a coordinator's funding on a base of no coordinator):
   * refused, naming what is missing, rather than dropped without a word.
   */
  notApplicable(column: string, why: { reason: string; reasonJa: string }): void {
    if ((this.row.values[column] ?? '').trim() !== '') this.problem(column, `is filled in, but ${why.reason}`, why.reasonJa);
  }

  optionalText(column: string): string | null {
    return this.text(column, false) || null;
  }

  integer(column: string): number {
    const value = countText(this.text(column));
    if (value !== '' && !/^\d{1,3}$/.test(value)) {
      const hint = dashHint(value);
      this.problem(column, `must be a whole number from 0 to 999, got "${value}"${hint.en}`, `0〜999の整数で入力してください（「${value}」）${hint.ja}`);
    }
    return Number(value);
  }

  boolean(column: string): boolean {
    // As forms mark it: ○ (or the kanji 〇, the large ◯), a check mark (✓, レ, ☑), 有・有り・あり・はい; ×
    // (or ✕, x), an empty box ☐, a dash for none (－, ー), 無・無し・なし・いいえ; full-width ＴＲＵＥ too.
    const value = this.text(column).normalize('NFKC').toLowerCase();
    if (['true', '1', 'yes', 'y', '有', '有り', 'あり', 'はい', '○', '〇', '◯', '✓', '✔', '☑', 'レ'].includes(value)) return true;
    if (['false', '0', 'no', 'n', '無', '無し', 'なし', 'いいえ', '×', '✕', '✖', 'x', '☐', '□', '-', 'ー', '―', ''].includes(value)) {
      if (value === '') this.problem(column, 'must be true or false', 'true / false（有 / 無、○ / ×）で入力してください');
      return false;
    }
    this.problem(column, `must be true or false, got "${value}"`, `true / false（有 / 無、○ / ×）で入力してください（「${value}」）`);
    return false;
  }

  /** One of `allowed`, or its Japanese label (`labels`, e.g. 単独設置, or the start of one that names a single value, e.g. 単独). */
  oneOf<T extends string>(column: string, allowed: readonly T[], labels?: Readonly<Record<T, string>>): T {
    const value = this.text(column);
    if (value === '') return value as T;
    const found = valueOrLabel(value, allowed, labels);
    if (found) return found;
    const choices = allowed.map((v) => (labels ? `${v} (${labels[v]})` : v)).join(', ');
    this.problem(column, `must be one of ${choices}, got "${value}"`, `次のいずれかで入力してください: ${choices}（「${value}」）`);
    return value as T;
  }

  /** The items of a list cell (`;`-separated, or as LIST_SEPARATORS says staff separate them). */
  list(column: string, required = true, items: keyof typeof LIST_SEPARATORS = 'text'): string[] {
    const list = this.text(column, required)
      .split(LIST_SEPARATORS[items])
      .map((v) => v.trim())
      .filter(Boolean);
    const limit = LIST_COLUMN_LIMITS[column];
    const max = limit ? LIST_LIMITS[limit] : DEFAULT_LIST_LIMIT;
    if (list.length <= max) return list;
    this.problem(column, `must list at most ${max} items, got ${list.length}`, `${max}件以内にしてください（${list.length}件）`);
    // The row is refused: its first items are read (and named when wrong), not a problem for each of thousands.
    return list.slice(0, max);
  }

  /** `名前:人数` items of a `;`-separated cell (主任相談支援専門員:2;社会福祉士:1), the colon half- or full-width, the count NaN when not a number (the caller's rule says why). */
  counts(column: string): Array<{ name: string; count: number }> {
    return this.list(column, false).map((item) => {
      const [name, count] = item.split(/[:：]/);
      return { name: (name ?? '').trim(), count: Number((count ?? '').normalize('NFKC').trim() || Number.NaN) };
    });
  }

  /** The `;`-separated values of a cell, each a value of `allowed` or its Japanese label (as `oneOf`); a wrong one is named. */
  listOf<T extends string>(column: string, allowed: readonly T[], required = true, labels?: Readonly<Record<T, string>>): T[] {
    return this.list(column, required, 'values').map((item) => {
      const found = valueOrLabel(item, allowed, labels);
      if (found) return found;
      const choices = allowed.map((v) => (labels ? `${v} (${labels[v]})` : v)).join(', ');
      this.problem(column, `unknown value "${item}" (allowed: ${choices})`, `不明な値「${item}」（使える値: ${choices}）`);
      return item as T;
    });
  }

  /**
   * A date as spreadsheets write it (2019-07-01, 2019/7/1, 令和元年7月1日, R1.7.1, …: shared/spreadsheet-dates.ts), as
   * YYYY-MM-DD; a column that is an API input's date takes that input's range (DATE_COLUMN_RANGES).
   */
  date(column: string, required = true): string | null {
    const value = this.text(column, required);
    if (value === '') return null;
    const read = readSpreadsheetDate(value);
    if ('reason' in read) {
      const reasonJa = read.reasonJa ?? `日付として読めません（例: 2019/7/1、2019-07-01、令和元年7月1日、R1.7.1）: 「${value}」`;
      // Excel saved the cell as it shows it (4月1日, 24/4/1): the whole date is in the workbook.
      if (read.partMissing) this.problem(column, `${read.reason}; ${SAVED_AS_SHOWN.en}`, `${reasonJa}。${SAVED_AS_SHOWN.ja}`);
      else this.problem(column, read.reason, reasonJa);
      return value;
    }
    const range = DATE_COLUMN_RANGES[column];
    const outside = range && dateRangeProblem(read.date, DATE_RANGES[range], todayInJapan());
    if (outside) this.problem(column, outside.reason, outside.reasonJa);
    return read.date;
  }

  report(field: string, reason: string, reasonJa: string): void {
    this.problem(columnOf(field), reason, reasonJa);
  }

  /** The problems a rule found in the record read from this row, but none for a column whose cell was already refused. */
  reportRuleProblems(problems: readonly FieldProblem[]): void {
    const already = new Set(this.problems.filter((p) => p.line === this.row.line).map((p) => p.column));
    for (const p of problems) if (!already.has(columnOf(p.field))) this.report(p.field, p.reason, p.reasonJa);
  }
}

/**
 * A value of `allowed` as written, or the one whose Japanese label it is (or uniquely begins, from two
 * characters), or whose label's numbering mark it is, as forms number items: `①`, `(ア)`, `（ア）` or `ア` alone.
 * A label is also read without its mark or spaces, or with a mark written otherwise (`（イ）基幹相談支援センター…`,
 * `基幹相談支援センターの設置・運営等に係る支援`, `⑤相談支援従事者の人材育成`), but never with another item's mark.
 */
function valueOrLabel<T extends string>(value: string, allowed: readonly T[], labels?: Readonly<Record<T, string>>): T | undefined {
  if (allowed.includes(value as T)) return value as T;
  if (!labels) return undefined;
  const exact = allowed.filter((v) => labels[v] === value);
  const byLabel = exact.length > 0 ? exact : allowed.filter((v) => value.length >= 2 && labels[v].startsWith(value));
  if (byLabel.length === 1) return byLabel[0];
  const given = labelParts(value);
  if (given.body.length >= 2) {
    const matching = allowed.filter((v) => {
      const label = labelParts(labels[v]);
      return (given.mark === undefined || given.mark === label.mark) && label.body.startsWith(given.body);
    });
    const whole = matching.filter((v) => labelParts(labels[v]).body === given.body);
    const found = whole.length === 1 ? whole : matching;
    if (found.length === 1) return found[0];
  }
  const mark = markOf(value);
  const byMark = mark ? allowed.filter((v) => markOf(labels[v].split(/\s/)[0]) === mark) : [];
  return byMark.length === 1 ? byMark[0] : undefined;
}

/** The numbering mark a text is, if it is one alone (`①`, `(ア)`, `（ア）`, `ア`: one character, bracketed or not), compared as NFKC. */
function markOf(text: string): string | undefined {
  return /^\(?([^\s()])\)?$/u.exec(text.normalize('NFKC').trim())?.[1];
}

/**
 * A label's numbering mark, if it starts with one (`(イ)`, `（イ）`, `①`, compared as NFKC, space after it or not),
 * and the rest without spaces: how a label is compared when written without its mark or otherwise spaced.
 */
function labelParts(text: string): { mark?: string; body: string } {
  const squeeze = (t: string) => t.normalize('NFKC').replace(/\s+/gu, '');
  const marked = /^\s*(?:[(（]\s*([^\s()（）])\s*[)）]|([\u2460-\u2473]))/u.exec(text);
  return marked ? { mark: (marked[1] ?? marked[2]).normalize('NFKC'), body: squeeze(text.slice(marked[0].length)) } : { body: squeeze(text) };
}

/** Every expected column present; none but the expected and the optional ones. */
export function checkHeader(columns: string[], expected: readonly string[], problems: RowProblem[], optional: readonly string[] = [], line = 1): boolean {
  // Nothing at all (a blank file, a byte-order mark alone): one problem, not one per column.
  if (columns.length === 0) {
    problems.push({
      line,
      column: '',
      reason: 'the file (or the sheet read) is empty: it has no header row',
      reasonJa: 'ファイル（読んだシート）が空です（見出しの行がありません）',
    });
    return false;
  }
  const missing = expected.filter((c) => !columns.includes(c));
  const unknown = [...new Set(columns.filter((c) => !expected.includes(c) && !optional.includes(c)))];
  for (const c of missing) problems.push({ line, column: c, reason: 'column is missing', reasonJa: '列がありません' });
  for (const c of unknown) {
    problems.push(
      c === ''
        ? {
            line,
            column: c,
            reason: 'a column without a name in the header holds values',
            reasonJa: '見出しのない列に値があります（見出しを付けるか、値を消してください）',
          }
        : { line, column: c, reason: 'unknown column', reasonJa: '不明な列です', value: c },
    );
  }
  return missing.length === 0 && unknown.length === 0;
}

/**
 * A header cell as compared with column names: NFKC (full-width letters and digits as half-width), no white
 * space at all (a space typed in the name, a line break Excel users put in a long header cell), and without
 * what a form adds to a column's name for the person filling it in: a note in brackets at its end
 * (`設置日（例: 2019/7/1）`, `専門職員数（人）`), a ※ note (`市町村コード※6桁`), a required mark (`*`, `【必須】`).
 * No column's name has any of these; two cells that are one name without them are one column named twice (refused).
 * The ends are cut by position, not by /…+$/ (see trimCharacters): a header cell is whatever the file holds.
 */
function headerKey(cell: string): string {
  let key = cell
    .normalize('NFKC')
    .replace(/\s+/gu, '')
    .replace(/^【[^】]*】/u, '');
  const note = key.indexOf('※');
  if (note !== -1) key = key.slice(0, note);
  // Notes in brackets at the end, one or more: 専門職員数(人)(常勤).
  for (let open = key.lastIndexOf('('); key.endsWith(')') && open !== -1 && key.indexOf(')', open) === key.length - 1; open = key.lastIndexOf('('))
    key = key.slice(0, open);
  return trimCharacters(key, '*');
}

/** The column a header cell names: its own name, or an alias's column, compared as headerKey does; else the cell as it is. */
function columnNamer(columns: readonly string[], aliases: Readonly<Record<string, string>>): (cell: string) => string {
  const named = new Map<string, string>([...columns.map((c): [string, string] => [c, c]), ...Object.entries(aliases)].map(([name, c]) => [headerKey(name), c]));
  return (cell) => named.get(headerKey(cell)) ?? cell;
}

/** How many of the columns a row names: to tell the header from a title above it. */
const namedColumns = (cells: readonly string[], columns: readonly string[], columnOf: (cell: string) => string) =>
  columns.filter((column) => cells.some((cell) => columnOf(cell) === column)).length;

/** Rows a header may lie below (a title, a date line, a blank form's notes): searched for the header. */
const HEADER_SEARCH_ROWS = 10;

/**
 * Where the header is: the first of the first HEADER_SEARCH_ROWS rows (read with the row below it when the two are
 * one header, headerAt) that names at least half the columns; undefined when none does (a cover sheet, another file).
 */
function findHeader(
  raw: readonly RawRow[],
  columns: readonly string[],
  known: readonly string[],
  columnOf: (cell: string) => string,
): { at: number; header: { cells: string[]; rows: 1 | 2 } } | undefined {
  const enough = Math.ceil(columns.length / 2);
  for (let at = 0; at < Math.min(raw.length, HEADER_SEARCH_ROWS); at += 1) {
    const header = headerAt(raw, at, known, columnOf);
    if (namedColumns(header.cells, columns, columnOf) >= enough) return { at, header };
  }
  return undefined;
}

/**
 * The header at `raw[at]`, read with the row below it when the two are one header, as survey forms have: a
 * group's name over its columns (`計画相談支援` merged across three) and each column's name below it (`計画作成者数`,
 * `セルフプラン作成者数`, `セルフプラン率`). A column under a group is `group_name` where the import names it so
 * (`計画相談支援_計画作成者数`), else its own name (`主任相談支援専門員数` under `専門職員数`); a column of one row
 * (`市町村コード`, merged down both rows or blank in the lower one) is its top cell. Two rows only when together
 * they name more of the import's columns than either row alone.
 */
function headerAt(raw: readonly RawRow[], at: number, known: readonly string[], columnOf: (cell: string) => string): { cells: string[]; rows: 1 | 2 } {
  const top = raw[at].cells;
  const below = raw[at + 1]?.cells;
  const single = { cells: top, rows: 1 as const };
  if (!below) return single;
  const names = (cell: string) => known.includes(columnOf(cell));
  const cells: string[] = [];
  let group = '';
  for (let i = 0; i < Math.max(top.length, below.length); i += 1) {
    const [upper, lower] = [top[i] ?? '', below[i] ?? ''];
    // A merged group's name is in its first column only; a column blank in both rows ends it.
    if (upper !== '') group = upper;
    else if (lower === '') group = '';
    if (lower === '' || lower === upper) cells.push(upper);
    else if (group === '') cells.push(lower);
    else {
      const grouped = `${headerKey(group)}_${lower}`;
      cells.push([grouped, lower].find(names) ?? grouped);
    }
  }
  // More than either row alone: a title over the header, or the header over a row of data, is no header of two rows.
  const alone = Math.max(namedColumns(top, known, columnOf), namedColumns(below, known, columnOf));
  return namedColumns(cells, known, columnOf) > alone ? { cells, rows: 2 } : single;
}

/**
 * The table whose header is `raw[at]`, or `raw[at]` and the row below it read as one (headerAt, said in a
 * warning after `before`'s: the report's warnings go down the file).
 */
function tableWithHeaderAt(raw: RawRow[], at: number, header: { cells: string[]; rows: 1 | 2 }, report: ImportReport, before?: RowProblem): Table {
  if (before) report.warnings.push(before);
  if (header.rows === 1) return at === 0 ? tableFrom(raw) : tableFrom(raw, at);
  const [top, below] = [raw[at], raw[at + 1]];
  const example = header.cells.find((c) => c.includes('_')) ?? header.cells[0];
  report.warnings.push({
    line: below.line,
    column: '',
    reason: `the header is two rows, ${top.line} and ${below.line}: a column under a group's name is read as group_name (${example})`,
    reasonJa: `見出しは${top.line}行目と${below.line}行目の2段です。上段の項目名の下の列は「上段_下段」として読みました（${example}）`,
  });
  return { ...tableFrom([...raw.slice(0, at), { line: top.line, cells: header.cells }, ...raw.slice(at + 2)], at), raw };
}

/**
 * The table with its header found and checked, or null when the header is wrong (the problems reported).
 * The header is row 1 unless row 1 names fewer than half the columns and a row below it, within the
 * first ten, names at least half: Japanese forms put a title (様式1 基幹相談支援センター一覧（令和7年4月1日現在）)
 * above the header. The rows above it are then not read, and a warning says so.
 */
export function withHeader(
  parsed: Table,
  columns: readonly string[],
  report: ImportReport,
  options: { optional?: readonly string[]; aliases?: Readonly<Record<string, string>> } = {},
): Table | null {
  const known = [...columns, ...(options.optional ?? [])];
  const columnOf = columnNamer(known, options.aliases ?? {});
  const enough = Math.ceil(columns.length / 2);
  const headerOf = (table: Table) => (table.raw ? findHeader(table.raw, columns, known, columnOf) : undefined);
  // A workbook's first sheet without this import's header (a cover sheet, 記入要領): the one other sheet that has it.
  if (parsed.otherSheets && !headerOf(parsed)) {
    const holding = parsed.otherSheets.filter((other) => headerOf(other.table));
    const names = holding.map((other) => `"${other.name}"`).join(', ');
    if (holding.length > 1) {
      report.problems.push({
        line: 1,
        column: '',
        reason: `the first sheet, "${parsed.sheet}", holds no header of this import, and several sheets do (${names}): choose one with ?sheet= (--sheet on the command line)`,
        reasonJa: `最初のシート「${parsed.sheet}」には取込の見出しがなく、複数のシート（${holding.map((other) => `「${other.name}」`).join('')}）にあります。?sheet=（コマンドでは --sheet）でシートを指定してください`,
      });
      return null;
    }
    if (holding.length === 1) {
      report.warnings.push({
        line: 1,
        column: '',
        reason: `the first sheet, "${parsed.sheet}", holds no header of this import: sheet ${names} was read (another can be chosen with ?sheet=, --sheet on the command line)`,
        reasonJa: `最初のシート「${parsed.sheet}」には取込の見出しがないため、シート「${holding[0].name}」を読み込みました（?sheet=、コマンドでは --sheet で指定できます）`,
      });
      return withHeader(holding[0].table, columns, report, options);
    }
  }
  let table = parsed;
  const raw = parsed.raw;
  const found = headerOf(parsed);
  if (raw && found && found.at > 0) {
    const line = raw[found.at].line;
    const above = line === 2 ? '1' : `1–${line - 1}`;
    table = tableWithHeaderAt(raw, found.at, found.header, report, {
      line,
      column: '',
      reason: `the header is on line ${line}: line(s) ${above} above it (a title?) were not read`,
      reasonJa: `見出しは${line}行目にあります。${above.replace('–', '〜')}行目（表題など）は読み込んでいません`,
    });
  } else if (raw && found?.header.rows === 2) table = tableWithHeaderAt(raw, 0, found.header, report);
  // An export (its `as_of` and label columns, by key or Japanese name, in the header or the row below) sent as an
  // import: when it is refused, say first which file to edit instead.
  const cells = [...table.columns, ...Object.values(table.rows[0]?.values ?? {})];
  const looksExported = cells.some((c) => c === 'as_of' || c === '基準日') && cells.some((c) => c.endsWith('_label') || c.endsWith('（表示名）'));
  const refused = () => {
    if (looksExported)
      report.problems.unshift({
        line: table.headerLine ?? 1,
        column: '',
        reason: `this looks like an export (/export/…), which the import does not read: download the import's own file, GET /import/${report.kind}.xlsx, edit it and send it back`,
        reasonJa: `出力（/export/…）のファイルのようです。取込用のファイル（/import/${report.kind}.xlsx）をダウンロードして編集し、送ってください`,
      });
    return null;
  };
  // (An export's label column, 設置形態（表示名）, names its code's column again.)
  if (repeatedColumns(table, known, columnOf, report)) return refused();
  table = withoutRepeatedHeaders(table, known, columnOf);
  const problemsBefore = report.problems.length;
  rememberHeaders(report, table.columns, columnOf);
  // Other columns are left out of a header of this import (naming half its columns), not of a sheet that is something else (a cover sheet).
  if (namedColumns(table.columns, columns, columnOf) >= enough) {
    table = withoutOtherColumns(withCanonicalHeader(table, columnOf), known, options.aliases ?? {}, report);
  } else table = withCanonicalHeader(table, columnOf);
  report.rows = table.rows.length;
  warnOfHiddenRows(table, report);
  const mistyped = report.problems.length > problemsBefore;
  if (checkHeader(table.columns, columns, report.problems, options.optional, table.headerLine) && !mistyped) return table;
  return refused();
}

/**
 * A warning naming the rows of a workbook that a person does not see — hidden by a filter or by hand — which are
 * read like the others: they are in the file, so a sheet filtered to one prefecture still holds, and imports, the
 * rest. Said, so that nobody takes what the sheet showed for what was imported.
 */
function warnOfHiddenRows(table: Table, report: ImportReport): void {
  const header = table.headerLine ?? 1;
  const lines = (table.raw ?? []).filter((row) => row.hidden && row.line > header).map((row) => row.line);
  if (lines.length === 0) return;
  const spans: string[] = [];
  for (let i = 0; i < lines.length;) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j] + 1) j += 1;
    spans.push(i === j ? `${lines[i]}` : `${lines[i]}–${lines[j]}`);
    i = j + 1;
  }
  const named = spans.length > 10 ? `${spans.slice(0, 10).join(', ')}, …` : spans.join(', ');
  report.warnings.push({
    line: lines[0],
    column: '',
    reason: `${lines.length} row(s) hidden in Excel (by a filter or by hand) are read and imported like the others: line(s) ${named}; to leave them out, delete them from the sheet`,
    reasonJa: `Excel で非表示の行（フィルターなど）${lines.length}行も、ほかの行と同じく取り込みます（${named.replaceAll('–', '〜')}行目）。取り込まない行はシートから削除してください`,
  });
}

/**
 * Whether the header names one of the import's columns twice (`name` twice, or `name` and `名称`), each
 * reported: one cell would silently win over the other, so the file is refused until one is removed.
 */
function repeatedColumns(table: Table, known: readonly string[], columnOf: (cell: string) => string, report: ImportReport): boolean {
  const cells = new Map<string, string[]>();
  for (const cell of table.columns) {
    const column = columnOf(cell);
    if (known.includes(column)) cells.set(column, [...(cells.get(column) ?? []), cell]);
  }
  const repeated = [...cells].filter(([, named]) => named.length > 1);
  for (const [column, named] of repeated) {
    report.problems.push({
      line: table.headerLine ?? 1,
      column,
      reason: `the header has column ${column} ${named.length} times (${named.map((n) => `"${n}"`).join(', ')}): keep one`,
      reasonJa: `見出しに「${column}」の列が${named.length}つあります（${named.map((n) => `「${n}」`).join('')}）。1つにしてください`,
    });
  }
  return repeated.length > 0;
}

/**
 * The table without rows that repeat the header: a row naming, cell for cell, the same columns again (the
 * English keys under the Japanese names, as this API's workbooks have, wherever a sort in Excel put it) is no data.
 */
function withoutRepeatedHeaders(table: Table, known: readonly string[], columnOf: (cell: string) => string): Table {
  const named = table.columns.filter((cell) => known.includes(columnOf(cell)));
  if (named.length === 0) return table;
  const repeatsHeader = (row: CsvRow) => named.every((cell) => columnOf(row.values[cell] ?? '') === columnOf(cell));
  return { ...table, rows: table.rows.filter((row) => !repeatsHeader(row)) };
}

/** Columns a form carries that are no import's data: a row number, remarks (compared as headerKey does, in lower case). */
const FORM_COLUMNS = new Set(['no', 'no.', '番号', '連番', '通し番号', '備考', 'メモ', 'remarks', 'note', 'notes', 'memo']);

/** A header cell as compared for likeness: headerKey, in lower case. */
const likenessKey = (cell: string) => headerKey(cell).toLowerCase();

/**
 * The name of a column (or of its alias) that a header cell is so like that the cell is probably that
 * column mistyped: one or two characters off (one for short names), or the one inside the other.
 */
function likeColumn(cell: string, names: ReadonlyArray<readonly [string, string]>): readonly [string, string] | undefined {
  const a = likenessKey(cell);
  return names.find(([name]) => {
    const b = likenessKey(name);
    const shorter = Math.min(a.length, b.length);
    return distance(a, b) <= (shorter <= 3 ? 1 : 2) || (shorter >= 2 && (a.includes(b) || b.includes(a)));
  });
}

/**
 * The table without the columns the import does not take, each left out with a warning: a form's row
 * numbers and remarks (FORM_COLUMNS), and what a prefecture's own list adds (所在地, 電話番号, 担当者). A
 * column so like one of the import's that it is probably that one mistyped (`establised_on`, `名前`) is
 * refused instead, naming the column meant: left out, it would lose the column's values. (A required
 * column mistyped is missing besides.)
 */
function withoutOtherColumns(table: Table, known: readonly string[], aliases: Readonly<Record<string, string>>, report: ImportReport): Table {
  const names: Array<readonly [string, string]> = [...known.map((c) => [c, c] as const), ...Object.entries(aliases).filter(([, c]) => known.includes(c))];
  const other = table.columns.filter((column) => column !== '' && !known.includes(column));
  const left: string[] = [];
  for (const column of other) {
    const line = table.headerLine ?? 1;
    const meant = FORM_COLUMNS.has(likenessKey(column)) ? undefined : likeColumn(column, names);
    if (meant) {
      const [name, of] = meant;
      const named = name === of ? of : `${name} (${of})`;
      report.problems.push({
        line,
        column,
        value: column.slice(0, 200),
        reason: `unknown column; did you mean ${named}?`,
        reasonJa: `不明な列です（「${name}」の書き間違いではありませんか）`,
      });
      left.push(column);
      continue;
    }
    left.push(column);
    report.warnings.push(
      FORM_COLUMNS.has(likenessKey(column))
        ? {
            line,
            column,
            reason: `column "${column}" is not imported (a form's row numbers and remarks are not data of this import)`,
            reasonJa: `「${column}」列は取り込みません（番号や備考の列はこの取込のデータではありません）`,
          }
        : {
            line,
            column,
            reason: `column "${column}" is not imported (it is not a column of this import)`,
            reasonJa: `「${column}」列は取り込みません（この取込の列ではありません）`,
          },
    );
  }
  if (left.length === 0) return table;
  const kept = (column: string) => !left.includes(column);
  return {
    ...table,
    columns: table.columns.filter(kept),
    rows: table.rows.map((row) => ({ line: row.line, values: Object.fromEntries(Object.entries(row.values).filter(([column]) => kept(column))) })),
  };
}

export function checkUniqueIds(rows: CsvRow[], columns: readonly string[], problems: RowProblem[]): void {
  const seen = new Map<string, number>();
  for (const row of rows) {
    const id = JSON.stringify(columns.map((c) => row.values[c]));
    if (seen.has(id))
      problems.push({
        line: row.line,
        column: columns.join('+'),
        reason: `repeats the id of line ${seen.get(id)}`,
        reasonJa: `${seen.get(id)}行目と同じIDです`,
      });
    else seen.set(id, row.line);
  }
}

/** Rows checked between two turns of the event loop (other requests are answered in between): some 10–20 ms of work. */
const ROWS_PER_TURN = 2000;

/**
 * The most problems a file's check collects: past them it stops reading rows (saying where), and a report lists no
 * more. A file wrong in every row (a shifted column, say) says what is wrong in its first rows; without a bound,
 * one of 20,000 rows took 16 s to check and answered 58 MB.
 */
export const MAX_PROBLEMS = 1_000;

/** The problem that says checking stopped at `line` after MAX_PROBLEMS problems. */
function checkingStopped(line: number): RowProblem {
  const max = MAX_PROBLEMS.toLocaleString('en');
  return {
    line,
    column: '',
    reason: `checking stopped at this line after ${max} problems: put them right and import the file again`,
    reasonJa: `問題が ${max} 件になったため、この行で確認をやめました。直してからもう一度取り込んでください`,
  };
}

/** A report of nothing read yet, for an importer to fill in. */
export function emptyReport(kind: string, options: ImportOptions): ImportReport {
  return {
    kind,
    rows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    problems: [],
    warnings: [],
    dryRun: Boolean(options.dryRun),
    applied: false,
    importId: null,
  };
}

/** CSV text read, or a table already read (from a workbook: shared/spreadsheet.ts). */
export type ImportSource = string | Table;

/** The table of a source, or the problem that stops it being read. */
export function tableOf(source: ImportSource, report: ImportReport): Table | null {
  if (typeof source !== 'string') return source;
  try {
    return readCsv(source);
  } catch (error) {
    if (!(error instanceof MalformedCsv || error instanceof TooManyRows || error instanceof TooWide)) throw error;
    report.problems.push({ line: error.line, column: '', reason: error.message, reasonJa: error.messageJa });
    return null;
  }
}

/** Each report's columns as its file's header wrote them, where it wrote them otherwise (`設置日` for `established_on`). */
const headersAsWritten = new WeakMap<ImportReport, Map<string, string>>();

function rememberHeaders(report: ImportReport, cells: readonly string[], columnOf: (cell: string) => string): void {
  const written = new Map<string, string>();
  for (const cell of cells) if (cell !== '' && columnOf(cell) !== cell) written.set(columnOf(cell), cell);
  headersAsWritten.set(report, written);
}

/** The longest a problem's reason is sent: one quoting a long value is cut in its middle (shortReason). */
const REASON_MAX_LENGTH = 500;

/** A reason cut in its middle when longer than REASON_MAX_LENGTH: its start says what is wrong, its end how to put it right. */
function shortReason(reason: string): string {
  return reason.length <= REASON_MAX_LENGTH ? reason : `${reason.slice(0, 300)}…${reason.slice(-(REASON_MAX_LENGTH - 301))}`;
}

/**
 * The report as it goes out (over HTTP, on the command line): each problem and warning about a column that the
 * file's header names otherwise — in Japanese (`設置日`), spaced or noted (`市町村 コード※6桁`) — also gives that
 * header as written, `header`: staff look in their sheet for the column they named, not for `established_on`.
 * A reason quoting a long cell is shortened (shortReason): a cell may hold 32,767 characters, each reason quotes it.
 * At most MAX_PROBLEMS problems and as many warnings are listed, then one saying how many more.
 */
export function reportAsSent<R extends ImportReport>(report: R): R {
  const written = headersAsWritten.get(report) ?? new Map<string, string>();
  const sent = (p: RowProblem): RowProblem => ({
    ...p,
    reason: shortReason(p.reason),
    reasonJa: shortReason(p.reasonJa),
    ...(written.has(p.column) ? { header: written.get(p.column) } : {}),
  });
  // The first MAX_PROBLEMS, then one saying what was left out: past checks that collect more (ids repeated on every
  // line), or a file repaired on every row (codes whose leading zero Excel dropped).
  const listed = (items: RowProblem[], leftOut: (first: RowProblem, more: string) => RowProblem) =>
    (items.length > MAX_PROBLEMS + 1
      ? [...items.slice(0, MAX_PROBLEMS), leftOut(items[MAX_PROBLEMS], (items.length - MAX_PROBLEMS).toLocaleString('en'))]
      : items
    ).map(sent);
  return {
    ...report,
    problems: listed(report.problems, (first) => checkingStopped(first.line)),
    warnings: listed(report.warnings, (first, more) => ({
      line: first.line,
      column: '',
      reason: `${more} more repairs, from this line on, are not listed: those rows were read repaired, as the ones above`,
      reasonJa: `この行から先の ${more} 件の修正は一覧にありません（上と同様に直して読みました）`,
    })),
  };
}

/** The file with each header cell renamed to the column it names (so problems name the column). */
function withCanonicalHeader(parsed: Table, columnOf: (cell: string) => string): Table {
  return {
    ...parsed,
    columns: parsed.columns.map(columnOf),
    rows: parsed.rows.map((row) => ({ line: row.line, values: Object.fromEntries(Object.entries(row.values).map(([c, v]) => [columnOf(c), v])) })),
  };
}

/** JSON with every object's keys sorted, at every depth: equal values give equal text (jsonb does not keep key order). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/** Everything but identity and version, to tell whether an imported row changes a stored one. */
function sameContent<T extends { id: string; version: number }>(a: T, b: T): boolean {
  const strip = ({ id: _id, version: _version, ...rest }: T) => canonicalJson(rest);
  return strip(a) === strip(b);
}

/**
 * Name columns a file may carry beside its codes, as staff lists do (市町村コード, 市町村名): not stored, but
 * checked against the code, so that a row whose code and name disagree (one column sorted or pasted without
 * the other) is refused rather than written under another municipality. Each applies to an import with its code column.
 */
const NAME_CHECKS = { municipality_name: ['municipality_code', 'municipality_codes'], prefecture_name: ['prefecture_code', 'municipality_code'] } as const;

function nameChecksOf(columns: readonly string[]): string[] {
  return Object.entries(NAME_CHECKS).flatMap(([check, codes]) => (codes.some((code) => columns.includes(code)) ? [check] : []));
}

let municipalitiesByCode: Map<string, MunicipalityReference> | undefined;

/** A municipality's name by its code (the reference list), if it is one. */
function municipalityNamed(code: string): string | undefined {
  municipalitiesByCode ??= new Map(municipalityReferences().map((m) => [m.code, m]));
  return municipalitiesByCode.get(code)?.name;
}

/**
 * A list cell's municipality codes as its items: a code followed by its name (`011002 札幌市`, as a drop-down list
 * writes it, parted by the space) is one item, when the two agree.
 */
function municipalityCodeItems(items: readonly string[], prefectureCode: string | undefined): string[] {
  return items.reduce<string[]>((merged, item) => {
    const pair = `${merged.at(-1)} ${item}`;
    const codeThenName = /^\d+$/.test((merged.at(-1) ?? '').normalize('NFKC')) && /^\D/.test(item.normalize('NFKC'));
    if (codeThenName && repairMunicipalityCode(pair, prefectureCode).code !== pair) merged[merged.length - 1] = pair;
    else merged.push(item);
    return merged;
  }, []);
}

/** The row's name cells that do not name what its codes do (a code not known is its own column's problem). */
function nameProblems(row: CsvRow): RowProblem[] {
  const problems: RowProblem[] = [];
  const given = (column: string) => (row.values[column] ?? '').trim();
  municipalitiesByCode ??= new Map(municipalityReferences().map((m) => [m.code, m]));
  const rowPrefecture = given('prefecture_code') ? repairPrefectureCode(given('prefecture_code')).code : undefined;
  const code = repairMunicipalityCode(given('municipality_code'), rowPrefecture);
  const municipality = municipalitiesByCode.get(code.code);
  const prefectureCode = rowPrefecture ?? municipality?.prefectureCode;
  const prefecture = PREFECTURES.find((p) => p.code === prefectureCode);
  const name = given('municipality_name');
  if (name && municipality) {
    // A name is the municipality's as a code column reads one (shared/codes.ts namesRepaired).
    if (!namesRepaired(name, code)) {
      problems.push({
        line: row.line,
        column: 'municipality_name',
        value: name.slice(0, 200),
        reason: `municipality ${municipality.code} is ${municipality.name}, not ${name}: check that the row's code and name belong together`,
        reasonJa: `市町村コード ${municipality.code} は「${municipality.name}」です（「${name}」ではありません）。同じ行のコードと名称を確かめてください`,
      });
    }
  }
  // Several codes (a joint center, a visit to several towns) and their names: the same municipalities, in any order.
  const codes = municipalityCodeItems(given('municipality_codes').split(LIST_SEPARATORS.codes).filter(Boolean), rowPrefecture).map((code) =>
    repairMunicipalityCode(code, rowPrefecture),
  );
  const municipalities = codes.map((code) => municipalitiesByCode!.get(code.code));
  // Municipalities' names contain none of these (・ included).
  const listed = name
    .split(/[;；、,，・\r\n]/u)
    .map(comparableName)
    .filter(Boolean);
  if (name && municipalities.length > 0 && municipalities.every(Boolean)) {
    const known = municipalities as MunicipalityReference[];
    const named = listed.length === known.length && codes.every((code) => listed.some((n) => namesRepaired(n, code)));
    if (!named) {
      const theirs = known.map((m) => m.name).join(LIST_SEPARATOR);
      problems.push({
        line: row.line,
        column: 'municipality_name',
        value: name.slice(0, 200),
        reason: `municipalities ${known.map((m) => m.code).join(LIST_SEPARATOR)} are ${theirs}, not ${name}: check that the row's codes and names belong together`,
        reasonJa: `市町村コード ${known.map((m) => m.code).join(LIST_SEPARATOR)} は「${theirs}」です（「${name}」ではありません）。同じ行のコードと名称を確かめてください`,
      });
    }
  }
  const prefectureName = given('prefecture_name');
  if (prefectureName && prefecture) {
    const short = prefecture.name.replace(/[都府県]$/, '');
    if (![prefecture.name, short].some((n) => comparableName(n) === comparableName(prefectureName))) {
      problems.push({
        line: row.line,
        column: 'prefecture_name',
        value: prefectureName.slice(0, 200),
        reason: `prefecture ${prefecture.code} is ${prefecture.name}, not ${prefectureName}: check that the row's code and name belong together`,
        reasonJa: `都道府県コード ${prefecture.code} は「${prefecture.name}」です（「${prefectureName}」ではありません）。同じ行のコードと名称を確かめてください`,
      });
    }
  }
  return problems;
}

/** How one kind of file is read, checked and written: what each subgraph gives `importRows` and `revertImport`. */
export interface ImportSpec<T extends { id: string; externalId: string | null; version: number }> {
  columns: readonly string[];
  /** Columns a file may leave out. */
  optionalColumns?: readonly string[];
  /** Other names a header may use for a column → the column, besides the Japanese ones every import takes; the first of a column heads its download. */
  headerAliases?: Readonly<Record<string, string>>;
  /** The column(s) that identify a record across imports. */
  idColumns: readonly string[];
  /** Reads a row; bad cells go to `problems` (the file is refused), repairs to `warnings` (reported). */
  parse: (row: CsvRow, problems: RowProblem[], warnings: RowProblem[]) => T;
  /** The stored records of these ids, as the import compares them with `records` (the rows read, or an import's rows when reverting). */
  existing: (manager: EntityManager, externalIds: string[], records: readonly T[]) => Promise<T[]>;
  /**
   * Checks that need the database (e.g. that a referenced record exists; `stored`: the records the rows match, by
   * external id); problems reject the file. It may complete a record from the database (a person named where an id
   * belongs, read as their id), saying so in `warnings`, before the records are compared with what is stored.
   */
  verify?: (
    manager: EntityManager,
    rows: Array<{ line: number; record: T }>,
    options: ImportOptions,
    stored: ReadonlyMap<string | null, T>,
    warnings: RowProblem[],
  ) => Promise<RowProblem[]>;
  /** The prefecture a record belongs to, to keep an importer to its own (null: `verify` checks it). */
  prefectureOf?: (record: T) => string | null;
  write: (manager: EntityManager, inserted: T[], updated: T[]) => Promise<void>;
  /** Deletes records an import added (for a revert); a record something else now points to makes the revert a CONFLICT. */
  remove: (manager: EntityManager, records: T[]) => Promise<void>;
  /** Puts records back as they were before an import (for a revert); `write` when the records are all there is. */
  restore?: (manager: EntityManager, changes: Array<{ before: T; after: T }>) => Promise<void>;
  /**
   * The stored records as rows of this import's file, to edit in Excel and send back (`GET /import/<kind>.xlsx`):
   * `keys` of the records of the prefectures given (all when undefined), in the file's order; `row` is
   * `parse` backwards (lists `;`-joined, dates YYYY-MM-DD), so a file downloaded and imported unchanged
   * reports every row `unchanged`; `dates` the columns that are dates (date cells in a workbook).
   */
  download: {
    keys: (manager: EntityManager, prefectures: readonly string[] | undefined, fiscalYear: number | undefined) => Promise<string[]>;
    /** `keys` selects by fiscal year (`?fiscalYear=`: visits by their date); a kind without it lists its records as they stand and refuses a year. */
    byFiscalYear?: boolean;
    row: (record: T) => DownloadRow;
    dates: readonly string[];
    /** Coded columns' Japanese labels (which the import reads as well), written in place of the codes for people: in the workbook, and the CSV with `lang` ja. */
    labels?: Readonly<Record<string, CodeLabels>>;
    /**
     * Names for people beside the codes the spec's own data gives them (e.g. advisors' names beside their
     * roster ids), each column after the one it names; the import checks them (`verify`) and never stores
     * them. Municipalities' names (`municipality_name`) come beside every municipality code column by themselves.
     */
    names?: {
      columns: ReadonlyArray<{ key: string; after: string }>;
      of: (manager: EntityManager, records: readonly T[]) => Promise<(record: T) => DownloadRow>;
    };
  };
}

/** A coded column's Japanese labels, and whether a cell holds a `;`-list of codes. */
export interface CodeLabels {
  labels: Readonly<Record<string, string>>;
  list?: boolean;
}

/** A row of a download: each column's value as the import reads it back. */
export type DownloadRow = Record<string, string | number | boolean | null>;

/** What `GET /import/<kind>.csv|.xlsx` writes: the import's columns with their Japanese names, date columns, rows. */
export interface ImportDownload {
  columns: Array<{ key: string; ja: string; date: boolean; labels?: CodeLabels }>;
  rows: DownloadRow[];
}

/** A cell with its codes (one, or a `;`-list) written as their Japanese labels. */
export function labelled(value: DownloadRow[string], labels: CodeLabels | undefined): DownloadRow[string] {
  if (!labels || typeof value !== 'string' || value === '') return value;
  return value
    .split(LIST_SEPARATOR)
    .map((code) => labels.labels[code] ?? code)
    .join(LIST_SEPARATOR);
}

/** A download's columns: each with the Japanese name the import takes for it (its own alias first), dates marked. */
export function downloadColumns(
  columns: readonly string[],
  dates: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
  labels: Readonly<Record<string, CodeLabels>> = {},
): ImportDownload['columns'] {
  const ja = new Map<string, string>();
  for (const [name, column] of Object.entries(aliases)) if (!ja.has(column)) ja.set(column, name);
  return columns.map((key) => ({ key, ja: ja.get(key) ?? JAPANESE_COLUMN_NAMES[key]?.[0] ?? key, date: dates.includes(key), labels: labels[key] }));
}

/** Which records a download holds: of these prefectures (all when undefined); of one fiscal year, for kinds dated by it; at most `maxRows`. */
export interface DownloadFilter {
  prefectures: readonly string[] | undefined;
  fiscalYear?: number;
  /** More rows are refused before any record is read (QUERY_LIMIT_EXCEEDED): the subgraph holds a download whole while writing it. */
  maxRows?: number;
}

/** A download of more rows than `maxRows`: refused with the ways to ask for fewer (a prefecture, a fiscal year) that the caller has. */
function tooManyRows(kind: string, rows: number, maxRows: number, byFiscalYear: boolean, prefectures: readonly string[] | undefined): GraphQLError {
  const narrower = [...(prefectures?.length === 1 ? [] : ['?prefecture=01']), ...(byFiscalYear ? ['?fiscalYear=2025'] : [])];
  const how = narrower.length > 0 ? `ask for fewer with ${narrower.join(' or ')}` : 'ask the operator to raise IMPORT_DOWNLOAD_MAX_ROWS';
  const howJa =
    narrower.length > 0
      ? `${narrower.join(' や ')} で都道府県${byFiscalYear ? 'や年度' : ''}を絞ってください`
      : '運用担当者に上限（IMPORT_DOWNLOAD_MAX_ROWS）の引き上げを依頼してください';
  const reasonJa = `${kind} のダウンロードは ${rows.toLocaleString('en')} 行で、上限の ${maxRows.toLocaleString('en')} 行を超えます。${howJa}`;
  return new GraphQLError(
    `the ${kind} download would hold ${rows.toLocaleString('en')} rows, more than ${maxRows.toLocaleString('en')} (IMPORT_DOWNLOAD_MAX_ROWS): ${how} / ${reasonJa}`,
    {
      extensions: { code: ErrorCode.QUERY_LIMIT_EXCEEDED, limit: 'downloadRows', rows, maxRows, messageJa: reasonJa },
    },
  );
}

/** The stored records `filter` selects as the rows of `spec`'s file. */
async function downloadRows<T extends { id: string; externalId: string | null; version: number }>(
  db: DataSource | EntityManager,
  kind: string,
  spec: ImportSpec<T>,
  filter: DownloadFilter,
): Promise<ImportDownload> {
  const manager = 'manager' in db ? db.manager : db;
  const { prefectures, fiscalYear, maxRows } = filter;
  if (fiscalYear !== undefined && !spec.download.byFiscalYear) {
    throw badUserInput('fiscalYear', `the ${kind} file lists the records as they stand: it has no fiscal year (leave fiscalYear out)`, {
      value: fiscalYear,
      reasonJa: `${kind} のファイルは現在の記録の一覧で、年度では絞れません（fiscalYear を外してください）`,
    });
  }
  const keys = await spec.download.keys(manager, prefectures, fiscalYear);
  if (maxRows !== undefined && keys.length > maxRows) throw tooManyRows(kind, keys.length, maxRows, Boolean(spec.download.byFiscalYear), prefectures);
  // Read as the import compares them, so that what is downloaded is what an unchanged upload matches.
  const records = new Map((await spec.existing(manager, keys, [])).map((r) => [r.externalId, r]));
  // Names beside the codes, for the people editing the file; the import checks them against the codes.
  const given = spec.download.names?.columns ?? [];
  const columns = [...spec.columns, ...(spec.optionalColumns ?? [])].filter((c) => !given.some((n) => n.key === c));
  const nameColumns = [
    ...['municipality_code', 'municipality_codes'].filter((c) => columns.includes(c)).map((after) => ({ key: 'municipality_name', after })),
    ...given,
  ];
  const withNames = columns.flatMap((c) => [c, ...nameColumns.filter((n) => n.after === c).map((n) => n.key)]);
  const namesOf = spec.download.names ? await spec.download.names.of(manager, [...records.values()]) : () => ({});
  return {
    columns: downloadColumns(withNames, spec.download.dates, spec.headerAliases, spec.download.labels),
    rows: keys.flatMap((key) => {
      const record = records.get(key);
      if (!record) return [];
      const row = spec.download.row(record);
      const codes = String(row.municipality_code ?? row.municipality_codes ?? '');
      const municipalityName =
        codes &&
        codes
          .split(LIST_SEPARATOR)
          .map((code) => municipalityNamed(code) ?? '')
          .join(LIST_SEPARATOR);
      return [{ ...row, ...(nameColumns.some((n) => n.key === 'municipality_name') ? { municipality_name: municipalityName } : {}), ...namesOf(record) }];
    }),
  };
}

/**
 * One import or revert at a time per database: two at once (a double-click, two staff sending the same
 * file) would each insert the rows the other is inserting, and all but one would fail. The later one waits,
 * then reads what the first committed (its report: unchanged). The lock is the transaction's: released at
 * commit or rollback.
 */
export function importTransaction<R>(db: DataSource | EntityManager, work: (manager: EntityManager) => Promise<R>): Promise<R> {
  return db.transaction(async (manager) => {
    // Waiting its turn behind another import, then writing a large file, may rightly outlast a statement_timeout
    // set for requests (deploy/database-users.sql): lifted for this transaction alone (SET LOCAL, as poolers allow).
    await manager.query('SET LOCAL statement_timeout = 0');
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('import'))`);
    return work(manager);
  });
}

export async function importRows<T extends { id: string; externalId: string | null; version: number }>(
  db: DataSource | EntityManager,
  kind: string,
  source: ImportSource,
  spec: ImportSpec<T>,
  options: ImportOptions,
): Promise<ImportReport> {
  const report = emptyReport(kind, options);
  const read = tableOf(source, report);
  // Japanese column names (shared/japanese-columns.ts) besides the English ones; an import's own aliases win.
  const checks = nameChecksOf(spec.columns);
  const aliases = { ...japaneseAliases([...spec.columns, ...(spec.optionalColumns ?? []), ...checks]), ...spec.headerAliases };
  // `sample` marks invented rows: a real file leaves it out (false).
  const required = spec.columns.filter((c) => c !== 'sample');
  const optional = [...spec.columns.filter((c) => c === 'sample'), ...(spec.optionalColumns ?? []), ...checks];
  const parsed = read && withHeader(read, required, report, { optional, aliases });
  if (!parsed) {
    explainMissingIds(report, spec.idColumns, required);
    return report;
  }
  const rows = withoutTotalsRows(parsed.rows, spec.idColumns, report);
  report.rows = rows.length;
  checkUniqueIds(rows, spec.idColumns, report.problems);
  // In turns: the checks of a large file (74,000 rows, some seconds) do not hold up the service's reads. Until
  // MAX_PROBLEMS: the rest of a file that wrong is not read.
  const records: T[] = [];
  for (const [i, row] of rows.entries()) {
    if (i > 0 && i % ROWS_PER_TURN === 0) await nextTurn();
    if (report.problems.length >= MAX_PROBLEMS) {
      report.problems.splice(MAX_PROBLEMS); // the last row read may have had several
      report.problems.push(checkingStopped(row.line));
      return report;
    }
    records.push(spec.parse(row, report.problems, report.warnings));
    for (const problem of nameProblems(row)) report.problems.push(problem);
  }
  if (options.prefectures && spec.prefectureOf) {
    records.forEach((record, i) => {
      const prefecture = spec.prefectureOf!(record);
      if (prefecture && !options.prefectures!.includes(prefecture)) {
        report.problems.push({
          line: rows[i].line,
          column: '',
          reason: `the row is of prefecture ${prefecture}; you may import for ${options.prefectures!.join(', ') || 'no prefecture'} only`,
          reasonJa: `都道府県 ${prefecture} の行です。取り込めるのは ${options.prefectures!.join(', ') || '（なし）'} の行だけです`,
        });
      }
    });
  }
  if (report.problems.length > 0) return report;

  await importTransaction(db, async (manager) => {
    const stored = new Map(
      (
        await spec.existing(
          manager,
          records.map((r) => r.externalId!),
          records,
        )
      ).map((r) => [r.externalId, r]),
    );
    // A loop, not push(...problems): a spread of some 130,000 problems overflows the stack.
    for (const problem of othersRecords(records, rows, stored, spec, options)) report.problems.push(problem);
    if (report.problems.length > 0) return;
    // Only then: it names the record's prefecture, which othersRecords keeps from a writer who may not read it.
    for (const problem of movedRecords(records, rows, stored, spec)) report.problems.push(problem);
    if (report.problems.length > 0) return;
    if (spec.verify) {
      const verified = await spec.verify(
        manager,
        records.map((record, i) => ({ line: rows[i].line, record })),
        options,
        stored,
        report.warnings,
      );
      for (const problem of verified) report.problems.push(problem);
      if (report.problems.length > 0) return;
    }
    const inserted: T[] = [];
    const updated: T[] = [];
    const changes: Array<{ before: T | null; after: T }> = [];
    for (const [i, record] of records.entries()) {
      if (i > 0 && i % ROWS_PER_TURN === 0) await nextTurn();
      const previous = stored.get(record.externalId);
      if (!previous) {
        inserted.push(record);
        changes.push({ before: null, after: record });
      } else if (!sameContent({ ...record, id: previous.id, version: previous.version }, previous)) {
        updated.push({ ...record, id: previous.id });
        changes.push({ before: previous, after: { ...record, id: previous.id } });
      }
    }
    report.inserted = inserted.length;
    report.updated = updated.length;
    report.unchanged = records.length - inserted.length - updated.length;
    if (!options.dryRun) {
      await spec.write(manager, inserted, updated);
      report.applied = true;
      if (changes.length > 0) report.importId = await recordImport(manager, kind, report, options, changes);
    }
  });
  return report;
}

/** What a sheet's totals row writes where a record's key or name would be (合計, 計, 県計, …). */
const TOTAL_LABELS: ReadonlySet<string> = new Set(['合計', '総計', '小計', '計', '県計', '都道府県計', '全国計', '総数']);

/**
 * The rows without a sheet's totals rows, each left out with a warning: a row whose key or name (市町村名) says
 * 合計, and whose keys name nothing else (empty or a totals label; a date it is as of may be filled in), sums
 * the others and is no record. Any other row without a key is the key check's to refuse.
 */
function withoutTotalsRows(rows: CsvRow[], idColumns: readonly string[], report: ImportReport): CsvRow[] {
  const label = (row: CsvRow, column: string) => (row.values[column] ?? '').normalize('NFKC').replace(/\s+/gu, '');
  const subjectKeys = idColumns.filter((column) => !/(_on|^as_of|^fiscal_year)$/.test(column));
  return rows.filter((row) => {
    const said = [...idColumns, ...Object.keys(NAME_CHECKS)].map((column) => label(row, column)).find((cell) => TOTAL_LABELS.has(cell));
    if (!said || !subjectKeys.every((column) => label(row, column) === '' || TOTAL_LABELS.has(label(row, column)))) return true;
    report.warnings.push({
      line: row.line,
      column: '',
      reason: `line ${row.line} is a totals row (${said}), not a record: not read`,
      reasonJa: `${row.line}行目は${said}の行のため読み込みません`,
    });
    return false;
  });
}

/**
 * A missing id column, in a header that has most of the others, says what the id is for: a log kept in Excel
 * often has none (a `No.` column is a row number, not an id), and a file without one could not be imported
 * again without adding copies.
 */
function explainMissingIds(report: ImportReport, idColumns: readonly string[], required: readonly string[]): void {
  // Not for a sheet that is something else (a cover sheet misses every column).
  const missing = report.problems.filter((p) => p.reason === 'column is missing').length;
  if (missing * 2 > required.length) return;
  for (const problem of report.problems) {
    if (problem.reason !== 'column is missing' || !idColumns.includes(problem.column) || idColumns.length > 1) continue;
    problem.reason =
      'column is missing: give each row an id of its own (e.g. 2023-001) and keep it in later files — the import matches rows on it, to update them rather than add copies';
    problem.reasonJa =
      '列がありません。行ごとに固有のID（例: 2023-001）を付け、次からのファイルでも同じIDにしてください（取込はIDで行を照合し、重複して追加しないようにします）';
  }
}

/**
 * Rows whose id is that of a stored record of a prefecture the importer may not write: matched on its id, the
 * row would overwrite that record (staff of one prefecture changing another's by reusing its key). Named
 * without saying whose the record is.
 */
function othersRecords<T extends { id: string; externalId: string | null; version: number }>(
  records: readonly T[],
  rows: readonly CsvRow[],
  stored: ReadonlyMap<string | null, T>,
  spec: ImportSpec<T>,
  options: ImportOptions,
): RowProblem[] {
  if (!options.prefectures || !spec.prefectureOf) return [];
  return records.flatMap((record, i) => {
    const previous = stored.get(record.externalId);
    const prefecture = previous && spec.prefectureOf!(previous);
    if (!prefecture || options.prefectures!.includes(prefecture)) return [];
    const id = spec.idColumns.map((column) => rows[i].values[column] ?? '').join(', ');
    return [
      {
        line: rows[i].line,
        column: spec.idColumns[0],
        value: id.slice(0, 200),
        reason: `is the id of a record of another prefecture: give this row an id of its own`,
        reasonJa: `他の都道府県の記録のIDです。この行には別のIDを付けてください`,
      },
    ];
  });
}

/**
 * Rows that would move a stored record to another prefecture (an admin's file: staff reach only their own).
 * A record stays in its prefecture, as through the API, where no mutation moves one: its visits, advisors and
 * municipalities are that prefecture's, and some kinds' writes keep the stored prefecture whatever the row says.
 */
function movedRecords<T extends { id: string; externalId: string | null; version: number }>(
  records: readonly T[],
  rows: readonly CsvRow[],
  stored: ReadonlyMap<string | null, T>,
  spec: ImportSpec<T>,
): RowProblem[] {
  if (!spec.prefectureOf) return [];
  return records.flatMap((record, i) => {
    const previous = stored.get(record.externalId);
    const [was, is] = [previous && spec.prefectureOf!(previous), spec.prefectureOf!(record)];
    if (!was || !is || was === is) return [];
    return [
      {
        line: rows[i].line,
        column: 'prefecture_code',
        value: is,
        reason: `the record with this id is of prefecture ${was}: a file does not move a record to another prefecture (give a record of ${is} an id of its own)`,
        reasonJa: `このIDの記録は都道府県 ${was} のものです。ファイルで都道府県を変えることはできません（${is} の記録には別のIDを付けてください）`,
      },
    ];
  });
}

/**
 * The history of an import: one row with its summary (entity `import`, the import's id) and one per
 * record it wrote, with the record before (null when the import added it) and after — one statement
 * for all the records, whatever their number.
 */
export async function recordImport(
  manager: EntityManager,
  kind: string,
  report: ImportReport,
  options: ImportOptions,
  changes: ReadonlyArray<{ before: { id: string } | null; after: { id: string } }>,
): Promise<string> {
  const importId = randomUUID();
  const actor = options.actor ?? 'import';
  const summary = {
    kind,
    rows: report.rows,
    inserted: report.inserted,
    updated: report.updated,
    unchanged: report.unchanged,
    prefectures: options.prefectures ?? null,
  };
  await recordHistory(manager, { entity: 'import', entityId: importId, action: 'import', actor, before: null, after: summary, importId });
  await manager.query(
    `INSERT INTO history (entity, entity_id, action, actor, before, after, import_id)
     SELECT $1, (c->>'id')::uuid, 'import', $2, c->'before', c->'after', $3 FROM jsonb_array_elements($4::jsonb) AS c`,
    [kind, actor, importId, JSON.stringify(changes.map((c) => ({ id: c.after.id, before: c.before, after: c.after })))],
  );
  return importId;
}

/** An import's summary and its records before and after, locked against a second revert running at once. */
export async function importedChanges<T>(
  manager: EntityManager,
  kind: string,
  importId: string,
  options: ImportOptions,
): Promise<{ prefectures: string[] | null; changes: Array<{ before: T | null; after: T }> }> {
  const [summary] = await manager.query("SELECT after FROM history WHERE entity = 'import' AND entity_id = $1 AND action = 'import' AND after->>'kind' = $2", [
    importId,
    kind,
  ]);
  if (!summary) throw notFound(`no ${kind} import has id ${importId}`, `取り込み ${importId}（${kind}）`, 'importId');
  await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`revert:${importId}`]);
  // Reverted already, or texts its rows held erased since (an `erasure` entry: what it would put back is no longer kept).
  const ended: Array<{ action: string }> = await manager.query(
    "SELECT action FROM history WHERE entity = 'import' AND entity_id = $1 AND action IN ('revert', 'erasure') ORDER BY id",
    [importId],
  );
  if (ended.some((e) => e.action === 'revert')) throw conflict(`import ${importId} was already reverted`, 'この取り込みはすでに取り消されています');
  if (ended.length > 0)
    throw conflict(
      `texts import ${importId} wrote or replaced were erased since (a person's request); it can no longer be reverted: change the records instead`,
      'この取り込みで書き込んだ・置き換えた記述がその後（本人からの請求などで）消去されたため、取り消せません。記録を直接修正してください',
    );
  const prefectures: string[] | null = summary.after.prefectures;
  // Staff revert their prefecture's imports; admins any.
  if (options.prefectures && !(prefectures && prefectures.every((p) => options.prefectures!.includes(p)))) {
    throw forbidden(`import ${importId} was not made for your prefecture`, 'この取り込みは担当の都道府県のものではありません');
  }
  const rows = await manager.query("SELECT before, after FROM history WHERE import_id = $1 AND entity = $2 AND action = 'import' ORDER BY id", [
    importId,
    kind,
  ]);
  return { prefectures, changes: rows };
}

/** Records that an import was reverted (its summary row and one row per record put back). */
export async function recordRevert(
  manager: EntityManager,
  kind: string,
  importId: string,
  options: ImportOptions,
  changes: ReadonlyArray<{ before: { id: string } | null; after: { id: string } }>,
): Promise<void> {
  const actor = options.actor ?? 'import';
  await recordHistory(manager, {
    entity: 'import',
    entityId: importId,
    action: 'revert',
    actor,
    before: null,
    after: { kind, records: changes.length },
    importId,
  });
  await manager.query(
    `INSERT INTO history (entity, entity_id, action, actor, before, after, import_id)
     SELECT $1, (c->>'id')::uuid, 'revert', $2, c->'before', c->'after', $3 FROM jsonb_array_elements($4::jsonb) AS c`,
    [kind, actor, importId, JSON.stringify(changes.map((c) => ({ id: c.after.id, before: c.after, after: c.before })))],
  );
}

/** PostgreSQL's foreign-key violation: a record the revert would remove is used by another. */
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Undoes an import: every record it changed back to its values before, every record it added removed,
 * in one transaction — refused whole (CONFLICT, naming the records) when any of them changed since, or
 * when a record it added is now used by another (e.g. a participant added to an imported base).
 */
export async function revertImport<T extends { id: string; externalId: string | null; version: number }>(
  db: DataSource | EntityManager,
  kind: string,
  importId: string,
  spec: ImportSpec<T>,
  options: ImportOptions,
): Promise<RevertReport> {
  return importTransaction(db, async (manager) => {
    const { changes } = await importedChanges<T>(manager, kind, importId, options);
    const current = new Map(
      (
        await spec.existing(
          manager,
          changes.map((c) => c.after.externalId!),
          changes.map((c) => c.after),
        )
      ).map((r) => [r.externalId, r]),
    );
    const changedSince = changes.filter((c) => {
      const now = current.get(c.after.externalId);
      return !now || !sameContent(now, c.after);
    });
    if (changedSince.length > 0) {
      const named = changedSince.slice(0, 10).map((c) => c.after.externalId);
      throw conflict(
        `${changedSince.length} row(s) changed since the import (${named.join(', ')}${changedSince.length > 10 ? ', …' : ''}); nothing was reverted`,
        `取り込み後に変更された行が${changedSince.length}件あります（${named.join('、')}）。何も取り消していません`,
      );
    }
    const added = changes.filter((c) => c.before === null).map((c) => c.after);
    const changed = changes.flatMap((c) => (c.before ? [{ before: c.before, after: c.after }] : []));
    try {
      if (changed.length > 0) {
        if (spec.restore) await spec.restore(manager, changed);
        else
          await spec.write(
            manager,
            [],
            changed.map((c) => c.before),
          );
      }
      if (added.length > 0) await spec.remove(manager, added);
    } catch (error) {
      if ((error as { code?: string }).code !== FOREIGN_KEY_VIOLATION) throw error;
      throw conflict(
        'a record the import added is now used by another record (remove that first); nothing was reverted',
        '取り込みで追加した記録が他の記録から参照されています。先にそちらを削除してください。何も取り消していません',
      );
    }
    await recordRevert(manager, kind, importId, options, changes);
    return { kind, importId, restored: changed.length, removed: added.length };
  });
}

/** An import kind's two operations, as a subgraph definition lists them (`importers`). */
export interface RowImporter {
  run(db: DataSource | EntityManager, source: ImportSource, options?: ImportOptions): Promise<ImportReport>;
  revert(db: DataSource | EntityManager, importId: string, options?: ImportOptions): Promise<RevertReport>;
  /** The stored records `filter` selects, as this import's file. */
  download(db: DataSource | EntityManager, filter: DownloadFilter): Promise<ImportDownload>;
  /** The column(s) a row is matched on (a file's own id, or a composite key); absent for an import of its own kind. */
  idColumns?: readonly string[];
}

/** Import and revert for one kind of file, from its spec (built afresh per call, for its options: a spec may keep state for one import, or write who imports). */
export function rowImporter<T extends { id: string; externalId: string | null; version: number }>(
  kind: string,
  spec: (options: ImportOptions) => ImportSpec<T>,
): RowImporter {
  return {
    run: (db, source, options = {}) => importRows(db, kind, source, spec(options), options),
    revert: (db, importId, options = {}) => revertImport(db, kind, importId, spec(options), options),
    download: (db, filter) => downloadRows(db, kind, spec({}), filter),
    idColumns: spec({}).idColumns,
  };
}

export type CsvImporter = (db: EntityManager, source: ImportSource, options: ImportOptions) => Promise<ImportReport>;

/**
 * Loads a CSV file shipped with the project (sample data, a reference template) through its importer,
 * once per version of the file (`loadOncePerVersion`); a file that does not import cleanly stops the start.
 */
export async function loadShippedCsv(dataSource: DataSource, dataset: string, file: string, importer: CsvImporter, log?: Logger): Promise<void> {
  const csv = readFileSync(file, 'utf8');
  await loadOncePerVersion(dataSource, dataset, createHash('sha256').update(csv).digest('hex'), async (manager) => {
    const report = await importer(manager, csv, { actor: dataset });
    if (!report.applied) throw new Error(`${dataset} did not load: ${JSON.stringify(report.problems.slice(0, 3))}`);
    log?.info({ dataset, inserted: report.inserted, updated: report.updated }, 'data loaded');
    return report.rows;
  });
}
