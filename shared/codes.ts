/**
 * Codes of Japanese local governments.
 *
 * - Prefecture code (都道府県コード, JIS X 0401): two digits "01".."47".
 * - Municipality code (全国地方公共団体コード): the five-digit JIS X 0402 code plus a check digit.
 *   With digits d1..d5, s = 6·d1 + 5·d2 + 4·d3 + 3·d4 + 2·d5 and check = (11 − s mod 11) mod 10.
 */
import { badUserInput } from './errors';
import type { FieldProblem, Reason } from './problems';
import { type MunicipalityReference, isKnownMunicipalityCode, municipalityReferences } from './reference/municipalities';
import { PREFECTURES } from './reference/prefectures';
import { comparableName, keyAndName } from './text';

export type CodeCheck = { ok: true } | ({ ok: false } & Reason);

const WEIGHTS = [6, 5, 4, 3, 2];

/** The check digit for the first five digits of a municipality code. */
export function municipalityCheckDigit(firstFive: string): number {
  if (!/^\d{5}$/.test(firstFive)) throw new Error(`expected five digits, got "${firstFive}"`);
  const s = WEIGHTS.reduce((sum, w, i) => sum + w * Number(firstFive[i]), 0);
  return (11 - (s % 11)) % 10;
}

/** Each prefecture's code by its name, with and without 都・道・府・県 (東京都 and 東京; 北海道 and 北海). */
const PREFECTURE_BY_NAME = new Map(PREFECTURES.flatMap((p) => [[p.name, p.code] as const, [p.name.slice(0, -1), p.code] as const]));

export function checkPrefectureCode(code: string): CodeCheck {
  const named = PREFECTURE_BY_NAME.get(code.normalize('NFKC').trim());
  if (named)
    return {
      ok: false,
      reason: `a prefecture's name, not its code: its code is ${named}`,
      reasonJa: `都道府県名ではなくコードで指定してください（コードは ${named}）`,
    };
  if (!/^\d{2}$/.test(code)) {
    // As a spreadsheet gives it: 1 for 01 (Excel drops the zero), full-width digits (０１).
    const digits = code.normalize('NFKC').trim();
    // Also a code with its name (01 北海道, as a drop-down list writes it), when the two agree.
    const paired = codeAndName(digits) ? repairPrefectureCode(digits).code : undefined;
    const meant = /^\d{1,2}$/.test(digits) && Number(digits) >= 1 && Number(digits) <= 47 ? digits.padStart(2, '0') : paired !== digits ? paired : undefined;
    return {
      ok: false,
      reason: `a prefecture code is two digits, "01" to "47"${meant ? `; did you mean "${meant}"?` : ''}`,
      reasonJa: `都道府県コードは "01"〜"47" の2桁です${meant ? `。"${meant}" ではありませんか` : ''}`,
    };
  }
  const n = Number(code);
  if (n < 1 || n > 47) {
    return { ok: false, reason: `prefecture code ${code} is outside "01" to "47"`, reasonJa: `都道府県コード ${code} は "01"〜"47" の範囲外です` };
  }
  return { ok: true };
}

export function checkMunicipalityCode(code: string): CodeCheck {
  const named = /^\d*$/.test(code) ? [] : municipalitiesNamed(code);
  if (named.length > 0) {
    // A name where a code belongs (札幌市, 伊達市): say which code it is, or which ones.
    const codes = named.map((m) => `${m.code} (${prefectureName(m.prefectureCode)})`).join(', ');
    const codesJa = named.map((m) => `${m.code}（${prefectureName(m.prefectureCode)}）`).join('、');
    return {
      ok: false,
      reason: `a municipality's name, not its code: ${named.length === 1 ? `its code is ${named[0].code}` : `${named.length} municipalities have it, ${codes}`}`,
      reasonJa: `市町村名ではなくコードで指定してください（${named.length === 1 ? `コードは ${named[0].code}` : `同名の市町村: ${codesJa}`}）`,
    };
  }
  if (!/^\d{6}$/.test(code)) {
    const meant = codesMeant(code);
    return {
      ok: false,
      reason: `a municipality code is six digits (five-digit JIS code plus check digit), e.g. "011002"${meant.length ? `; did you mean ${meant.map((c) => `"${c}"`).join(' or ')}?` : ''}`,
      reasonJa: `市町村コードは検査数字付きの6桁です（例: "011002"）${meant.length ? `。${meant.map((c) => `"${c}"`).join(' か ')} ではありませんか` : ''}`,
    };
  }
  const prefecture = checkPrefectureCode(code.slice(0, 2));
  if (!prefecture.ok) {
    return {
      ok: false,
      reason: `the first two digits must be a prefecture code: ${prefecture.reason}`,
      reasonJa: `先頭2桁は都道府県コードです: ${prefecture.reasonJa}`,
    };
  }
  const expected = municipalityCheckDigit(code.slice(0, 5));
  if (Number(code[5]) !== expected) {
    return { ok: false, reason: `check digit should be ${expected}, not ${code[5]}`, reasonJa: `検査数字は ${code[5]} ではなく ${expected} です` };
  }
  return { ok: true };
}

/**
 * The municipality codes a code not of six digits was probably meant to be, as it comes from a spreadsheet: the
 * five-digit JIS code without its check digit (01100 → 011002), a code whose leading zero Excel dropped (11002 →
 * 011002), full-width digits (０１１００２). Only codes of a municipality.
 */
function codesMeant(code: string): string[] {
  const digits = code.normalize('NFKC').trim();
  const candidates = /^\d{6}$/.test(digits) ? [digits] : /^\d{5}$/.test(digits) ? [`${digits}${municipalityCheckDigit(digits)}`, `0${digits}`] : [];
  // A code with its name (011002 札幌市, as a drop-down list writes it), when the two agree.
  if (codeAndName(digits)) candidates.push(repairMunicipalityCode(digits).code);
  return candidates.filter((c) => /^\d{6}$/.test(c) && municipalityCodeProblem(c) === undefined);
}

/** Throws BAD_USER_INPUT naming `argument` when `code` is not a valid prefecture code. */
export function assertPrefectureCode(code: string, argument: string): string {
  const check = checkPrefectureCode(code);
  if (!check.ok) throw badUserInput(argument, check.reason, { value: code.slice(0, 100), reasonJa: check.reasonJa });
  return code;
}

/** A prefecture as staff write it in a parameter (01, 1, 北海道, 東京), as its code; BAD_USER_INPUT naming `argument` when it is none. */
export function prefectureParameter(text: string, argument: string): string {
  return assertPrefectureCode(repairPrefectureCode(text).code, argument);
}

/**
 * Throws BAD_USER_INPUT naming `argument` when `code` is not a valid municipality code, or is a designated
 * city's ward's (`municipality(code: "011011")` answered null, as for a code of no municipality, without saying
 * that 札幌市中央区 is counted as 札幌市): said with the city's code, as the checks of written codes say it.
 */
export function assertMunicipalityCode(code: string, argument: string): string {
  const check = checkMunicipalityCode(code);
  if (!check.ok) throw badUserInput(argument, check.reason, { value: code.slice(0, 100), reasonJa: check.reasonJa });
  const city = designatedCityOfWard(code);
  if (city) {
    const { reason, reasonJa } = wardOfCity(code, city);
    throw badUserInput(argument, reason, { value: code, reasonJa });
  }
  return code;
}

/**
 * Throws BAD_USER_INPUT naming `argument` when `code` names no municipality (format, check digit, or no such
 * municipality): for a record written about one, where a well-formed code of no municipality would be stored
 * and never shown (the municipalities subgraph resolves no such code).
 */
export function assertKnownMunicipalityCode(code: string, argument: string): string {
  const problem = municipalityCodeProblem(code);
  if (problem) throw badUserInput(argument, problem.reason, { value: code.slice(0, 100), reasonJa: problem.reasonJa });
  return code;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Throws BAD_USER_INPUT naming `argument` when `id` is not a UUID (the form of every record id). */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}

export function assertUuid(id: string, argument: string): string {
  if (!UUID.test(id))
    throw badUserInput(argument, 'not an id of this API (a UUID)', { value: id.slice(0, 100), reasonJa: 'このAPIのID（UUID）ではありません' });
  return id.toLowerCase();
}

/**
 * The last ward code (five digits) of each designated city (政令指定都市), by the city's: its wards' codes run
 * from the city's + 1 to it, some numbers unused (総務省「全国地方公共団体コード」; 浜松市 keeps the range of its
 * wards before the 2024 reorganisation, 22131–22137, and of those after, 22138–22140).
 */
export const LAST_WARD_CODE: Readonly<Record<string, string>> = {
  '01100': '01110', // 札幌市
  '04100': '04105', // 仙台市
  '11100': '11110', // さいたま市
  '12100': '12106', // 千葉市
  '14100': '14118', // 横浜市
  '14130': '14137', // 川崎市
  '14150': '14153', // 相模原市
  '15100': '15108', // 新潟市
  '22100': '22103', // 静岡市
  '22130': '22140', // 浜松市
  '23100': '23116', // 名古屋市
  '26100': '26111', // 京都市
  '27100': '27128', // 大阪市
  '27140': '27147', // 堺市
  '28100': '28111', // 神戸市
  '33100': '33104', // 岡山市
  '34100': '34108', // 広島市
  '40100': '40109', // 北九州市
  '40130': '40137', // 福岡市
  '43100': '43105', // 熊本市
};

/**
 * The designated city a ward's code belongs to, for a valid code of no municipality: a ward (行政区,
 * 札幌市中央区 011011) has a code of its own but is no municipality — the support system counts the city.
 */
export function designatedCityOfWard(code: string): MunicipalityReference | undefined {
  if (!checkMunicipalityCode(code).ok || isKnownMunicipalityCode(code)) return undefined;
  const body = Number(code.slice(0, 5));
  return municipalityReferences().find((m) => {
    const last = LAST_WARD_CODE[m.code.slice(0, 5)];
    return m.kind === '政令指定都市' && last !== undefined && body > Number(m.code.slice(0, 5)) && body <= Number(last);
  });
}

/** What a ward's code is, with the city's code to give instead. */
const wardOfCity = (code: string, city: MunicipalityReference): Reason => ({
  reason: `${code} is the code of a ward of ${city.name} (a designated city), which is no municipality of its own: give the city's code ${city.code}`,
  reasonJa: `市町村コード ${code} は政令指定都市 ${city.name} の区のコードです。市のコード ${city.code} を指定してください`,
});

/**
 * Why a municipality code names no municipality (format, check digit, or no such municipality — a ward of a
 * designated city said so, with its city's code); undefined when it names one. The code is quoted: in a cell
 * of several codes, it says which one is wrong.
 */
export function municipalityCodeProblem(code: string): Reason | undefined {
  const check = checkMunicipalityCode(code);
  if (!check.ok) return { reason: `"${code}": ${check.reason}`, reasonJa: `「${code}」: ${check.reasonJa}` };
  const city = designatedCityOfWard(code);
  if (city) return wardOfCity(code, city);
  if (!isKnownMunicipalityCode(code)) return { reason: `no municipality has code ${code}`, reasonJa: `市町村コード ${code} の市町村はありません` };
  return undefined;
}

/**
 * Problems of a list of municipality codes that must all name municipalities of one prefecture:
 * format and check digit, existence, prefecture, repeats. Field names are `municipalityCodes[i]`.
 */
export function municipalityCodesOfPrefectureProblems(codes: readonly string[], prefectureCode: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const prefectureOk = checkPrefectureCode(prefectureCode).ok;
  codes.forEach((code, i) => {
    const field = `municipalityCodes[${i}]`;
    const problem = municipalityCodeProblem(code);
    if (problem) problems.push({ field, ...problem });
    else if (prefectureOk && !code.startsWith(prefectureCode)) {
      problems.push({
        field,
        reason: `${code} is not in prefecture ${prefectureCode}`,
        reasonJa: `${code} は都道府県 ${prefectureCode} の市町村ではありません`,
      });
    }
  });
  if (new Set(codes).size !== codes.length) problems.push({ field: 'municipalityCodes', reason: 'lists a code twice', reasonJa: '同じコードが重複しています' });
  return problems;
}

/** Problems of one municipality code that must name a municipality of `prefectureCode`, under `field`. */
export function municipalityCodeOfPrefectureProblems(code: string, prefectureCode: string, field = 'municipalityCode'): FieldProblem[] {
  return municipalityCodesOfPrefectureProblems([code], prefectureCode).map((p) => ({ ...p, field }));
}

/** A code as a spreadsheet left it, made certain: the code, and each repair made (empty when none was needed). */
export interface RepairedCode {
  code: string;
  repairs: Reason[];
  /** The ward's code, when the value was a designated city's ward read as its city (`code`). */
  ward?: string;
}

const fullWidthRead = (raw: string, code: string) => ({
  reason: `full-width digits "${raw}" read as "${code}"`,
  reasonJa: `全角数字「${raw}」を「${code}」として読みました`,
});
const leadingZeroRestored = (code: string) => ({
  reason: `the leading zero Excel dropped is restored: "${code}" → "0${code}"`,
  reasonJa: `Excel が落とした先頭の0を補いました: 「${code}」→「0${code}」`,
});

/** Full-width digits (０１…, from Japanese input) as ASCII: Unicode NFKC. */
const normalised = (raw: string) => raw.normalize('NFKC').trim();

/**
 * A prefecture code as staff write it: Excel's number ("1" for "01"), full-width digits, or the
 * prefecture's name (北海道, 東京都, 東京) — each read with a note of how it was read.
 */
export function repairPrefectureCode(raw: string): RepairedCode {
  const repairs: RepairedCode['repairs'] = [];
  let code = normalised(raw);
  const pair = codeAndName(code);
  if (pair) {
    const byCode = repairPrefectureCode(pair.key).code;
    return PREFECTURE_BY_NAME.get(pair.name) === byCode ? { code: byCode, repairs: [codeAndNameRead(code, byCode)] } : { code, repairs };
  }
  const named = PREFECTURE_BY_NAME.get(code);
  if (named) {
    return {
      code: named,
      repairs: [{ reason: `the prefecture name "${code}" read as its code "${named}"`, reasonJa: `都道府県名「${code}」をコード「${named}」として読みました` }],
    };
  }
  if (code !== raw.trim()) repairs.push(fullWidthRead(raw, code));
  if (/^[1-9]$/.test(code)) {
    repairs.push(leadingZeroRestored(code));
    code = `0${code}`;
  }
  return { code, repairs };
}

const prefectureName = (code: string) => PREFECTURES.find((p) => p.code === code)?.name ?? code;

/** A code and its name in one cell, as a form's drop-down list writes them (`01 北海道`, `札幌市（011002）`: keyAndName). */
const codeAndName = (value: string) => keyAndName(value, '\\d{1,6}');

const codeAndNameRead = (value: string, code: string): Reason => ({
  reason: `the code and name "${value}" read as ${code}`,
  reasonJa: `コードと名称「${value}」を ${code} として読みました`,
});

let municipalitiesByName: Map<string, MunicipalityReference[]> | undefined;

/**
 * The municipalities a name may mean, as staff lists write them: 札幌市, 北海道札幌市, and a town with its
 * district (郡) as addresses have it, 虻田郡洞爺湖町. Several when municipalities of two prefectures share
 * the name (伊達市: 北海道 and 福島県) and the name does not say which.
 */
export function municipalitiesNamed(name: string): MunicipalityReference[] {
  if (!municipalitiesByName) {
    municipalitiesByName = new Map();
    for (const m of municipalityReferences()) {
      const key = comparableName(m.name);
      municipalitiesByName.set(key, [...(municipalitiesByName.get(key) ?? []), m]);
    }
  }
  let rest = comparableName(name);
  const prefecture = PREFECTURES.find((p) => rest.startsWith(p.name) && rest.length > p.name.length);
  if (prefecture) rest = rest.slice(prefecture.name.length);
  // A designated city's ward (札幌市中央区, 横浜市鶴見区) is counted as its city.
  const ward = /^(.+?市)[^市]+区$/u.exec(rest);
  const wardsCity = ward && (municipalitiesByName.get(ward[1]) ?? []).filter((m) => m.kind === '政令指定都市');
  const found = wardsCity?.length ? wardsCity : (municipalitiesByName.get(rest) ?? municipalitiesByName.get(rest.replace(/^[^郡]{1,6}郡/u, '')) ?? []);
  return prefecture ? found.filter((m) => m.prefectureCode === prefecture.code) : found;
}

/**
 * A municipality code as Excel leaves it, repaired only where the repair is certain: full-width digits
 * normalised; a five-digit JIS code (no check digit) completed; a leading zero Excel dropped restored; a
 * municipality's name (a staff list that has names and no codes) read as its code when it names one —
 * among those of `prefectureCode`, the row's prefecture, when that leaves one.
 * A five-digit value could be either of the two digit repairs: it is repaired only when exactly one reading
 * names a municipality. Anything else is returned as it came, for the usual check to refuse.
 */
export function repairMunicipalityCode(raw: string, prefectureCode?: string): RepairedCode {
  const repairs: RepairedCode['repairs'] = [];
  const code = normalised(raw);
  const pair = codeAndName(code);
  if (pair) {
    const byCode = repairMunicipalityCode(pair.key, prefectureCode);
    return namesRepaired(pair.name, byCode) ? { ...byCode, repairs: [...byCode.repairs, codeAndNameRead(code, byCode.code)] } : { code, repairs };
  }
  if (code !== '' && !/^\d+$/.test(code)) {
    const named = municipalitiesNamed(code);
    const inPrefecture = named.filter((m) => m.prefectureCode === prefectureCode);
    // A name of another prefecture's municipality is read too: the row's prefecture rule then says so.
    const [only, ...others] = inPrefecture.length > 0 ? inPrefecture : named;
    // 中央区, 北区 and 港区 are also wards of designated cities (札幌市中央区), which are no municipality of
    // their own: a ward of Tokyo is read by name only on a row of Tokyo, or written with 東京都.
    const certain = only && (only.kind !== '特別区' || prefectureCode === '13' || comparableName(code).startsWith('東京'));
    if (certain && others.length === 0)
      return {
        code: only.code,
        repairs: [
          { reason: `the municipality name "${code}" read as its code ${only.code}`, reasonJa: `市町村名「${code}」をコード ${only.code} として読みました` },
        ],
      };
    return { code, repairs };
  }
  if (code !== raw.trim()) repairs.push(fullWidthRead(raw, code));
  if (/^\d{6}$/.test(code)) return wardReadAsCity(code, repairs);
  if (!/^\d{4,5}$/.test(code)) return { code, repairs };
  const withCheckDigit = (five: string) => `${five}${municipalityCheckDigit(five)}`;
  const readings: Array<[string, Reason]> = [];
  if (code.length === 5) {
    readings.push([
      withCheckDigit(code),
      { reason: `the five-digit code "${code}" gets its check digit`, reasonJa: `5桁のコード「${code}」に検査数字を補いました` },
    ]);
    readings.push([`0${code}`, leadingZeroRestored(code)]);
  } else {
    readings.push([
      withCheckDigit(`0${code}`),
      {
        reason: `the leading zero Excel dropped is restored and the check digit added: "${code}" → "0${code}" + check digit`,
        reasonJa: `Excel が落とした先頭の0と検査数字を補いました: 「${code}」→「0${code}」＋検査数字`,
      },
    ]);
  }
  const known = readings.filter(
    ([candidate]) => checkMunicipalityCode(candidate).ok && (isKnownMunicipalityCode(candidate) || designatedCityOfWard(candidate)),
  );
  if (known.length !== 1) return { code, repairs };
  const [repaired, how] = known[0];
  return wardReadAsCity(repaired, [...repairs, { reason: `${how.reason}: ${repaired}`, reasonJa: `${how.reasonJa}: ${repaired}` }]);
}

/**
 * Whether `name` names the municipality a code was read as (`repaired`): as a code column reads a name (札幌市,
 * 北海道札幌市, 横浜市鶴見区), or — beside a ward's code, read as its city's — a ward's name alone (鶴見区): wards are
 * not in the reference data, and one that names no municipality cannot be another's.
 */
export function namesRepaired(name: string, repaired: RepairedCode): boolean {
  const named = municipalitiesNamed(name);
  return named.some((m) => m.code === repaired.code) || (repaired.ward !== undefined && named.length === 0 && /区$/u.test(comparableName(name)));
}

/** A ward's code (designatedCityOfWard) read as its city's, saying so; any other code as it is. */
function wardReadAsCity(code: string, repairs: RepairedCode['repairs']): RepairedCode {
  const city = designatedCityOfWard(code);
  if (!city) return { code, repairs };
  return {
    code: city.code,
    ward: code,
    repairs: [
      ...repairs,
      {
        reason: `the code ${code} of a ward of ${city.name} read as the city's code ${city.code} (a designated city's wards are counted as the city)`,
        reasonJa: `${city.name}の区のコード ${code} を市のコード ${city.code} として読みました（政令指定都市の区は市として数えます）`,
      },
    ],
  };
}
