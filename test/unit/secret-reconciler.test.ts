/**
 * The reconciler (issue 10, finding 2) removes only what nothing accounts for: a secret whose intent is still open
 * after the grace period, found by the marker in its displayName. A rotation in flight (a young intent), a secret a
 * connection uses, a secret retirement already has scheduled and a secret without our marker are left alone; two
 * instances passing at once remove each secret once (the Store lease), and a Graph failure is retried next pass.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors';
import { markedName, SecretLedger } from '../../src/execution/secret-ledger';
import { SecretReconciler } from '../../src/execution/secret-reconciler';
import { RunLeases } from '../../src/store/run-lease';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { FakeAppSecrets, newClock } from './executor-fixture';

const APP = 'd0000000-0000-4000-8000-000000000001';
const ENDPOINT = 'e0000000-0000-4000-8000-000000000001';
const GRACE = 24 * 3_600_000;

async function setup() {
  const clock = newClock();
  const store = new EmbeddedStore();
  const ledger = new SecretLedger(store, clock);
  const graph = new FakeAppSecrets();
  graph.seed(APP, 'person-made', 'PERSON');
  const reconciler = (owner = 'one') => new SecretReconciler({ ledger, appSecrets: graph, clock, graceMs: GRACE, leases: new RunLeases({ store, clock, owner }) });
  /** A secret made under an intent, as the rotate step makes it; `recorded` = its ledger write happened too. */
  const made = async (recorded: boolean) => {
    const marker = await ledger.intend(APP, ENDPOINT, 'P-RECONCILE');
    const secret = await graph.addPassword(APP, { displayName: markedName('scbot rotation', marker), endDateTime: '2027-01-01T00:00:00Z' });
    if (recorded) await ledger.recordCreated(APP, secret.keyId, ENDPOINT, marker);
    return secret.keyId;
  };
  const keys = () => (graph.apps.get(APP) ?? []).map((p) => p.keyId);
  return { clock, ledger, graph, reconciler, made, keys };
}

describe('SecretReconciler', () => {
  it('leaves a rotation in flight alone, removes its secret once the intent outlived the grace period', async () => {
    const { clock, reconciler, made, keys, ledger } = await setup();
    const orphan = await made(false);
    expect((await reconciler().runOnce()).removed).toEqual([]);
    clock.advance(GRACE);
    expect((await reconciler().runOnce()).removed).toEqual([{ appId: APP.toLowerCase(), keyId: orphan }]);
    expect(keys()).toEqual(['person-made']);
    expect(await ledger.intents()).toEqual([]);
  });

  it('keeps the secret the connection uses and one retirement has scheduled; never touches a secret without its marker', async () => {
    const { clock, reconciler, made, keys, ledger, graph } = await setup();
    const inUse = await made(true);
    await ledger.promote(ENDPOINT, APP, inUse, GRACE);
    const scheduled = await made(true);
    await ledger.retireAt(APP, scheduled, ENDPOINT, new Date(clock.now().getTime() + 2 * GRACE));
    graph.seed(APP, 'another-tools-secret', 'OTHER');
    clock.advance(GRACE);
    expect((await reconciler().runOnce()).removed).toEqual([]);
    expect(keys().sort()).toEqual(['another-tools-secret', inUse, 'person-made', scheduled].sort());
    expect(await ledger.intents()).toEqual([]);
  });

  it('two instances at once remove each orphan once; a Graph failure leaves the intent for the next pass', async () => {
    const { clock, reconciler, made, keys, graph, ledger } = await setup();
    await made(true);
    await made(false);
    clock.advance(GRACE);
    const remove = graph.removePassword.bind(graph);
    graph.removePassword = async () => { throw new AppError('GRAPH.UNAVAILABLE', 'removePassword: Graph answered 503.'); };
    expect((await reconciler().runOnce()).failed).toBe(1);
    expect(await ledger.intents()).toHaveLength(2);
    graph.removePassword = remove;
    const [one, two] = await Promise.all([reconciler('one').runOnce(), reconciler('two').runOnce()]);
    expect(one.removed.length + two.removed.length).toBe(2);
    expect(keys()).toEqual(['person-made']);
    expect(graph.removed).toHaveLength(2);
  });
});
