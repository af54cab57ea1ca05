/** Normalises search text: NFKC (full-width → half-width), trimmed, katakana → hiragana. */
export function normaliseSearchText(text: string): string {
  return text
    .normalize('NFKC')
    .trim()
    .replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}
