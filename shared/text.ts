/**
 * Kanji written two ways (異体字), read as one where names are matched. Official names keep older forms
 * (鰺ヶ沢町, 檜原村, 檜枝岐村, 檮原町, 龍ケ崎市, 飯舘村) that people type — and that Shift_JIS files hold — in the
 * common one (鯵, 桧, 梼, 竜, 館); people's names the same (髙橋 and 高橋, 山﨑 and 山崎, 齋藤 and 斎藤, 渡邊,
 * 渡邉 and 渡辺). No two official municipality names are made one (tests/unit/reference.test.ts holds this):
 * 嶋 is not read as 島, as 鹿嶋市 (茨城県) and 鹿島市 (佐賀県) are two.
 */
const KANJI_VARIANTS: ReadonlyArray<readonly [variant: string, read: string]> = [
  ['鰺', '鯵'],
  ['檜', '桧'],
  ['檮', '梼'],
  ['龍', '竜'],
  ['舘', '館'],
  ['曾', '曽'],
  ['禰', '祢'],
  ['髙', '高'],
  ['﨑', '崎'],
  ['嵜', '崎'],
  ['齋', '斎'],
  ['齊', '斉'],
  ['邊', '辺'],
  ['邉', '辺'],
  ['澤', '沢'],
  ['濱', '浜'],
  ['瀧', '滝'],
  ['廣', '広'],
  ['國', '国'],
  ['櫻', '桜'],
  ['德', '徳'],
  ['惠', '恵'],
  ['眞', '真'],
  ['實', '実'],
  ['藏', '蔵'],
  ['榮', '栄'],
  ['壽', '寿'],
  ['條', '条'],
  ['𠮷', '吉'],
  // ヶ and ヵ (small ke, ka) as ケ: official names use both (鶴ヶ島市, 袖ケ浦市).
  ['ヶ', 'ケ'],
  ['ヵ', 'ケ'],
];

const READ_AS = new Map(KANJI_VARIANTS);
const VARIANT = new RegExp(`[${KANJI_VARIANTS.map(([v]) => v).join('')}]`, 'gu');

/** The same folding for SQL: `translate(name, from, to)` reads a stored name as namesAsOne reads a typed one. */
export const NAME_VARIANTS_SQL = { from: KANJI_VARIANTS.map(([v]) => v).join(''), to: KANJI_VARIANTS.map(([, r]) => r).join('') };

/**
 * A name with its variant kanji read as their common forms (KANJI_VARIANTS) and without variation selectors
 * (a kanji's glyph chosen with an IVS, 葛󠄀, is the kanji). After NFKC.
 */
const namesAsOne = (text: string) => text.replace(/[\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/gu, '').replace(VARIANT, (c) => READ_AS.get(c)!);

/**
 * Search text as people type it, in the two forms it is matched in: against names (NFKC — full-width
 * letters and half-width katakana as their usual forms —, trimmed, with variant kanji and the small ヶ and ヵ
 * read as one: see KANJI_VARIANTS) and against readings (NFKC, trimmed, katakana as hiragana: サッポロ →
 * さっぽろ). A name keeps its katakana: 鶴ヶ島 must find 鶴ヶ島市. Invisible characters pasted with it (a
 * zero-width space) are left out: no name holds one.
 */
export function searchForms(text: string): { name: string; reading: string } {
  const typed = text
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .trim();
  return { name: namesAsOne(typed), reading: typed.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60)) };
}

/**
 * `text` without the characters of `characters` at either end (`end`: only the start or the end). A loop, not
 * /x+$/: a regular expression searching for a run at the end tries it from every position of a long run that is
 * followed by something else, time growing with the square of the text's length.
 */
export function trimCharacters(text: string, characters: string, end: 'both' | 'start' | 'end' = 'both'): string {
  let [from, to] = [0, text.length];
  if (end !== 'end') while (from < to && characters.includes(text[from])) from += 1;
  if (end !== 'start') while (to > from && characters.includes(text[to - 1])) to -= 1;
  return text.slice(from, to);
}

/** A control character other than tab and the line breaks (C0, DEL, C1), as a UTF-16 unit: no text shows one. */
export const isControlCharacter = (unit: number) => (unit < 0x20 && unit !== 0x09 && unit !== 0x0a && unit !== 0x0d) || (unit >= 0x7f && unit <= 0x9f);

/** A bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069): it reorders the text shown around it. */
export const isBidiControl = (unit: number) => (unit >= 0x202a && unit <= 0x202e) || (unit >= 0x2066 && unit <= 0x2069);

/**
 * Text as a terminal may print it: control characters (carriage returns and escapes included, line feeds and tabs
 * not) and bidirectional controls written as `\u{1b}`. What a file brings (a header, a cell quoted in a reason, a
 * sheet's name) cannot move the cursor, hide a line, set the clipboard or reorder what the user reads.
 */
export function printable(text: string): string {
  let shown = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (!isControlCharacter(unit) && !isBidiControl(unit) && unit !== 0x0d) continue;
    shown += `${text.slice(from, i)}\\u{${unit.toString(16)}}`;
    from = i + 1;
  }
  return shown + text.slice(from);
}

/**
 * Spaces, and the invisible characters text copied from a web page or a PDF brings along (a zero-width space U+200B,
 * a soft hyphen, a direction mark: Unicode's format characters): two names that look the same compare the same.
 */
const UNSEEN_IN_NAMES = /[\s\p{Cf}]+/gu;

/** A place's name as compared: as a search reads it (鶴ヶ島市 and 鶴ケ島市, 檮原町 and 梼原町 are one), without spaces or invisible characters. */
export const comparableName = (name: string) => searchForms(name).name.replace(UNSEEN_IN_NAMES, '');

/** A person's name as compared: NFKC, variant kanji as one (髙橋 and 高橋), without spaces (山田 太郎, 山田\u3000太郎 and 山田太郎 are one) or invisible characters. */
export const comparablePersonName = (name: string) => namesAsOne(name.normalize('NFKC')).replace(UNSEEN_IN_NAMES, '');

/**
 * A key (a code, an id) and its name in one cell, as a form's drop-down list writes them — `01 北海道`,
 * `011002：札幌市`, `011002_札幌市`, `札幌市（011002）`, `S-ADV-01-1 田中 亮` (after NFKC) —: its two parts, or
 * undefined. `key` is the key's pattern, ending in a letter or digit; the name follows a separator, or comes
 * straight after the key when it starts with a character outside ASCII (`01北海道`).
 */
export function keyAndName(value: string, key: string): { key: string; name: string } | undefined {
  let forms = KEY_AND_NAME_FORMS.get(key);
  if (!forms) {
    forms = [new RegExp(`^(${key})(?:[\\s_:.,、-]+|(?=[^\\x00-\\x7f]))(\\S.*)$`, 'u'), new RegExp(`^([^()]*[^\\s()])\\s*\\(\\s*(${key})\\s*\\)$`, 'u')];
    KEY_AND_NAME_FORMS.set(key, forms);
  }
  const text = value.normalize('NFKC').trim();
  const keyFirst = forms[0].exec(text);
  if (keyFirst) return { key: keyFirst[1], name: keyFirst[2].trim() };
  const nameFirst = forms[1].exec(text);
  return nameFirst ? { key: nameFirst[2], name: nameFirst[1] } : undefined;
}

/** keyAndName's two patterns (key first, name first), by key pattern: made once, as every cell of a file is read with them. */
const KEY_AND_NAME_FORMS = new Map<string, [RegExp, RegExp]>();
