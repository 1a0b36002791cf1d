/**
 * GET /healthz and GET /readyz over HTTP (issue 23 §6), on the app composed as production composes it: readiness
 * asks the Store and the Azure DevOps token source, reuses its answer for 10 s (one read per period however often
 * the platform probes), says which check failed and never why in words, and turns 503 once the app drains.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@scbot/stand-ins/test-kit';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import { AppError } from '../../src/domain/errors';
import { createLogger } from '../../src/logging';
import { READY_CACHE_MS } from '../../src/health/readiness';
import { EmbeddedStore } from '../../src/store/embedded-store';
import type { Store } from '../../src/store/store.port';
import { startTestApp, type StartedApp } from '../support/test-app';

const SECRET_IN_ERROR = 'AccountKey=c2VjcmV0LWtleS12YWx1ZQ==';

/** The embedded store, with its reads counted and, when told, failing as an unreachable table would. */
class ProbedStore extends EmbeddedStore {
  reads = 0;
  failing = false;

  override async get<T>(collection: string, key: string) {
    if (collection === 'health') this.reads += 1;
    // What the Azure SDK throws: a plain error whose text may quote the connection string.
    if (this.failing) throw new Error(`table unreachable (${SECRET_IN_ERROR})`);
    return super.get<T>(collection, key);
  }
}

const apps: StartedApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function start(store: Store, tokens: { getToken(): Promise<string> }) {
  const clock = new ManualClock('2026-11-22T06:00:00Z');
  const lines: string[] = [];
  const logger = createLogger({ level: 'warn', destination: { write: (line: string) => { lines.push(line); } } });
  const app = await startTestApp({ devops: new InMemoryServiceEndpoints([]), clock, logger, store, devopsTokens: tokens });
  apps.push(app);
  const readyz = async () => {
    const response = await fetch(`${app.url}/readyz`);
    return { status: response.status, body: await response.json() as { status: string; checks: Record<string, string> } };
  };
  return { app, clock, lines, readyz };
}

describe('GET /healthz and GET /readyz', () => {
  it('healthz answers while the process lives; readyz is 200 when the store and a token can be reached', async () => {
    const { app, readyz } = await start(new ProbedStore(), { getToken: async () => 'token' });
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(await readyz()).toMatchObject({ status: 200, body: { status: 'ready', checks: { store: 'ok', devopsToken: 'ok' } } });
  });

  it('reuses one answer for the cache period: one store read and one token request however often it is probed', async () => {
    const store = new ProbedStore();
    let tokenCalls = 0;
    const { clock, readyz } = await start(store, { getToken: async () => { tokenCalls += 1; return 'token'; } });
    await Promise.all(Array.from({ length: 10 }, () => readyz()));
    clock.advance(READY_CACHE_MS - 1);
    await readyz();
    expect({ reads: store.reads, tokenCalls }).toEqual({ reads: 1, tokenCalls: 1 });
    clock.advance(1);
    await readyz();
    expect({ reads: store.reads, tokenCalls }).toEqual({ reads: 2, tokenCalls: 2 });
  });

  it('a store that cannot be read: 503 naming the store check, the error\'s text nowhere', async () => {
    const store = new ProbedStore();
    const { clock, lines, readyz } = await start(store, { getToken: async () => 'token' });
    store.failing = true;
    const answer = await readyz();
    expect(answer).toMatchObject({ status: 503, body: { status: 'not-ready', checks: { store: 'failed', devopsToken: 'ok' } } });
    expect(JSON.stringify(answer.body) + lines.join('')).not.toContain(SECRET_IN_ERROR);
    expect(lines.join('')).toContain('"check":"store"');
    store.failing = false;
    clock.advance(READY_CACHE_MS);
    expect((await readyz()).status).toBe(200);
  });

  it('no Azure DevOps token (the identity cannot sign in): 503 naming the token check', async () => {
    const { readyz } = await start(new ProbedStore(), { getToken: async () => { throw new AppError('IDENTITY.UNAVAILABLE', 'AADSTS7000215: Invalid client secret provided.'); } });
    const answer = await readyz();
    expect(answer).toMatchObject({ status: 503, body: { status: 'not-ready', checks: { store: 'ok', devopsToken: 'failed' } } });
    expect(JSON.stringify(answer.body)).not.toContain('AADSTS');
  });

  it('a check that hangs counts as failed instead of hanging the probe', async () => {
    const { readyz } = await start(new ProbedStore(), { getToken: () => new Promise<string>(() => undefined) });
    const answer = await readyz();
    expect(answer).toMatchObject({ status: 503, body: { checks: { devopsToken: 'failed' } } });
  }, 20_000);
});
