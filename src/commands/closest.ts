/**
 * "Did you mean …": the nearest candidates by edit distance, so a typo gets a useful hint instead of a dead end.
 * What one hint may cost is bounded, whatever is typed and however many names there are: the input is anyone's
 * (1,000 characters against 10,000 long names once blocked the bot for minutes), so distances are computed in a
 * band around the diagonal that stops as soon as the limit is passed, long inputs get no distance at all, and every
 * hint has a budget of work after which it answers with what it found.
 */

/**
 * Cells of the distance table one hint may compute (a few ms; one per name looked at is counted too): a typo of
 * 28 characters against 10,000 similar names needs about a third. Lower-casing and containment are linear.
 */
export const SUGGEST_BUDGET = 1_000_000;
/** Longer inputs get no edit distance (no name is a typo away from them); containment is still checked. */
export const MAX_DISTANCE_INPUT = 128;

/** Work spent so far (table cells, and names looked at), counted so tests see the bound. */
export interface SuggestWork {
  spent: number;
}

/** Two rows of the distance table, kept between calls (one hint runs thousands of distances, synchronously). */
let rows = { previous: new Int32Array(64), current: new Int32Array(64) };

/**
 * Levenshtein distance of two lower-cased strings when it is at most `limit`, else `limit + 1`: only cells within
 * `limit` of the diagonal can stay under it, and a row whose every cell is over it ends the work.
 */
export function boundedDistance(s: string, t: string, limit: number, work: SuggestWork = { spent: 0 }): number {
  const over = limit + 1;
  if (Math.abs(s.length - t.length) > limit) return over;
  if (rows.previous.length < t.length + 2) rows = { previous: new Int32Array(t.length + 2), current: new Int32Array(t.length + 2) };
  let { previous, current } = rows;
  for (let j = 0; j <= t.length + 1; j += 1) previous[j] = j <= limit ? j : over;
  for (let i = 1; i <= s.length; i += 1) {
    const lo = Math.max(1, i - limit);
    const hi = Math.min(t.length, i + limit);
    const c = s.charCodeAt(i - 1);
    let left = lo === 1 && i <= limit ? i : over;
    current[lo - 1] = left;
    let rowMin = left;
    for (let j = lo; j <= hi; j += 1) {
      let cell = (previous[j - 1] as number) + (c === t.charCodeAt(j - 1) ? 0 : 1);
      const up = (previous[j] as number) + 1;
      if (up < cell) cell = up;
      if (left + 1 < cell) cell = left + 1;
      if (cell > over) cell = over;
      current[j] = cell;
      left = cell;
      if (cell < rowMin) rowMin = cell;
    }
    current[hi + 1] = over;
    work.spent += hi - lo + 1;
    if (rowMin > limit) return over;
    [previous, current] = [current, previous];
  }
  return Math.min(previous[t.length] as number, over);
}

/** Levenshtein distance, case-insensitive. */
export function editDistance(a: string, b: string): number {
  return boundedDistance(a.toLowerCase(), b.toLowerCase(), Math.max(a.length, b.length));
}

/**
 * Up to `max` candidates close to `input`: within a third of the input's length (at least 2 edits), or
 * containing it / contained in it (people type "prod" for "sc-prod"). Best first, ties alphabetical. Once `work`
 * passes SUGGEST_BUDGET the remaining candidates are not looked at.
 */
export function closestMatches(input: string, candidates: Iterable<string>, max = 3, work: SuggestWork = { spent: 0 }): string[] {
  const wanted = input.toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  const measured = wanted.length <= MAX_DISTANCE_INPUT;
  const scored: { name: string; score: number }[] = [];
  // The best `max` scores so far: a name further away than the worst of them cannot be shown, so it is not measured.
  const best: number[] = [];
  let cutoff = limit;
  const seen = new Set<string>();
  for (const name of candidates) {
    if (work.spent >= SUGGEST_BUDGET) break;
    const key = name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    work.spent += 1;
    const contains = wanted.length >= 3 && (key.includes(wanted) || wanted.includes(key));
    // The distance is at least the length difference: no work when that alone rules the name out.
    if (!contains && (!measured || Math.abs(wanted.length - key.length) > cutoff)) continue;
    const distance = measured ? boundedDistance(wanted, key, cutoff, work) : limit + 1;
    if (distance > cutoff && !contains) continue;
    const score = contains ? Math.min(distance, limit) : distance;
    scored.push({ name, score });
    best.push(score);
    best.sort((x, y) => x - y).splice(max);
    if (best.length === max) cutoff = Math.min(limit, best[max - 1] as number);
  }
  scored.sort((x, y) => x.score - y.score || x.name.localeCompare(y.name));
  return scored.slice(0, max).map((s) => s.name);
}

/**
 * The one candidate a mistyped word most likely meant: within a third of its length (so words under 3 characters are
 * never changed) and strictly closer than any other; containment does not count ("prod" is not a typo of "sc-prod").
 * Undefined when nothing is that close or two are equally close: the word is then kept as typed. Bounded as a hint is.
 */
export function nearestUnique(input: string, candidates: Iterable<string>, work: SuggestWork = { spent: 0 }): string | undefined {
  const limit = Math.floor(input.length / 3);
  if (limit === 0 || input.length > MAX_DISTANCE_INPUT) return undefined;
  const wanted = input.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  let tied = false;
  for (const name of candidates) {
    if (work.spent >= SUGGEST_BUDGET) break;
    work.spent += 1;
    // A tie with the best so far is enough to give up on it, so the bound stays at the best distance.
    const distance = boundedDistance(wanted, name.toLowerCase(), best?.distance ?? limit, work);
    if (distance > (best?.distance ?? limit)) continue;
    if (best && distance === best.distance) {
      tied = tied || best.name.toLowerCase() !== name.toLowerCase();
      continue;
    }
    best = { name, distance };
    tied = false;
  }
  return tied ? undefined : best?.name;
}
