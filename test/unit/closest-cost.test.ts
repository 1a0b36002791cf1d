import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedDistance, closestMatches, MAX_DISTANCE_INPUT, SUGGEST_BUDGET, type SuggestWork } from '../../src/commands/closest';

/**
 * Issue 20, finding 7: one "did you mean" costs bounded work whatever is typed. Work is counted (cells of the
 * distance table, names looked at), never timed: a 1,000-character miss against 10,000 long names took about 3 minutes of one core.
 */

/** The textbook full table, the reference the banded one must agree with. */
function fullDistance(s: string, t: string): number {
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= t.length; j += 1) {
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[t.length] as number;
}

/** At most one candidate's work past the budget: the budget is checked before each name. */
const OVERSHOOT = 1 + (2 * Math.floor(MAX_DISTANCE_INPUT / 3) + 1) * MAX_DISTANCE_INPUT;
/** Pseudo-random lower-case letters, the same for the same seed (a linear congruential generator). */
function letters(seed: number, length: number): string {
  let x = seed + 1;
  return Array.from({ length }, () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return String.fromCharCode(97 + (x % 26));
  }).join('');
}

describe('"did you mean" costs bounded work', () => {
  it('the banded distance agrees with the full table up to its limit', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-'), maxLength: 14 });
    fc.assert(fc.property(word, word, fc.integer({ min: 0, max: 16 }), (s, t, limit) => {
      expect(boundedDistance(s, t, limit)).toBe(Math.min(fullDistance(s, t), limit + 1));
    }), { numRuns: 2_000 });
  });

  it('a 1,000-character miss against 10,000 names of 1,000 characters stays within the budget', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => letters(i, 1_000));
    const work: SuggestWork = { spent: 0 };
    expect(closestMatches(letters(99_999, 1_000), names, 3, work)).toEqual([]);
    expect(work.spent).toBeGreaterThan(0);
    expect(work.spent).toBeLessThanOrEqual(SUGGEST_BUDGET + OVERSHOOT);
  });

  it('a miss of the longest measured length against 2,000 names of that length stays within the budget', () => {
    const names = Array.from({ length: 2_000 }, (_, i) => letters(i, MAX_DISTANCE_INPUT));
    const work: SuggestWork = { spent: 0 };
    closestMatches(letters(77_777, MAX_DISTANCE_INPUT), names, 3, work);
    expect(work.spent).toBeGreaterThan(0);
    expect(work.spent).toBeLessThanOrEqual(SUGGEST_BUDGET + OVERSHOOT);
  });

  it('a typo against 10,000 realistic names still finds the name, with most of the budget left', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `sc-${['payments', 'platform', 'data', 'ml'][i % 4]}-${['westeurope', 'northeurope', 'eastus'][i % 3]}-${String(i).padStart(5, '0')}`);
    const work: SuggestWork = { spent: 0 };
    expect(names[1_236]).toBe('sc-payments-westeurope-01236');
    expect(closestMatches('sc-paymnets-westeurope-01236', names, 3, work)).toContain('sc-payments-westeurope-01236');
    expect(work.spent).toBeLessThan(SUGGEST_BUDGET / 2);
  });
});
