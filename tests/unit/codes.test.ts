import { GraphQLError } from 'graphql';
import {
  assertMunicipalityCode,
  checkMunicipalityCode,
  LAST_WARD_CODE,
  checkPrefectureCode,
  designatedCityOfWard,
  municipalityCheckDigit,
  municipalityCodeProblem,
  repairMunicipalityCode,
  repairPrefectureCode,
} from '../../shared/codes';
import { isKnownMunicipalityCode, municipalityReferences } from '../../shared/reference/municipalities';

describe('municipality code check digit', () => {
  it.each([
    ['011002', '札幌市'],
    ['131016', '千代田区'],
    ['472018', '那覇市'],
    ['016951', '色丹村 (a real code whose check digit is 1)'],
  ])('accepts %s (%s)', (code) => {
    expect(checkMunicipalityCode(code)).toEqual({ ok: true });
  });

  it('computes the check digit from the weighted sum (6,5,4,3,2) mod 11', () => {
    expect(municipalityCheckDigit('01100')).toBe(2);
    expect(municipalityCheckDigit('13101')).toBe(6);
    // s mod 11 = 1 gives 10, whose last digit 0 is the check digit
    expect(municipalityCheckDigit('01234')).toBe((11 - ((0 * 6 + 1 * 5 + 2 * 4 + 3 * 3 + 4 * 2) % 11)) % 10);
  });

  it('rejects a wrong check digit and says which digit is right', () => {
    expect(checkMunicipalityCode('011003')).toEqual({ ok: false, reason: 'check digit should be 2, not 3', reasonJa: '検査数字は 3 ではなく 2 です' });
  });

  it.each([
    ['01100', 'six digits'],
    ['0110022', 'six digits'],
    ['01100a', 'six digits'],
    [' 011002', 'six digits'],
    ['481009', 'prefecture code'],
    ['001007', 'prefecture code'],
  ])('rejects %s (%s)', (code, mentions) => {
    const check = checkMunicipalityCode(code);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toContain(mentions);
  });

  it.each([
    ['01100', '011002'], // the five-digit JIS code, without its check digit
    ['11002', '011002'], // the leading zero Excel drops
    ['０１１００２', '011002'], // full-width digits
    [' 011002', '011002'],
  ])('says which code %s was probably meant to be: %s', (code, meant) => {
    expect(checkMunicipalityCode(code)).toEqual({
      ok: false,
      reason: `a municipality code is six digits (five-digit JIS code plus check digit), e.g. "011002"; did you mean "${meant}"?`,
      reasonJa: `市町村コードは検査数字付きの6桁です（例: "011002"）。"${meant}" ではありませんか`,
    });
  });

  it('suggests no code that names no municipality', () => {
    for (const code of ['99999', '00000', '0110022', 'abc'])
      expect(checkMunicipalityCode(code)).toMatchObject({ reason: expect.not.stringContaining('did you mean') });
  });

  it('has a valid check digit for every one of the 1,741 reference municipalities', () => {
    const rows = municipalityReferences();
    expect(rows).toHaveLength(1741);
    expect(rows.filter((r) => !checkMunicipalityCode(r.code).ok)).toEqual([]);
    expect(new Set(rows.map((r) => r.code)).size).toBe(1741);
  });

  it('knows which valid codes name a municipality', () => {
    expect(isKnownMunicipalityCode('011002')).toBe(true);
    expect(isKnownMunicipalityCode('016951')).toBe(false); // Northern Territories village, not in the list
  });

  it('throws BAD_USER_INPUT naming the argument and the reason', () => {
    let thrown: unknown;
    try {
      assertMunicipalityCode('011003', 'filter.codes[0]');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GraphQLError);
    expect((thrown as GraphQLError).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'filter.codes[0]',
      reason: 'check digit should be 2, not 3',
    });
    expect((thrown as GraphQLError).message).toContain('filter.codes[0]');
  });
});

describe('prefecture code', () => {
  it.each(['01', '13', '47'])('accepts %s', (code) => expect(checkPrefectureCode(code).ok).toBe(true));
  it.each(['00', '48', '1', '001', 'ab', ''])('rejects "%s"', (code) => expect(checkPrefectureCode(code).ok).toBe(false));
  it.each([
    ['1', '01'],
    ['０１', '01'],
    ['13', undefined],
    ['48', undefined],
    ['0', undefined],
  ])('says which code "%s" was probably meant to be: %s', (code, meant) => {
    const check = checkPrefectureCode(code);
    if (meant)
      expect(check).toMatchObject({
        reason: expect.stringContaining(`did you mean "${meant}"?`),
        reasonJa: expect.stringContaining(`"${meant}" ではありませんか`),
      });
    else expect(check).not.toMatchObject({ reason: expect.stringContaining('did you mean') });
  });
});

describe('codes as Excel leaves them', () => {
  it.each([
    ['011002', '011002', 0], // nothing to repair
    ['11002', '011002', 1], // the leading zero Excel dropped
    ['01100', '011002', 1], // the five-digit JIS code: its check digit computed
    ['1100', '011002', 1], // both: the zero restored and the check digit added
    ['０１１００２', '011002', 1], // full-width digits
    ['47301', '473014', 1],
    // A designated city's ward (行政区) is counted as its city: 横浜市鶴見区 141011, 大阪市中央区 271284, 浜松市中区 (before 2024) 221317.
    ['141011', '141003', 1],
    ['14101', '141003', 2], // the check digit computed, then the ward read as its city
    ['1101', '011002', 2], // 札幌市中央区 with its zero dropped
    ['271284', '271004', 1],
    ['221317', '221309', 1],
    ['141313', '141305', 1], // 川崎市川崎区: after 横浜市's wards, 川崎市's
  ])('repairs %s to %s with %i warning(s)', (raw, code, warnings) => {
    expect(repairMunicipalityCode(raw)).toMatchObject({ code, repairs: expect.any(Array) });
    expect(repairMunicipalityCode(raw).repairs).toHaveLength(warnings);
  });

  it("says a ward's code is its designated city's ward, giving the city's code, where a code is checked (GraphQL)", () => {
    expect(municipalityCodeProblem('141011')).toEqual({
      reason: "141011 is the code of a ward of 横浜市 (a designated city), which is no municipality of its own: give the city's code 141003",
      reasonJa: '市町村コード 141011 は政令指定都市 横浜市 の区のコードです。市のコード 141003 を指定してください',
    });
    expect(repairMunicipalityCode('141011').repairs[0].reasonJa).toBe(
      '横浜市の区のコード 141011 を市のコード 141003 として読みました（政令指定都市の区は市として数えます）',
    );
    // Past a city's last ward: no ward, so no municipality.
    const pastSapporosWards = `01111${municipalityCheckDigit('01111')}`;
    expect(municipalityCodeProblem(pastSapporosWards)).toEqual(expect.objectContaining({ reason: `no municipality has code ${pastSapporosWards}` }));
  });

  it('knows the wards of every designated city of the reference data, and no ward range holds a municipality', () => {
    const designated = municipalityReferences().filter((m) => m.kind === '政令指定都市');
    expect(designated).toHaveLength(20);
    expect(Object.keys(LAST_WARD_CODE).sort()).toEqual(designated.map((m) => m.code.slice(0, 5)).sort());
    for (const city of designated) {
      const first = `${Number(city.code.slice(0, 5)) + 1}`.padStart(5, '0');
      expect({ city: city.name, ward: designatedCityOfWard(`${first}${municipalityCheckDigit(first)}`)?.name }).toEqual({ city: city.name, ward: city.name });
    }
    const inWardRange = (body: number) => Object.entries(LAST_WARD_CODE).some(([city, last]) => body > Number(city) && body <= Number(last));
    expect(municipalityReferences().filter((m) => inWardRange(Number(m.code.slice(0, 5))))).toEqual([]);
  });

  it.each([
    ['01 北海道', '01'],
    ['01：北海道', '01'],
    ['北海道（01）', '01'],
    ['1 北海道', '01'],
    ['13_東京都', '13'],
  ])('reads a prefecture code and its name in one cell (%s, a drop-down list), when they agree, as %s', (raw, code) => {
    expect(repairPrefectureCode(raw)).toEqual({
      code,
      repairs: expect.arrayContaining([expect.objectContaining({ reasonJa: expect.stringContaining('コードと名称') })]),
    });
  });

  it.each([
    ['011002 札幌市', '01', '011002'],
    ['011002：札幌市', '01', '011002'],
    ['札幌市（011002）', '01', '011002'],
    ['11002_札幌市', '01', '011002'],
    ['141011 鶴見区', '14', '141003'], // a ward, beside its name alone: its city
    ['141011 横浜市鶴見区', '14', '141003'],
  ])('reads a municipality code and its name in one cell (%s, row of %s), when they agree, as %s', (raw, prefecture, code) => {
    expect(repairMunicipalityCode(raw, prefecture)).toMatchObject({
      code,
      repairs: expect.arrayContaining([expect.objectContaining({ reasonJa: expect.stringContaining('コードと名称') })]),
    });
  });

  it("the API's check says which code a code-and-name value means, when the two agree", () => {
    expect(checkMunicipalityCode('012025 函館市')).toMatchObject({ ok: false, reason: expect.stringContaining('did you mean "012025"?') });
    expect(checkPrefectureCode('13 東京都')).toMatchObject({ ok: false, reasonJa: expect.stringContaining('"13" ではありませんか') });
    expect(checkPrefectureCode('01 青森県')).toMatchObject({ ok: false, reason: expect.not.stringContaining('did you mean') });
  });

  it('leaves a code and a name that disagree as they came, for the check to refuse', () => {
    expect(repairPrefectureCode('01 青森県')).toEqual({ code: '01 青森県', repairs: [] });
    expect(repairMunicipalityCode('011002 函館市', '01')).toEqual({ code: '011002 函館市', repairs: [] });
    expect(repairMunicipalityCode('141011 川崎市', '14')).toEqual({ code: '141011 川崎市', repairs: [] });
  });

  it('leaves what it cannot be sure of as it came, for the check to refuse', () => {
    expect(repairMunicipalityCode('99999')).toEqual({ code: '99999', repairs: [] }); // neither reading names a municipality
    expect(repairMunicipalityCode('011003')).toEqual({ code: '011003', repairs: [] }); // a wrong check digit is not guessed
    expect(repairMunicipalityCode('札幌')).toEqual({ code: '札幌', repairs: [] });
  });

  it.each([
    ['札幌市', undefined, '011002'],
    ['北海道札幌市', undefined, '011002'], // with its prefecture, as addresses have it
    ['虻田郡洞爺湖町', undefined, '015849'], // with its district (郡)
    ['北海道 虻田郡 洞爺湖町', undefined, '015849'],
    ['鶴ケ島市', undefined, '112411'], // officially 鶴ヶ島市
    ['ｻｯﾎﾟﾛ', undefined, 'サッポロ'], // a reading is not a name
    ['伊達市', undefined, '伊達市'], // 北海道 and 福島県: not guessed
    ['伊達市', '07', '072133'], // on a row of 福島県
    ['福島県伊達市', '01', '072133'], // the name says which; the row's prefecture rule then refuses it
    ['府中市', '01', '府中市'], // 東京都 and 広島県, and neither on a row of 北海道: not guessed
    ['中央区', undefined, '中央区'], // also a ward of 札幌市, 大阪市, …: a ward of Tokyo only on a row of Tokyo
    ['中央区', '01', '中央区'],
    ['中央区', '13', '131024'],
    ['東京都中央区', undefined, '131024'],
    ['郡山市', undefined, '072036'], // 郡 at the start is part of the name
    ['小郡市', undefined, '402168'],
    // Variant kanji (異体字) as people type them and Shift_JIS files hold them: officially 鰺ヶ沢町, 檮原町, 龍ケ崎市, 飯舘村, 檜原村.
    ['鯵ヶ沢町', undefined, '023213'],
    ['梼原町', undefined, '394050'],
    ['竜ヶ崎市', undefined, '082082'],
    ['飯館村', undefined, '075647'],
    ['東京都桧原村', undefined, '133078'],
    ['葛\u{e0100}飾区', '13', '131229'], // a glyph chosen with a variation selector (IVS)
    ['横浜市鶴見区', undefined, '141003'], // a designated city's ward (行政区) is counted as its city
    ['広島県広島市安佐南区', undefined, '341002'],
    ['札幌市中央区', '01', '011002'],
    ['鹿島市', '08', '412074'], // 佐賀県's (its prefecture rule then refuses it on a row of 茨城県): 鹿嶋市 is another name
  ])("reads a municipality's name %s (row of prefecture %s) as its code %s, only when it names one", (raw, prefecture, code) => {
    const read = repairMunicipalityCode(raw, prefecture);
    expect(read.code).toBe(code);
    expect(read.repairs).toEqual(
      /^\d{6}$/.test(code) ? [expect.objectContaining({ reasonJa: `市町村名「${raw.normalize('NFKC').trim()}」をコード ${code} として読みました` })] : [],
    );
  });

  it("says what a name where a code belongs is, in the API's check too", () => {
    expect(checkPrefectureCode('北海道')).toEqual({
      ok: false,
      reason: "a prefecture's name, not its code: its code is 01",
      reasonJa: '都道府県名ではなくコードで指定してください（コードは 01）',
    });
    expect(checkMunicipalityCode('札幌市')).toEqual({
      ok: false,
      reason: "a municipality's name, not its code: its code is 011002",
      reasonJa: '市町村名ではなくコードで指定してください（コードは 011002）',
    });
    expect(checkMunicipalityCode('伊達市')).toMatchObject({
      reason: "a municipality's name, not its code: 2 municipalities have it, 012335 (北海道), 072133 (福島県)",
    });
    expect(checkMunicipalityCode('さっぽろ')).toMatchObject({ reasonJa: '市町村コードは検査数字付きの6桁です（例: "011002"）' });
  });

  it('reads a prefecture code Excel stored as a number', () => {
    expect(repairPrefectureCode('1')).toEqual({
      code: '01',
      repairs: [{ reason: expect.stringContaining('leading zero'), reasonJa: expect.stringContaining('先頭の0') }],
    });
    expect(repairPrefectureCode('４７').code).toBe('47');
    expect(repairPrefectureCode('13')).toEqual({ code: '13', repairs: [] });
  });

  it('reads a prefecture by its name, with or without 都・道・府・県, saying so', () => {
    expect(repairPrefectureCode('北海道')).toEqual({
      code: '01',
      repairs: [{ reason: 'the prefecture name "北海道" read as its code "01"', reasonJa: '都道府県名「北海道」をコード「01」として読みました' }],
    });
    expect(['東京都', '東京', ' 京都府 ', '京都', '鹿児島', '沖縄県'].map((name) => repairPrefectureCode(name).code)).toEqual([
      '13',
      '13',
      '26',
      '26',
      '46',
      '47',
    ]);
    // Not a prefecture: left as it came, for the usual check to refuse.
    expect(repairPrefectureCode('札幌市')).toEqual({ code: '札幌市', repairs: [] });
    expect(repairPrefectureCode('都')).toEqual({ code: '都', repairs: [] });
  });
});
