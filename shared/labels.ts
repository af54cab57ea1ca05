/** Enum value descriptions in the schema's style: "English (日本語)". */
export function describedValues<T extends string>(labels: Record<T, string>, english: Record<T, string>): Record<string, { description: string }> {
  return Object.fromEntries(Object.keys(labels).map((k) => [k, { description: `${english[k as T]} (${labels[k as T]})` }]));
}
