/**
 * Plans stored before operations owned their payloads (a plan proposed, or running, across the upgrade) load and
 * read as they did: the stored item is the common base with the operation's fields beside it, unchanged, and the
 * plan digest approval records hold (the card's version) is the same value the earlier build computed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPlanView } from '../../src/cards/plan-preview-view';
import { fingerprintPlan } from '../../src/domain/audit';
import type { Plan } from '../../src/domain/plan';
import { StorePlanRepository } from '../../src/plans/store-plan-repository';
import { EmbeddedStore } from '../../src/store/embedded-store';

const stored = (name: string): Plan => JSON.parse(readFileSync(new URL(`./fixtures/stored-plan-${name}.json`, import.meta.url), 'utf8')) as Plan;

describe('a plan stored by the previous build', () => {
  it('keeps its digest, so an approval card drawn before the upgrade still matches its plan', () => {
    // Computed by main at 5c57684 (before this change) from the same files.
    expect(fingerprintPlan(stored('delete'))).toBe('e6557bf354f4f221');
    expect(fingerprintPlan(stored('rotate'))).toBe('b6602ec143fc3df4');
  });

  it('round-trips through the plan store and is drawn by its operation from its own payload', async () => {
    const plans = new StorePlanRepository(new EmbeddedStore());
    await plans.save(stored('delete'));
    await plans.save(stored('rotate'));
    const deleted = await plans.get('P-STORED01');
    expect(deleted).toEqual(stored('delete'));
    expect(buildPlanView(deleted!).items[0]).toMatchObject({ changes: '• The connection will be deleted from 2 projects.' });
    expect(buildPlanView((await plans.get('P-STORED02'))!).items[0]?.changes).toContain('new secret from Key Vault kv-payments/sc-prod');
  });
});
