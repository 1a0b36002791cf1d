import { describe, expect, it } from 'vitest';
import { ApplicationRegistry, DEMO_SEED_PATH, FederatedCredentials, loadSeed, ManualClock, parseIdentitySeed } from '@scbot/stand-ins';

const APP = { objectId: 'd0000000-0000-4000-8000-0000000000a0', appId: 'd0000000-0000-4000-8000-00000000000a', displayName: 'a' };

describe('parseIdentitySeed', () => {
  it('reads the demo seed: a bot, applications with owners, and a key vault', async () => {
    const identity = parseIdentitySeed(await loadSeed(DEMO_SEED_PATH));
    expect(identity.bot).toMatchObject({ tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' });
    expect(identity.applications.length).toBeGreaterThan(10);
    expect(Object.keys(identity.keyVaults)).toEqual(['kv-scbot-demo']);
  });

  it('fails loudly on duplicate app ids, a bad vault name or a password without secret text', () => {
    expect(() => parseIdentitySeed({ applications: [APP, { ...APP, objectId: 'd0000000-0000-4000-8000-0000000000a1' }] })).toThrow(/duplicate application ids/);
    expect(() => parseIdentitySeed({ keyVaults: { 'bad vault!': {} } })).toThrow(/keyVaults\["bad vault!"\]/);
    expect(() => parseIdentitySeed({ applications: [{ ...APP, passwordCredentials: [{ displayName: 'x' }] }] })).toThrow(/secretText/);
  });

  it('is empty when the seed has no identity sections', () => {
    expect(parseIdentitySeed({})).toEqual({ applications: [], bot: undefined, keyVaults: {} });
  });
});

describe('ApplicationRegistry secrets and owners', () => {
  it('a secret added with a propagation delay authenticates only once the delay has passed on the clock', () => {
    const clock = new ManualClock();
    const registry = new ApplicationRegistry([{ appId: APP.appId, id: APP.objectId, owners: ['B0000000-0000-4000-8000-000000000002'] }], { secretPropagationMs: 10_000 });
    const added = registry.addPassword(APP.appId, clock.now());
    expect(registry.checkSecret(APP.appId, added.secretText, clock.now())).toBe('invalid');
    clock.advance(10_000);
    expect(registry.checkSecret(APP.appId, added.secretText, clock.now())).toBe('valid');
    expect(registry.isOwner(APP.objectId, 'b0000000-0000-4000-8000-000000000002')).toBe(true);
    expect(registry.isOwner(APP.appId, 'b0000000-0000-4000-8000-000000000003')).toBe(false);
  });

  it('federated credentials: unique names and issuer+subject, at most 20', () => {
    const fics = new FederatedCredentials();
    const fic = (i: number) => ({ name: `n-${i}`, issuer: 'https://issuer.example', subject: `s-${i}` });
    expect(fics.add(fic(0))).toMatchObject({ name: 'n-0', audiences: ['api://AzureADTokenExchange'] });
    expect(fics.add({ ...fic(0), name: 'other' })).toMatchObject({ kind: 'duplicate-subject' });
    expect(fics.add({ ...fic(1), name: 'N-0' })).toMatchObject({ kind: 'duplicate-name' });
    for (let i = 1; i < 20; i++) fics.add(fic(i));
    expect(fics.add(fic(20))).toMatchObject({ kind: 'limit' });
    expect(fics.has('https://issuer.example', 's-7')).toBe(true);
  });
});
