/** Reading CSV rows for imports (shared/csv-import.ts): every problem named by line and column. */
import { isInputObjectType } from 'graphql';
import ExcelJS from 'exceljs';
import * as XLS from '@e965/xlsx';
import {
  FREE_TEXT_COLUMNS,
  FREE_TEXT_INPUTS,
  MAX_PROBLEMS,
  RowReader,
  type RowProblem,
  checkHeader,
  checkUniqueIds,
  emptyReport,
  reportAsSent,
  withHeader,
} from '../../shared/csv-import';
import { supergraphApiSchema } from '../helpers/schema';
import { readImportFile } from '../../shared/spreadsheet';
import { JAPANESE_COLUMN_NAMES, japaneseAliases } from '../../shared/japanese-columns';
import { BASE_COLUMNS, PARTICIPANT_COLUMNS } from '../../subgraphs/bases/sample/columns';
import {
  ADVISOR_COLUMNS,
  ASSESSMENT_COLUMNS,
  ASSESSMENT_OPTIONAL_COLUMNS,
  FOLLOW_UP_COLUMNS,
  FOLLOW_UP_OPTIONAL_COLUMNS,
  REQUEST_COLUMNS,
  REQUEST_OPTIONAL_COLUMNS,
  PROGRAM_COLUMNS,
  VISIT_COLUMNS,
  VISIT_OPTIONAL_COLUMNS,
} from '../../subgraphs/dispatch/import';
import { PROGRAM_DUTY_LABELS, PURPOSE_LABELS, ProgramDuty, VisitPurpose } from '../../subgraphs/dispatch/rules';
import { SELF_PLAN_IMPORT } from '../../subgraphs/municipalities/import';
import { COUNCIL_COLUMNS } from '../../subgraphs/municipalities/sample/generate';
import { CORE_CENTER_COLUMNS, OFFICE_COLUMNS } from '../../subgraphs/support-centers/sample/columns';
import {
  MAX_CELL_CHARACTERS,
  MAX_FILE_COLUMNS,
  MAX_FILE_ROWS,
  MalformedCsv,
  TooLongCell,
  TooManyRows,
  TooWide,
  readCsv,
  readCsvInTurns,
} from '../../shared/csv';
import { DEFAULT_LIST_LIMIT } from '../../shared/input-rules';

const read = (csv: string) => {
  const problems: RowProblem[] = [];
  const { columns, rows } = readCsv(csv);
  return { columns, rows, problems, reader: (i: number) => new RowReader(rows[i], problems) };
};

it('reads text, numbers, booleans, lists and dates, naming each bad cell by line and column', () => {
  const { reader, problems } = read('\uFEFFname,count,flag,codes,date\n札幌,12,有,011002; 012025,2025-04-01\n,x,maybe,,2025-02-30\n');
  const good = reader(0);
  expect([good.text('name'), good.integer('count'), good.boolean('flag'), good.list('codes'), good.date('date')]).toEqual([
    '札幌',
    12,
    true,
    ['011002', '012025'],
    '2025-04-01',
  ]);
  expect(problems).toEqual([]);
  const bad = reader(1);
  bad.text('name');
  bad.integer('count');
  bad.boolean('flag');
  bad.list('codes');
  bad.date('date');
  expect(problems.map((p) => `${p.line}:${p.column}`)).toEqual(['3:name', '3:count', '3:flag', '3:codes', '3:date']);
  // Each says why in Japanese too, and quotes the value received (the empty cells have none to quote).
  expect(problems.map((p) => [p.value, Boolean(p.reasonJa)])).toEqual([
    [undefined, true],
    ['x', true],
    ['maybe', true],
    [undefined, true],
    ['2025-02-30', true],
  ]);
});

it('takes in a date column what the API takes for that date (its range), and any real date where the API has none', () => {
  const { reader, problems } = read(
    'visited_on,due_on,raised_on,last_review_on,as_of\n1999/12/31,2099-01-01,令和99年1月1日,2100-01-01,2099-01-01\n2000/1/1,2026-01-01,2024-01-01,2024-01-01,1950-01-01\n',
  );
  const outside = reader(0);
  for (const column of ['visited_on', 'due_on', 'raised_on', 'last_review_on', 'as_of']) outside.date(column);
  // as_of (a council's or a self-plan rate's date) is no API input: any real date.
  expect(problems.map((p) => [p.column, p.reasonJa])).toEqual([
    ['visited_on', expect.stringMatching(/^2000-01-01から.*（今日）までの日付にしてください$/)],
    ['due_on', expect.stringMatching(/^2000-01-01から.*（今日から5年後）までの日付にしてください$/)],
    ['raised_on', expect.stringContaining('（今日）まで')],
    ['last_review_on', expect.stringContaining('（今日）まで')],
  ]);
  const inside = reader(1);
  for (const column of ['visited_on', 'due_on', 'raised_on', 'last_review_on', 'as_of']) inside.date(column);
  expect(problems).toHaveLength(4);
});

it('takes in a text column what the API takes for that text (its length), per item in a list cell, never quoting free text', () => {
  const long = (n: number) => 'あ'.repeat(n);
  const csv = `summary,description,name,topics,text\n${long(4001)},${long(2001)},${long(201)},"研修;${long(201)}",${long(5000)}\n${long(4000)},${long(2000)},${long(200)},"研修;${long(200)}",x\n`;
  const { reader, problems } = read(csv);
  const over = reader(0);
  for (const column of ['summary', 'description', 'name', 'topics', 'text']) over.text(column);
  // `text` (a checklist item's, admins only) has no API input: no limit here.
  expect(problems.map((p) => [p.column, p.reason, p.value])).toEqual([
    ['summary', 'must be at most 4000 characters, got 4001', undefined],
    ['description', 'must be at most 2000 characters, got 2001', undefined],
    ['name', 'must be at most 200 characters, got 201', long(200)],
    ['topics', 'must be at most 200 characters per item, got 201', undefined],
  ]);
  expect(problems[0].reasonJa).toBe('4000文字以内で入力してください（4001文字）');
  const within = reader(1);
  for (const column of ['summary', 'description', 'name', 'topics', 'text']) within.text(column);
  expect(problems).toHaveLength(4);
});

it('takes in a list column as many items as the API takes for that list', () => {
  const advisors = (n: number) => Array.from({ length: n }, (_, i) => `ADV-${i}`).join(';');
  const { reader, problems } = read(`advisor_ids,subcommittees\n"${advisors(21)}","${advisors(40)}"\n"${advisors(20)}",x\n`);
  // Over the limit, the row is refused, and only the first items are read on (named when wrong), not thousands.
  expect(reader(0).list('advisor_ids')).toHaveLength(20);
  // A council's subcommittees are no API input: as many as any other list the API takes (DEFAULT_LIST_LIMIT).
  expect(reader(0).list('subcommittees')).toHaveLength(40);
  expect(problems.map((p) => [p.column, p.reason, p.reasonJa])).toEqual([
    ['advisor_ids', 'must list at most 20 items, got 21', '20件以内にしてください（21件）'],
  ]);
  reader(1).list('advisor_ids');
  expect(problems).toHaveLength(1);
  const many = read(`subcommittees\n"${advisors(DEFAULT_LIST_LIMIT + 1)}"\n`);
  expect(many.reader(0).list('subcommittees')).toHaveLength(DEFAULT_LIST_LIMIT);
  expect(many.problems.map((p) => p.reason)).toEqual([`must list at most ${DEFAULT_LIST_LIMIT} items, got ${DEFAULT_LIST_LIMIT + 1}`]);
});

it('refuses a cell holding U+FFFD, a character lost by an earlier conversion, rather than storing it garbled', () => {
  const { reader, problems } = read('name,summary\n札幌\uFFFD\uFFFD市,山田\uFFFDさんの件\n');
  reader(0).text('name');
  reader(0).text('summary');
  expect(problems).toEqual([
    expect.objectContaining({
      line: 2,
      column: 'name',
      reasonJa: '3文字目に文字化けの跡（�）があります。元の文字に直してください',
      value: '札幌\uFFFD\uFFFD市',
    }),
    expect.objectContaining({ line: 2, column: 'summary', reason: expect.stringContaining('U+FFFD') }),
  ]);
  expect(JSON.stringify(problems)).not.toContain('山田'); // free text is still never quoted
});

it("refuses a cell holding Excel's error of a failed formula (#N/A, #REF!), in any column, rather than storing it as text", () => {
  const { reader, problems } = read('name,summary,topics\n#N/A,#REF!,#div/0!\n');
  reader(0).text('name');
  reader(0).text('summary', false);
  reader(0).text('topics', false);
  expect(problems).toEqual([
    expect.objectContaining({
      line: 2,
      column: 'name',
      value: '#N/A',
      reasonJa: 'Excel のエラー #N/A です（数式が失敗しています）。数式を直すか、値を入力してください',
    }),
    expect.objectContaining({ line: 2, column: 'summary', reason: "holds Excel's error #REF!: a formula failed; correct the formula or type the value" }),
    expect.objectContaining({ line: 2, column: 'topics' }),
  ]);
  // Text that only starts like one is text.
  const fine = read('name\n#N/A の件\n');
  fine.reader(0).text('name');
  expect(fine.problems).toEqual([]);
});

it('refuses text PostgreSQL cannot store', () => {
  const { reader, problems } = read('name\n"a\u0000b"\n');
  reader(0).text('name');
  expect(problems).toEqual([
    {
      line: 2,
      column: 'name',
      reason: 'contains a NUL character (U+0000) at character 2, which cannot be stored',
      reasonJa: '2文字目に保存できないNUL文字（U+0000）が含まれています',
      value: 'a\u0000b',
    },
  ]);
});

it('refuses a control character or a bidirectional override in a cell, as the API does', () => {
  const { reader, problems } = read('name,summary\n"\u202eターセン","件\u001b[2K"\n');
  reader(0).text('name');
  reader(0).text('summary');
  expect(problems).toEqual([
    expect.objectContaining({ line: 2, column: 'name', reason: expect.stringContaining('bidirectional control character (U+202E) at character 1') }),
    expect.objectContaining({ line: 2, column: 'summary', reasonJa: '2文字目に表示されない制御文字（U+001B）が含まれています。削除してください' }),
  ]);
});

it('checks the header and repeated ids', () => {
  const { columns, rows, problems } = read('id,name,extra\n1,a,\n1,b,\n');
  expect(checkHeader(columns, ['id', 'name', 'kana'], problems)).toBe(false);
  checkUniqueIds(rows, ['id'], problems);
  expect(problems).toEqual([
    { line: 1, column: 'kana', reason: 'column is missing', reasonJa: '列がありません' },
    { line: 1, column: 'extra', reason: 'unknown column', reasonJa: '不明な列です', value: 'extra' },
    { line: 3, column: 'id', reason: 'repeats the id of line 2', reasonJa: '2行目と同じIDです' },
  ]);
});

describe('Japanese column names', () => {
  it('has one for every column of every survey import', () => {
    const columns = [
      ...CORE_CENTER_COLUMNS,
      ...OFFICE_COLUMNS,
      ...BASE_COLUMNS,
      ...PARTICIPANT_COLUMNS,
      ...ADVISOR_COLUMNS,
      ...PROGRAM_COLUMNS,
      ...VISIT_COLUMNS,
      ...VISIT_OPTIONAL_COLUMNS,
      ...FOLLOW_UP_COLUMNS,
      ...FOLLOW_UP_OPTIONAL_COLUMNS,
      ...REQUEST_COLUMNS,
      ...REQUEST_OPTIONAL_COLUMNS,
      ...ASSESSMENT_COLUMNS,
      ...ASSESSMENT_OPTIONAL_COLUMNS,
      ...COUNCIL_COLUMNS,
      ...SELF_PLAN_IMPORT.required,
    ];
    expect(columns.filter((c) => !JAPANESE_COLUMN_NAMES[c]?.length)).toEqual([]);
  });

  it('maps a Japanese name to the column of the import that has it (機能: functions for bases, function for participants)', () => {
    expect(japaneseAliases(BASE_COLUMNS)['機能']).toBe('functions');
    expect(japaneseAliases(PARTICIPANT_COLUMNS)['機能']).toBe('function');
  });
});

it('reads a CSV as Excel saves it: rows of empty cells and unnamed empty columns at the end are not data', () => {
  const { columns, rows } = read('id,name,,\r\n1,札幌,,\r\n,,,\r\n2,函館,,\r\n , ,\u3000,\r\n');
  expect(columns).toEqual(['id', 'name']);
  expect(rows).toEqual([
    { line: 2, values: { id: '1', name: '札幌' } },
    { line: 4, values: { id: '2', name: '函館' } },
  ]);
  // An unnamed column with a value in it stays, so that the import reports it rather than dropping the value.
  expect(read('id,name,\n1,札幌,メモ\n').columns).toEqual(['id', 'name', '']);
});

describe('a large file read in turns (readCsvInTurns), as an import over HTTP reads it', () => {
  // Slices of 256 K characters: quoted line breaks and characters outside the BMP (𠮷) fall across them.
  const large = `a,b\n${Array.from({ length: 30_000 }, (_, i) => `"x${i}\n改行あり,""引用""",𠮷野家${i}`).join('\n')}\n`;

  it('reads the same table as readCsv, and refuses the same files with the same line', async () => {
    expect(await readCsvInTurns(large)).toEqual(readCsv(large));
    // The character's halves on either side of a slice's end (after 256 K - 1 characters), in cells Excel could hold.
    const boundary = `a\n${`${'x'.repeat(1023)}\n`.repeat(255)}${'x'.repeat(1021)}𠮷\n`;
    expect(boundary.indexOf('𠮷')).toBe(256 * 1024 - 1);
    expect(await readCsvInTurns(boundary)).toEqual(readCsv(boundary));
    const malformed = `a,b\n${'1,2\n'.repeat(100_000)}1,"x"y\n`;
    const line = (() => {
      try {
        readCsv(malformed);
      } catch (error) {
        return (error as MalformedCsv).line;
      }
    })();
    await expect(readCsvInTurns(malformed)).rejects.toMatchObject({ line });
    await expect(readCsvInTurns(`a\n${'1\n'.repeat(MAX_FILE_ROWS + 10)}`)).rejects.toBeInstanceOf(TooManyRows);
  });

  it('lets other work run while it reads', async () => {
    let turns = 0;
    const timer = setInterval(() => (turns += 1), 0);
    try {
      await readCsvInTurns(large);
    } finally {
      clearInterval(timer);
    }
    expect(turns).toBeGreaterThan(1);
  });
});

describe('the header below a title, as Japanese forms have it', () => {
  const columns = ['center_id', 'prefecture_code', 'name'];
  const located = (csv: string) => {
    const report = emptyReport('core-centers', {});
    const table = withHeader(readCsv(csv), columns, report, { aliases: { センターID: 'center_id', 都道府県コード: 'prefecture_code', 名称: 'name' } });
    return { table, report };
  };

  it('finds the header under a title and a date line, reads the rows below it with their own line numbers, and says so', () => {
    const { table, report } = located('様式1 基幹相談支援センター一覧,,\n（令和7年4月1日現在）,,\n,,\nセンターID,都道府県コード,名称\nS-01,01,札幌\n');
    expect(table?.columns).toEqual(columns);
    expect(table?.rows).toEqual([{ line: 5, values: { center_id: 'S-01', prefecture_code: '01', name: '札幌' } }]);
    expect(report.rows).toBe(1);
    expect(report.problems).toEqual([]);
    expect(report.warnings).toEqual([expect.objectContaining({ line: 4, reasonJa: '見出しは4行目にあります。1〜3行目（表題など）は読み込んでいません' })]);
  });

  it('reads the sheet that holds the header when the first (a cover sheet) does not, and asks which when several do', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('記入要領').addRows([['各欄に記入してください'], ['センターID: 都道府県で付けた番号']]);
    const data = [['様式1'], ['センターID', '都道府県コード', '名称'], ['S-01', '01', '札幌']];
    workbook.addWorksheet('調査票').addRows(data);
    const file = async () => (await readImportFile(new Uint8Array(await workbook.xlsx.writeBuffer()))).table;
    const report = emptyReport('core-centers', {});
    const aliases = { センターID: 'center_id', 都道府県コード: 'prefecture_code', 名称: 'name' };
    const table = withHeader(await file(), columns, report, { aliases });
    expect(table?.rows).toEqual([{ line: 3, values: { center_id: 'S-01', prefecture_code: '01', name: '札幌' } }]);
    expect(report.problems).toEqual([]);
    expect(report.warnings.map((w) => w.reasonJa)).toEqual([
      '最初のシート「記入要領」には取込の見出しがないため、シート「調査票」を読み込みました（?sheet=、コマンドでは --sheet で指定できます）',
      '見出しは2行目にあります。1行目（表題など）は読み込んでいません',
    ]);
    // A sheet named is read, whatever the others hold; a first sheet with the header is read as before.
    expect((await readImportFile(new Uint8Array(await workbook.xlsx.writeBuffer()), { sheet: '記入要領' })).table.otherSheets).toBeUndefined();
    // A hidden sheet (a list behind a drop-down, an old copy), first as it may be, is no sheet a person sees: read only when named.
    const hidden = new ExcelJS.Workbook();
    hidden.addWorksheet('旧様式', { state: 'hidden' }).addRows([
      ['センターID', '都道府県コード', '名称'],
      ['S-99', '01', '旧'],
    ]);
    hidden.addWorksheet('調査票').addRows(data);
    const bytes = new Uint8Array(await hidden.xlsx.writeBuffer());
    const shown = emptyReport('core-centers', {});
    expect(withHeader((await readImportFile(bytes)).table, columns, shown, { aliases })?.rows.map((r) => r.values.name)).toEqual(['札幌']);
    expect(shown.warnings).toHaveLength(1); // the title above the header only: no other sheet was considered
    expect((await readImportFile(bytes, { sheet: '旧様式' })).table.rows.map((r) => r.values['名称'])).toEqual(['旧']);
    // The same in an Excel 97–2003 workbook (.xls).
    const xls = XLS.utils.book_new();
    XLS.utils.book_append_sheet(
      xls,
      XLS.utils.aoa_to_sheet([
        ['センターID', '都道府県コード', '名称'],
        ['S-99', '01', '旧'],
      ]),
      '旧様式',
    );
    XLS.utils.book_append_sheet(xls, XLS.utils.aoa_to_sheet(data), '調査票');
    xls.Workbook = {
      Sheets: [
        { name: '旧様式', Hidden: 1 },
        { name: '調査票', Hidden: 0 },
      ],
    };
    const xlsBytes = new Uint8Array(XLS.write(xls, { type: 'array', bookType: 'biff8' }) as ArrayBuffer);
    expect(withHeader((await readImportFile(xlsBytes)).table, columns, emptyReport('core-centers', {}), { aliases })?.rows.map((r) => r.values.name)).toEqual([
      '札幌',
    ]);
    workbook.addWorksheet('記入例').addRows(data);
    const several = emptyReport('core-centers', {});
    expect(withHeader(await file(), columns, several, { aliases })).toBeNull();
    expect(several.problems).toEqual([expect.objectContaining({ line: 1, reason: expect.stringContaining('several sheets do ("調査票", "記入例")') })]);
  });

  it("reads a header of two rows: a group's name over columns named below it, alone or as group_name", () => {
    const report = emptyReport('core-centers', {});
    const csv = 'センターID,名称,専門職員数,,計画相談支援,\n,,主任相談支援専門員数,相談支援専門員数,計画作成者数,セルフプラン率\nS-01,札幌,2,3,100,15\n';
    const table = withHeader(readCsv(csv), ['center_id', 'name', 'chief_specialists', 'specialists', 'planning_plans', 'planning_rate'], report, {
      aliases: {
        センターID: 'center_id',
        名称: 'name',
        主任相談支援専門員数: 'chief_specialists',
        相談支援専門員数: 'specialists',
        計画相談支援_計画作成者数: 'planning_plans',
        計画相談支援_セルフプラン率: 'planning_rate',
      },
    });
    expect(report.problems).toEqual([]);
    expect(table?.rows).toEqual([
      { line: 3, values: { center_id: 'S-01', name: '札幌', chief_specialists: '2', specialists: '3', planning_plans: '100', planning_rate: '15' } },
    ]);
    expect(report.warnings).toEqual([expect.objectContaining({ line: 2, reasonJa: expect.stringContaining('2段') })]);
    // A header over a row of data stays one row, whatever the data's cells say.
    expect(located('センターID,都道府県コード,名称\nS-01,01,名称\n').table?.rows).toHaveLength(1);
  });

  it("skips a row repeating the header's columns (this API's workbooks: English keys under Japanese names, wherever a sort put it), and only that", () => {
    const { table, report } = located('センターID,都道府県コード,名称\ncenter_id,prefecture_code,name\nS-01,01,札幌\n');
    expect(table?.rows).toEqual([{ line: 3, values: { center_id: 'S-01', prefecture_code: '01', name: '札幌' } }]);
    expect(report.rows).toBe(1);
    // Sorted in Excel by name, the keys row lands among the data.
    expect(located('センターID,都道府県コード,名称\nS-02,01,旭川\ncenter_id,prefecture_code,name\nS-01,01,札幌\n').table?.rows.map((r) => r.line)).toEqual([
      2, 4,
    ]);
    // A row naming only some of the columns is data (and its cells are checked as such).
    expect(located('center_id,prefecture_code,name\ncenter_id,01,札幌\n').table?.rows).toHaveLength(1);
  });

  it("reads a cell this API's CSV neutralised ('=…, '-…) as it was stored, and any other apostrophe as it is", () => {
    const { table } = located("center_id,prefecture_code,name\nS-01,01,'-（所属なし）\nS-02,01,'=A1\nS-03,01,'77\n");
    expect(table?.rows.map((r) => r.values.name)).toEqual(['-（所属なし）', '=A1', "'77"]);
  });

  it('keeps row 1 as the header when it names half the columns, and reports the rest there', () => {
    const { table, report } = located('center_id,prefecture_code,名前\nS-01,01,札幌\n');
    expect(table).toBeNull();
    expect(report.warnings).toEqual([]);
    expect(report.problems.map((p) => `${p.line}:${p.column}`)).toEqual(['1:名前', '1:name']);
    expect(report.problems[0]).toMatchObject({
      reason: 'unknown column; did you mean 名称 (name)?',
      reasonJa: '不明な列です（「名称」の書き間違いではありませんか）',
    });
  });

  it("leaves out, with a warning, a column a prefecture's list adds (所在地, 電話番号), and refuses one like a column of the import (probably mistyped)", () => {
    const { table, report } = located('center_id,prefecture_code,name,所在地,電話番号\nS-01,01,札幌,札幌市中央区,011-000-0000\n');
    expect(table?.rows).toEqual([{ line: 2, values: { center_id: 'S-01', prefecture_code: '01', name: '札幌' } }]);
    expect(report.problems).toEqual([]);
    expect(report.warnings.map((w) => w.reasonJa)).toEqual([
      '「所在地」列は取り込みません（この取込の列ではありません）',
      '「電話番号」列は取り込みません（この取込の列ではありません）',
    ]);
    const mistyped = located('centre_id,center_id,prefecture_code,name,prefecture_cod\nX,S-01,01,札幌,01\n');
    expect(mistyped.table).toBeNull();
    expect(mistyped.report.problems.map((p) => p.reason)).toEqual(['unknown column; did you mean center_id?', 'unknown column; did you mean prefecture_code?']);
  });

  it('reads header cells with spaces, line breaks or full-width letters as the names they are', () => {
    const { table, report } = located('センター ＩＤ,"都道府県\nコード",名　称\nS-01,01,札幌\n');
    expect(report.problems).toEqual([]);
    expect(table?.rows[0].values).toEqual({ center_id: 'S-01', prefecture_code: '01', name: '札幌' });
  });

  it("reads a form's header cells without the notes it adds for the person filling it in: brackets at the end, ※, required marks", () => {
    const { table, report } = located('【必須】センターID,都道府県コード※2桁*,"名称\n（正式名称）"\nS-01,01,札幌\n');
    expect(report.problems).toEqual([]);
    expect(table?.rows[0].values).toEqual({ center_id: 'S-01', prefecture_code: '01', name: '札幌' });
    // Two cells that are one name without their notes are that column twice: refused, as any repeat.
    const twice = located('センターID,都道府県コード,名称（正式）,名称（略称）\nS-01,01,札幌,札幌\n');
    expect(twice.table).toBeNull();
    expect(twice.report.problems).toEqual([expect.objectContaining({ column: 'name', reason: expect.stringContaining('2 times') })]);
  });

  it("leaves out a form's row numbers and remarks with a warning, rather than refusing them as unknown columns", () => {
    const { table, report } = located('No.,センターID,都道府県コード,名称,備考\n1,S-01,01,札幌,4月に移転予定\n');
    expect(report.problems).toEqual([]);
    expect(table?.rows[0].values).toEqual({ center_id: 'S-01', prefecture_code: '01', name: '札幌' });
    expect(report.warnings.map((w) => w.reasonJa)).toEqual([
      '「No.」列は取り込みません（番号や備考の列はこの取込のデータではありません）',
      '「備考」列は取り込みません（番号や備考の列はこの取込のデータではありません）',
    ]);
  });

  it('refuses an empty file with one problem, not one per column', () => {
    for (const csv of ['', '\uFEFF', '\r\n\r\n', ',,,\n']) {
      const { table, report } = located(csv);
      expect(table).toBeNull();
      expect(report.problems).toEqual([
        {
          line: 1,
          column: '',
          reason: 'the file (or the sheet read) is empty: it has no header row',
          reasonJa: 'ファイル（読んだシート）が空です（見出しの行がありません）',
        },
      ]);
    }
  });

  it('refuses a header that names a column twice, in any of its names: one cell would silently win', () => {
    for (const [csv, named] of [
      ['center_id,prefecture_code,name,name\nS-01,01,札幌,さっぽろ\n', '「name」「name」'],
      ['センターID,都道府県コード,name,名称\nS-01,01,札幌,さっぽろ\n', '「name」「名称」'],
      ['センターID,都道府県コード,名称,名　称\nS-01,01,札幌,さっぽろ\n', '「名称」「名　称」'],
    ]) {
      const { table, report } = located(csv);
      expect(table).toBeNull();
      expect(report.problems).toEqual([
        expect.objectContaining({
          line: 1,
          column: 'name',
          reason: expect.stringContaining('2 times'),
          reasonJa: `見出しに「name」の列が2つあります（${named}）。1つにしてください`,
        }),
      ]);
    }
    // Two remarks columns are no import's data: both left out, nothing refused.
    expect(located('センターID,都道府県コード,名称,備考,備考\nS-01,01,札幌,a,b\n').report.problems).toEqual([]);
  });

  it('reports a value right of the header, under a column without a name, rather than dropping it', () => {
    const { report } = located('center_id,prefecture_code,name\nS-01,01,札幌,※確認中\n');
    expect(report.problems).toEqual([expect.objectContaining({ line: 1, column: '', reasonJa: expect.stringContaining('見出しのない列に値があります') })]);
  });
});

describe('rows a person hid in Excel (a filter, or by hand)', () => {
  const columns = ['center_id', 'prefecture_code', 'name'];
  const aliases = { センターID: 'center_id', 都道府県コード: 'prefecture_code', 名称: 'name' };
  const DATA = [
    ['センターID', '都道府県コード', '名称'],
    ['S-01', '01', '札幌'],
    ['S-13a', '13', '千代田'],
    ['S-13b', '13', '港'],
    ['S-01b', '01', '函館'],
    ['S-14', '14', '横浜'],
  ];
  const HIDDEN = [3, 4, 6]; // lines: 東京都's two rows and 神奈川県's, as a filter on 都道府県コード = 01 leaves them
  const checked = async (bytes: Uint8Array) => {
    const report = emptyReport('core-centers', {});
    const table = withHeader((await readImportFile(bytes)).table, columns, report, { aliases });
    return { table, report };
  };

  it('reads them like the others, and says which lines they are, in an .xlsx, .xlsb and XML Spreadsheet 2003', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('一覧');
    sheet.addRows(DATA);
    sheet.autoFilter = 'A1:C6';
    for (const line of HIDDEN) sheet.getRow(line).hidden = true;
    const files: Array<[string, Uint8Array]> = [['xlsx', new Uint8Array(await workbook.xlsx.writeBuffer())]];
    for (const bookType of ['xlsb', 'xlml'] as const) {
      const book = XLS.utils.book_new();
      const ws = XLS.utils.aoa_to_sheet(DATA);
      ws['!rows'] = DATA.map((_, index) => (HIDDEN.includes(index + 1) ? { hidden: true } : {}));
      XLS.utils.book_append_sheet(book, ws, '一覧');
      files.push([bookType, new Uint8Array(XLS.write(book, { type: 'buffer', bookType }))]);
    }
    for (const [format, bytes] of files) {
      const { table, report } = await checked(bytes);
      expect([format, table?.rows.map((row) => row.values.center_id)]).toEqual([format, ['S-01', 'S-13a', 'S-13b', 'S-01b', 'S-14']]);
      expect([format, report.warnings]).toEqual([
        format,
        [
          {
            line: 3,
            column: '',
            reason:
              '3 row(s) hidden in Excel (by a filter or by hand) are read and imported like the others: line(s) 3–4, 6; to leave them out, delete them from the sheet',
            reasonJa: 'Excel で非表示の行（フィルターなど）3行も、ほかの行と同じく取り込みます（3〜4, 6行目）。取り込まない行はシートから削除してください',
          },
        ],
      ]);
    }
  });

  it('says nothing when every row is shown', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('一覧').addRows(DATA);
    const { report } = await checked(new Uint8Array(await workbook.xlsx.writeBuffer()));
    expect(report.warnings).toEqual([]);
  });
});

it("reads a coded value by its label, the label's start, or the numbering mark alone, as forms number items", () => {
  const { reader, problems } = read('purposes,duty\n(ア) 地域のネットワーク構築に向けた指導・調整;(イ;（ウ）;エ,①\n(キ),1\n');
  expect(reader(0).listOf('purposes', Object.values(VisitPurpose), true, PURPOSE_LABELS)).toEqual([
    'NETWORK_BUILDING',
    'CORE_CENTER',
    'COUNCIL',
    'WIDE_AREA_ISSUES',
  ]);
  expect(reader(0).oneOf('duty', Object.values(ProgramDuty), PROGRAM_DUTY_LABELS)).toBe('NETWORK_BUILDING');
  // ① read as NFKC is 1: a 1 written alone is ① too.
  expect(reader(1).oneOf('duty', Object.values(ProgramDuty), PROGRAM_DUTY_LABELS)).toBe('NETWORK_BUILDING');
  expect(problems).toEqual([]);
  // A mark no label has is named, not guessed.
  reader(1).listOf('purposes', Object.values(VisitPurpose), true, PURPOSE_LABELS);
  expect(problems.map((p) => `${p.line}:${p.column}:${p.value}`)).toEqual(['3:purposes:(キ)']);
});

it('reads a label without its numbering mark, with the mark written otherwise or unspaced, but not with another label’s mark', () => {
  const { reader, problems } = read(
    [
      'purposes,duty',
      '基幹相談支援センターの設置・運営等に係る支援;（イ）基幹相談支援センターの設置・運営等に係る支援;( ウ ) 協議会の設置,⑤相談支援従事者の人材育成',
      '協議会の設置・活性化に係る支援,その他',
      '(ア) 基幹相談支援センターの設置・運営等に係る支援,② 協議会の設置',
    ].join('\n'),
  );
  expect(reader(0).listOf('purposes', Object.values(VisitPurpose), true, PURPOSE_LABELS)).toEqual(['CORE_CENTER', 'CORE_CENTER', 'COUNCIL']);
  expect(reader(0).oneOf('duty', Object.values(ProgramDuty), PROGRAM_DUTY_LABELS)).toBe('STAFF_TRAINING');
  expect(reader(1).listOf('purposes', Object.values(VisitPurpose), true, PURPOSE_LABELS)).toEqual(['COUNCIL']);
  expect(reader(1).oneOf('duty', Object.values(ProgramDuty), PROGRAM_DUTY_LABELS)).toBe('OTHER');
  expect(problems).toEqual([]);
  // A mark and a text that name two items is a mistake in one of them: named, not guessed.
  reader(2).listOf('purposes', Object.values(VisitPurpose), true, PURPOSE_LABELS);
  reader(2).oneOf('duty', Object.values(ProgramDuty), PROGRAM_DUTY_LABELS);
  expect(problems.map((p) => `${p.line}:${p.column}`)).toEqual(['4:purposes', '4:duty']);
});

it('reads a list of wards of one designated city, or of wards and their city, as the city once; a code given twice stays twice', () => {
  const { reader } = read('codes\n"141011;141020;141003"\n"141003;141011"\n"141011;271284"\n"012033;012033"\n');
  expect([0, 1, 2, 3].map((i) => reader(i).municipalityCodes('codes'))).toEqual([['141003'], ['141003'], ['141003', '271004'], ['012033', '012033']]);
});

it('reads a list of codes each with its name (011002 札幌市、012025 函館市, as a drop-down list writes them) as the codes; names alone and codes alone as before', () => {
  const { reader } = read('codes\n"011002 札幌市、012025 函館市"\n"札幌市 小樽市"\n"011002 012025"\n"011002 函館市"\n');
  expect([0, 1, 2, 3].map((i) => reader(i).municipalityCodes('codes'))).toEqual([
    ['011002', '012025'],
    ['011002', '012033'],
    ['011002', '012025'],
    ['011002', '012025'], // a code and another's name: two items, for the name check and the rules to judge
  ]);
});

it('reads list cells as staff separate items in Excel: ；, a line break, and for codes 、 , ・ or spaces', () => {
  const { reader, problems } = read('codes,purposes,topics\n"011002、012025・013374 012033","(ア)、イ\n（ウ）","相談支援・地域移行；研修\n協議会、部会"\n');
  expect(reader(0).municipalityCodes('codes')).toEqual(['011002', '012025', '013374', '012033']);
  expect(reader(0).listOf('purposes', Object.values(VisitPurpose), true, PURPOSE_LABELS)).toEqual(['NETWORK_BUILDING', 'CORE_CENTER', 'COUNCIL']);
  // Free text keeps its ・ and 、: only ; ； and line breaks part it.
  expect(reader(0).list('topics')).toEqual(['相談支援・地域移行', '研修', '協議会、部会']);
  expect(problems).toEqual([]);
});

it('reads yes/no and numbers as forms mark them: ○ 〇 ◯ ✓ レ 有り はい, × ✕ ☐ － 無し いいえ, full-width digits', () => {
  const marks = { yes: ['○', '〇', '◯', '✓', '☑', 'レ', '有り', 'はい', 'ＴＲＵＥ'], no: ['×', '✕', 'Ｘ', '☐', '－', 'ー', '無し', 'いいえ'] };
  const cells = [...marks.yes, ...marks.no, '△'];
  const { reader, problems } = read(`flag,count\n${cells.map((c, i) => `${c},${i === 0 ? '１２' : 1}`).join('\n')}\n`);
  const flags = cells.map((_, i) => reader(i).boolean('flag'));
  expect(flags).toEqual([...marks.yes.map(() => true), ...marks.no.map(() => false), false]);
  expect(reader(0).integer('count')).toBe(12);
  // A count with its unit, as forms write one.
  const units = read('count\n3人\n１２名\n4 回\n5件\n6か所\n');
  expect([0, 1, 2, 3].map((i) => units.reader(i).integer('count'))).toEqual([3, 12, 4, 5]);
  // A dash, as statistical tables write "none" or "no figure": which one is the person's to say; the refusal says how.
  const dashes = read('count\n－\n-\n');
  dashes.reader(0).integer('count');
  dashes.reader(1).integer('count');
  expect(dashes.problems.map((p) => p.reasonJa)).toEqual([
    '0〜999の整数で入力してください（「-」）。「－」は数ではありません。ない場合は 0 と入力してください',
    '0〜999の整数で入力してください（「-」）。「－」は数ではありません。ない場合は 0 と入力してください',
  ]);
  expect(units.problems).toEqual([]);
  units.reader(4).integer('count'); // not a unit of a count this import takes
  expect(units.problems).toEqual([expect.objectContaining({ value: '6か所' })]);
  // △ is neither: named, not guessed.
  expect(problems.map((p) => `${p.line}:${p.column}:${p.value}`)).toEqual([`${cells.length + 1}:flag:△`]);
});

describe('the rows a file may have', () => {
  const file = (rows: number) => ['code,name', ...Array.from({ length: rows }, (_, i) => `${i},行${i}`)].join('\n');
  it(`reads ${MAX_FILE_ROWS.toLocaleString('en')} rows, the header one of them`, () => {
    expect(readCsv(file(MAX_FILE_ROWS - 1)).rows).toHaveLength(MAX_FILE_ROWS - 1);
  });
  it('refuses one more, naming the line where reading stopped, in English and Japanese', () => {
    let refused: unknown;
    try {
      readCsv(`${file(MAX_FILE_ROWS)}\n\n${file(10)}`);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(TooManyRows);
    expect(refused).toMatchObject({ line: MAX_FILE_ROWS + 1, messageJa: expect.stringContaining('100,000 行を超えています') });
  });
});

it(`refuses a row of more than ${MAX_FILE_COLUMNS.toLocaleString('en')} cells, naming its line, before reading the file into columns`, () => {
  expect(readCsv(`code,name\n1,${'x,'.repeat(MAX_FILE_COLUMNS - 2)}x`).columns).toHaveLength(MAX_FILE_COLUMNS);
  expect(() => readCsv(`code,name\n1,a\n2,${'x,'.repeat(100_000)}x`)).toThrow(TooWide);
  expect(() => readCsv(`code,name\n1,a\n2,${'x,'.repeat(100_000)}x`)).toThrow(/line 3 has more than 1,000 columns/);
});

it(`refuses a cell of more than ${MAX_CELL_CHARACTERS.toLocaleString('en')} characters (Excel's own limit), naming it, in a CSV file or a workbook`, async () => {
  expect(readCsv(`code,name\n1,${'x'.repeat(MAX_CELL_CHARACTERS)}`).rows[0].values.name).toHaveLength(MAX_CELL_CHARACTERS);
  const csv = `code,name\n1,a\n2,${'x'.repeat(MAX_CELL_CHARACTERS + 1)}`;
  expect(() => readCsv(csv)).toThrow(TooLongCell);
  expect(() => readCsv(csv)).toThrow(/^cell B3 \(line 3, column 2\) holds 32,768 characters; a cell holds at most 32,767 \(Excel's own limit\)/);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('一覧');
  sheet.addRow(['code', 'name']);
  sheet.addRow(['1', '年 '.repeat(20_000)]);
  await expect(readImportFile(new Uint8Array(await workbook.xlsx.writeBuffer()))).rejects.toMatchObject({
    messageJa: expect.stringContaining('B2 のセル（2行目・2列目）が 39,999 文字あります'),
  });
});

it(`sends at most ${MAX_PROBLEMS.toLocaleString('en')} problems and as many repairs, then says how many more; a reason quoting a long cell cut to 500 characters`, () => {
  const report = emptyReport('core-centers', {});
  for (let line = 2; line < 5_002; line += 1) {
    report.warnings.push({ line, column: 'municipality_code', reason: 'read 11002 as 011002', reasonJa: '11002 を 011002 として読みました' });
    report.problems.push({ line, column: 'name', reason: `unknown value "${'x'.repeat(2_000)}" (allowed: A, B)`, reasonJa: '不明な値' });
  }
  const sent = reportAsSent(report);
  expect(sent.warnings).toHaveLength(MAX_PROBLEMS + 1);
  expect(sent.warnings.at(-1)).toMatchObject({
    line: MAX_PROBLEMS + 2,
    reason: expect.stringContaining('4,000 more repairs'),
    reasonJa: expect.stringContaining('4,000 件の修正'),
  });
  expect(sent.problems).toHaveLength(MAX_PROBLEMS + 1);
  expect(sent.problems.at(-1)).toMatchObject({ line: MAX_PROBLEMS + 2, reasonJa: expect.stringContaining('この行で確認をやめました') });
  expect(sent.problems[0].reason).toHaveLength(500);
  expect(sent.problems[0].reason).toMatch(/^unknown value "x+…x+" \(allowed: A, B\)$/);
  expect(report.warnings).toHaveLength(5_000); // the report itself is left as it is
});

it('never quotes a free-text cell in a problem (it may identify a person): the line and column say where', () => {
  const { reader, problems } = read('visit_id,summary,drop_reason\n"V-1\u0000","山田太郎さん\u0000の支援","本人の入院のため\u0000"\n');
  const row = reader(0);
  row.text('visit_id');
  row.text('summary');
  row.text('drop_reason');
  expect(problems.map((p) => [p.column, p.value])).toEqual([
    ['visit_id', 'V-1\u0000'],
    ['summary', undefined],
    ['drop_reason', undefined],
  ]);
  expect(JSON.stringify(problems)).not.toMatch(/山田|入院/);
});

it('knows every free-text input of the API, so that the file columns of them are never quoted in a problem', () => {
  const schema = supergraphApiSchema();
  const described = Object.values(schema.getTypeMap())
    .filter(isInputObjectType)
    .flatMap((type) => Object.values(type.getFields()))
    .filter((field) => /free text/i.test(field.description ?? ''))
    .map((field) => field.name);
  expect(described.length).toBeGreaterThan(5);
  // Known by its name, or by its last word (`dropReason` is a `reason`).
  const lastWord = (name: string) => name.replace(/^.*(?=[A-Z])/, '').toLowerCase();
  for (const name of described) expect({ name, known: FREE_TEXT_INPUTS.has(name) || FREE_TEXT_INPUTS.has(lastWord(name)) }).toEqual({ name, known: true });
  // A base's review summary is free text in its file as in the API (it was quoted in problems).
  expect([...FREE_TEXT_COLUMNS].sort()).toEqual([
    'comment',
    'description',
    'drop_reason',
    'issues_found',
    'last_review_summary',
    'response',
    'summary',
    'topics',
  ]);
});
