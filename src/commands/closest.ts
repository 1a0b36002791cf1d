/** "Did you mean …": the nearest candidates by edit distance, so a typo gets a useful hint instead of a dead end. */

/** Levenshtein distance, case-insensitive, two rows of memory (names are short; lists may hold hundreds). */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (s === t) return 0;
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= t.length; j += 1) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
    }
    previous = current;
  }
  return previous[t.length] as number;
}

/**
 * Up to `max` candidates close to `input`: within a third of the input's length (at least 2 edits), or
 * containing it / contained in it (people type "prod" for "sc-prod"). Best first, ties alphabetical.
 */
export function closestMatches(input: string, candidates: Iterable<string>, max = 3): string[] {
  const wanted = input.toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  const scored: { name: string; score: number }[] = [];
  const seen = new Set<string>();
  for (const name of candidates) {
    const key = name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const contains = wanted.length >= 3 && (key.includes(wanted) || wanted.includes(key));
    // The distance is at least the length difference: skip the quadratic work when it cannot be close (a pasted
    // 20 KB "name" against 500 connections would otherwise take seconds).
    if (!contains && Math.abs(wanted.length - key.length) > limit) continue;
    const distance = editDistance(wanted, key);
    if (distance <= limit || contains) scored.push({ name, score: contains ? Math.min(distance, limit) : distance });
  }
  scored.sort((x, y) => x.score - y.score || x.name.localeCompare(y.name));
  return scored.slice(0, max).map((s) => s.name);
}
