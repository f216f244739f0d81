/**
 * "Did you mean": the one measure of how close a misspelt word is to a known one, shared by the command
 * line (options, commands) and the input files (scenario and policy keys), so both suggest alike.
 */

/** The candidate within a small edit distance of `word` (or that it starts), or null. */
export function closest(word: string, candidates: readonly string[]): string | null {
  let best: { name: string; distance: number } | null = null;
  for (const name of candidates) {
    const distance = name.startsWith(word) && word.length >= 3 ? 1 : editDistance(word, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  // One edit per three letters, at most two, at least one: `--concurency` is `--concurrency`, `expcet` is
  // `expect`, `--a` is not `--b`.
  const allowed = best ? Math.min(2, Math.max(1, Math.floor(best.name.length / 3))) : 0;
  return best && best.distance <= allowed && best.distance < best.name.length ? best.name : null;
}

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`: Damerau-Levenshtein (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      const above = d[i - 1]!;
      row[j] = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
