import { PREFECTURES, REGIONS } from '../../shared/reference/prefectures';
import { readFileSync } from 'node:fs';
import { MUNICIPALITIES_CSV, municipalityReferences } from '../../shared/reference/municipalities';
import { comparableName, comparablePersonName, searchForms } from '../../shared/text';

describe('prefecture reference list', () => {
  it('has the 47 prefectures coded 01..47 with the names the municipality data uses', () => {
    expect(PREFECTURES.map((p) => p.code)).toEqual(Array.from({ length: 47 }, (_, i) => String(i + 1).padStart(2, '0')));
    expect(new Set(municipalityReferences().map((m) => m.prefectureCode)).size).toBe(47);
    expect(PREFECTURES.find((p) => p.code === '13')).toMatchObject({ name: '東京都', kana: 'とうきょうと', region: 'KANTO' });
    expect(PREFECTURES.find((p) => p.code === '47')).toMatchObject({ name: '沖縄県', region: 'KYUSHU' });
  });

  it('matches the prefecture names of the source CSV', () => {
    // columns: code,prefecture_code,prefecture,…
    const lines = readFileSync(MUNICIPALITIES_CSV, 'utf8').trim().split('\n').slice(1);
    const byCode = new Map(lines.map((line) => line.split(',')).map((cells) => [cells[1], cells[2]]));
    expect(PREFECTURES.map((p) => byCode.get(p.code))).toEqual(PREFECTURES.map((p) => p.name));
  });

  it('uses the eight-region division with the usual sizes', () => {
    const sizes = Object.keys(REGIONS).map((r) => PREFECTURES.filter((p) => p.region === r).length);
    expect(sizes).toEqual([1, 6, 7, 9, 7, 5, 4, 8]);
  });
});

describe('municipality reference list', () => {
  it('adds up to the national total of the source workbook (124,330,690)', () => {
    expect(municipalityReferences().reduce((sum, m) => sum + m.population, 0)).toBe(124_330_690);
  });
});

describe('search text normalisation', () => {
  it('turns katakana into hiragana for readings and full-width into half-width, keeping a name’s katakana', () => {
    expect(searchForms(' サッポロ ')).toEqual({ name: 'サッポロ', reading: 'さっぽろ' });
    expect(searchForms('ＡＢＣ１')).toEqual({ name: 'ABC1', reading: 'ABC1' });
    expect(searchForms('ｻｯﾎﾟﾛ').reading).toBe('さっぽろ');
    expect(searchForms('札幌')).toEqual({ name: '札幌', reading: '札幌' });
    // ヶ and ケ alike in names (鶴ヶ島市, 袖ケ浦市).
    expect(searchForms('鶴ヶ島').name).toBe('鶴ケ島');
    // Variant kanji as one (異体字), and a glyph chosen with a variation selector as its kanji.
    expect(searchForms('鰺ヶ沢').name).toBe(searchForms('鯵ケ沢').name);
    expect(searchForms('葛\u{e0100}飾').name).toBe('葛飾');
  });

  it('never makes two official municipality names one by reading variant kanji as one', () => {
    const namesByKey = new Map<string, Set<string>>();
    for (const m of municipalityReferences()) namesByKey.set(comparableName(m.name), (namesByKey.get(comparableName(m.name)) ?? new Set()).add(m.name));
    const merged = [...namesByKey.values()].filter((names) => names.size > 1).map((names) => [...names]);
    expect(merged).toEqual([]);
    // It does read the official older forms as the common ones people type.
    expect(['鰺ヶ沢町', '檜枝岐村', '飯舘村', '龍ケ崎市', '檜原村', '檮原町'].map(comparableName)).toEqual(
      ['鯵ヶ沢町', '桧枝岐村', '飯館村', '竜ヶ崎市', '桧原村', '梼原町'].map(comparableName),
    );
  });

  it("reads a person's name with variant kanji, spaces or full-width letters as one", () => {
    for (const [a, b] of [
      ['髙橋 一郎', '高橋一郎'],
      ['山﨑\u3000花子', '山崎花子'],
      ['齋藤ＡＢ', '斎藤AB'],
      ['渡邊', '渡辺'],
      ['渡邉', '渡辺'],
      ['𠮷田', '吉田'],
    ])
      expect(comparablePersonName(a)).toBe(comparablePersonName(b));
    expect(comparablePersonName('斎藤')).not.toBe(comparablePersonName('斉藤'));
  });
});
