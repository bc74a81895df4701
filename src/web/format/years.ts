/**
 * Calendar years as short text: runs of consecutive years as ranges, "2029–2033" or
 * "2019–2021, 2024"; an empty list is "". Years are sorted and repeats dropped first.
 * @throws TypeError for a value that is not a whole number
 */
export function yearRanges(years: readonly number[]): string {
  for (const y of years)
    if (!Number.isSafeInteger(y))
      throw new TypeError(`expected whole years, got ${JSON.stringify(y)}`);
  const sorted = [...new Set(years)].sort((a, b) => a - b);
  const parts: string[] = [];
  let start: number | undefined;
  let prev: number | undefined;
  const close = () => {
    if (start === undefined || prev === undefined) return;
    parts.push(
      start === prev
        ? String(start)
        : prev === start + 1
          ? `${start}, ${prev}`
          : `${start}–${prev}`,
    );
  };
  for (const y of sorted) {
    if (prev !== undefined && y === prev + 1) {
      prev = y;
      continue;
    }
    close();
    start = y;
    prev = y;
  }
  close();
  return parts.join(', ');
}
