/** Words for each value of a closed set: the value itself unless named otherwise (`NotSupported` → `Not Supported`). */
export function labelsOf<T extends string>(values: readonly T[], words: Partial<Record<T, string>>): Record<T, string> {
  return Object.fromEntries(values.map((value) => [value, words[value] ?? value])) as Record<T, string>;
}
