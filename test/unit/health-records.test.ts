import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../src/store';
import { HEALTH_DAYS, HealthHistory, healthDayOf } from '../../src/alerts/health-history';
import { countConnection, countSecretEnd, emptyCensus } from '../../src/domain/census';
import { IssuerIdentities, refusedFixes, withRefusals } from '../../src/alerts/fix-checks';
import { AppError } from '../../src/domain/errors';
import { cutAtWord } from '../../src/domain/text';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import type { AppRegistration } from '../../src/azure/federated-identities.port';
import { findingOf } from './alert-fixture';
import { SC_BROKEN, SC_DEV, SC_PROD } from './commands-fixture';

const NOW = new Date('2026-11-22T06:00:00.000Z');
const DAY_MS = 86_400_000;
const inDays = (days: number) => new Date(NOW.getTime() + days * DAY_MS).toISOString();

describe('the daily health record (the trend)', () => {
  it('keeps one record per day (the last scan of the day wins) and forgets days past the window', async () => {
    const store = new EmbeddedStore();
    const history = new HealthHistory(store, 3);
    const day = (at: string, critical: number) => healthDayOf(at, Array.from({ length: critical }, (_, i) => findingOf('failed', i)), 10);
    await history.record(day('2026-11-20T06:00:00.000Z', 1));
    await history.record(day('2026-11-21T06:00:00.000Z', 2));
    await history.record(day('2026-11-21T18:00:00.000Z', 3));
    expect((await history.recent(30)).map((d) => [d.day, d.critical])).toEqual([['2026-11-20', 1], ['2026-11-21', 3]]);
    await history.record(day('2026-11-23T06:00:00.000Z', 0));
    // Three days kept: the 21st, (no 22nd), the 23rd; the 20th is gone from the store, not only from the answer.
    expect(await store.keys(HEALTH_DAYS)).toEqual(['2026-11-21', '2026-11-23']);
    expect((await history.recent(1)).map((d) => d.day)).toEqual(['2026-11-23']);
  });

  it('counts findings by severity and, when the scan counted them, connections with and without a secret', () => {
    const census = { ...emptyCensus(), federated: 4, secret: 6 };
    expect(healthDayOf('2026-11-22T06:00:00.000Z', [findingOf('failed', 1), findingOf('unused', 2), findingOf('disabled', 3)], 12, census))
      .toEqual({ day: '2026-11-22', critical: 1, warning: 1, info: 1, connections: 12, federated: 4, secret: 6 });
    expect(healthDayOf('2026-11-22T06:00:00.000Z', [], 0)).not.toHaveProperty('federated');
  });
});

describe('the census of a scan', () => {
  it('counts how connections sign in', () => {
    const census = emptyCensus();
    for (const e of [SC_PROD, SC_DEV, SC_BROKEN, { ...SC_DEV, type: 'github', authorization: { scheme: 'Token', parameters: {} } }]) countConnection(census, e);
    expect([census.federated, census.secret, census.other]).toEqual([1, 2, 1]);
  });

  it('counts each connection\'s longest-lasting secret in its week; later ones and undated ones are not counted', () => {
    const census = emptyCensus();
    const secret = (days: number) => [{ keyId: 'a', endDateTime: inDays(days) }];
    for (const days of [-3, 0.5, 7, 7.5, 55, 57, 400]) countSecretEnd(census, secret(days), NOW);
    // A fresh secret next to an old one: the connection is fine (judged by the one that lasts longest).
    countSecretEnd(census, [{ keyId: 'old', endDateTime: inDays(-1) }, { keyId: 'new', endDateTime: inDays(300) }], NOW);
    countSecretEnd(census, [{ keyId: 'forever' }], NOW);
    expect(census.secretsByWeek).toEqual([1, 2, 1, 0, 0, 0, 0, 0, 1]);
  });
});

describe('fixes an alert may offer', () => {
  it('are the ones the planners would accept: each refusal carries the planner\'s reason', () => {
    const federated = refusedFixes(SC_PROD, 'Payments');
    expect(federated?.rotate).toBeDefined();
    expect(federated?.convert).toBe('already uses workload identity federation.');
    expect(refusedFixes({ ...SC_DEV, data: { ...SC_DEV.data, creationMode: 'Automatic' } }, 'Payments')).toBeUndefined();
  });

  it('a finding keeps only the refusals of the fixes its card would offer', () => {
    const refused = { rotate: 'no.', convert: 'not this one.', migrate: 'multitenant.' };
    expect(withRefusals(findingOf('secret-expired', 1), refused).refused).toEqual({ rotate: 'no.', convert: 'not this one.' });
    expect(withRefusals(findingOf('retiring-issuer', 1), refused).refused).toEqual({ migrate: 'multitenant.' });
    expect(withRefusals(findingOf('unused', 1), refused)).not.toHaveProperty('refused');
  });

  it('reads each app behind a connection on the old issuer once, within the budget, and refuses a multitenant one', async () => {
    const reads: string[] = [];
    const apps = {
      find: async (appId: string): Promise<AppRegistration | null> => {
        reads.push(appId);
        if (appId === 'forbidden') throw new AppError('GRAPH.FORBIDDEN', 'no permission');
        return { appId, objectId: 'o', signInAudience: appId === 'client-prod' ? 'AzureADMultipleOrgs' : 'AzureADMyOrg' };
      },
    };
    const issuers = new IssuerIdentities(apps);
    const always = () => true;
    expect((await issuers.refine(SC_PROD, undefined, always))?.migrate).toMatch(/^multitenant app \(AzureADMultipleOrgs\)/);
    expect((await issuers.refine({ ...SC_PROD, id: 'other' }, undefined, always))?.migrate).toMatch(/^multitenant/);
    expect(reads).toEqual(['client-prod']);
    const withClient = (clientId: string): ServiceEndpoint => ({ ...SC_PROD, authorization: { scheme: 'WorkloadIdentityFederation', parameters: { ...SC_PROD.authorization?.parameters, serviceprincipalid: clientId } } });
    expect(await issuers.refine(withClient('single'), undefined, always)).toBeUndefined();
    expect((await issuers.refine(withClient('forbidden'), undefined, always))?.migrate).toMatch(/^Graph won't let me read its app/);
    // Out of budget: left as it was, and no read.
    expect(await issuers.refine(withClient('unread'), { rotate: 'x' }, () => false)).toEqual({ rotate: 'x' });
    // Not on the old issuer: nothing to read.
    expect(await issuers.refine(SC_DEV, undefined, always)).toBeUndefined();
    expect(reads).toEqual(['client-prod', 'single', 'forbidden']);
  });

  it('lets an unexpected failure through (only typed Graph answers decide)', async () => {
    const issuers = new IssuerIdentities({ find: async () => { throw new TypeError('bug'); } });
    await expect(issuers.refine(SC_PROD, undefined, () => true)).rejects.toThrow('bug');
  });
});

describe('cutting text for a card', () => {
  it('cuts after a whole word, drops a dangling separator, and leaves text that fits alone', () => {
    expect(cutAtWord('short', 10)).toBe('short');
    expect(cutAtWord('Failed to obtain the token from Microsoft Entra ID', 30)).toBe('Failed to obtain the token …');
    expect(cutAtWord('alpha beta, gamma delta', 13)).toBe('alpha beta …');
    // No space late enough: one long word (a URL, an id) is cut inside, within the limit.
    const url = cutAtWord(`see https://${'x'.repeat(80)}`, 40);
    expect(url).toHaveLength(40);
    expect(url.endsWith('…')).toBe(true);
  });
});
