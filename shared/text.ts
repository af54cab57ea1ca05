/** ヶ and ヵ (small ke, ka) as ケ: how a name is compared with a search (SQL: translate(name, 'ヶヵ', 'ケケ')). */
const sameSmallKe = (text: string) => text.replace(/[ヶヵ]/g, 'ケ');

/**
 * Search text as people type it, in the two forms it is matched in: against names (NFKC — full-width
 * letters and half-width katakana as their usual forms —, trimmed, with the small ヶ and ヵ read as ケ,
 * since official names use both: 鶴ヶ島市, 袖ケ浦市) and against readings (the same, katakana as hiragana:
 * サッポロ → さっぽろ). A name keeps its katakana: 鶴ヶ島 must find 鶴ヶ島市.
 */
export function searchForms(text: string): { name: string; reading: string } {
  const typed = text.normalize('NFKC').trim();
  return { name: sameSmallKe(typed), reading: typed.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60)) };
}

/** A place's name as compared: as a search reads it (NFKC, ヶ and ヵ as ケ: 鶴ヶ島市 and 鶴ケ島市 are one), without spaces. */
export const comparableName = (name: string) => searchForms(name).name.replace(/\s+/gu, '');
