/** A share in percent with one decimal, as MHLW's tables print it; null when there is nothing to share. */
export function percentOneDecimal(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}
