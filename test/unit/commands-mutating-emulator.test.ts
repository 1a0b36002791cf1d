import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CommandContext, Reply } from '../../src/commands';
import { createCommandRegistry, tokenize } from '../../src/commands';
import { AzureDevOpsServiceEndpoints } from '../../src/devops/azure-devops-service-endpoints';
import { fingerprintEndpoint } from '../../src/domain/fingerprint';
import { InMemoryPlanRepository } from '../support/in-memory-plan-repository';
import { DEMO_SEED_PATH, parseSeed, startDevOpsEmulator, type DevOpsEmulator } from '@scbot/stand-ins';
import { memoryLogger } from './commands-fixture';
import { NOW } from './planners-fixture';
import { testServices, testTurn } from '../support/command-services';

/**
 * The mutating commands over the real azure-devops-node-api adapter and the Azure DevOps emulator: the plans
 * match the seed, and the request log shows exactly the reads a preview needs (no N+1, no repeated GETs).
 */
const clock = { now: () => NOW };
const registry = createCommandRegistry();

describe('mutating commands → real adapter → emulator', () => {
  let emulator: DevOpsEmulator;
  let ctx: CommandContext;
  let plans: InMemoryPlanRepository;
  let lines: string[];

  beforeAll(async () => {
    const seed = parseSeed(JSON.parse(readFileSync(DEMO_SEED_PATH, 'utf8')), clock);
    emulator = await startDevOpsEmulator({ seed, port: 0, host: '127.0.0.1', clock });
  });
  afterAll(() => emulator?.close());

  beforeEach(() => {
    const endpoints = new AzureDevOpsServiceEndpoints({ orgUrl: emulator.orgUrl, tokens: { getToken: async () => 'static-token' }, requestTimeoutMs: 5_000, maxAttempts: 2, sleep: async () => undefined });
    plans = new InMemoryPlanRepository();
    const log = memoryLogger();
    lines = log.lines;
    ctx = { ...testServices({ endpoints, plans, clock, logger: log.logger }), ...testTurn({ user: { id: 'u', name: 'Dana', aadObjectId: 'dddddddd-0000-4000-8000-0000000000d1' }, conversation: { id: 'c', type: 'personal' } }) };
    emulator.requests.clear();
  });

  const run = (text: string): Promise<Reply> => registry.dispatch(tokenize(text), ctx);
  /** Service calls only (discovery is the client's own business), as "METHOD path?query". */
  const calls = () => emulator.requests.entries()
    .filter((r) => r.method !== 'OPTIONS' && !/\/_apis\/(location|resourceareas|connectiondata)/i.test(r.path))
    .map((r) => `${r.method} ${r.path.replace(/^\/[^/]+/, '')}`);

  it('convert all: one list per project, one history read per eligible connection, nothing else', async () => {
    const reply = await run('convert all');
    const plan = plans.all()[0]!;
    expect(plan.items.map((i) => i.name).sort()).toEqual(['sc-dev', 'sc-prod', 'sc-sandbox']);
    expect(reply.text).toContain('convert 3 connections');
    const made = calls();
    expect(made.filter((c) => c.endsWith('/_apis/serviceendpoint/endpoints'))).toHaveLength(3);
    expect(made.filter((c) => c.includes('/executionhistory'))).toHaveLength(3);
    expect(made.filter((c) => !c.includes('serviceendpoint'))).toEqual(['GET /_apis/projects']);
    expect(made).toHaveLength(7);
  });

  it('delete failed: exactly the failed connections, with the automatic ones flipped first', async () => {
    await run('delete failed');
    const plan = plans.all()[0]!;
    expect(plan.items.map((i) => [i.name, i.calls.map((c) => c.method).join('+')]).sort()).toEqual([
      ['sc-failed-mi', 'DELETE'], ['sc-failed-rbac', 'PUT+DELETE'], ['sc-failed-secret', 'PUT+DELETE'],
    ]);
    expect(calls().filter((c) => c.includes('/executionhistory'))).toHaveLength(3);
  });

  it('rotate and revert read the connection by name per project and its history once; no write happens', async () => {
    await run('rotate sc-prod');
    await run('revert sc-converted');
    expect(plans.all().map((p) => p.operation)).toEqual(['rotate', 'revert']);
    const made = calls();
    expect(made.filter((c) => c.includes('/executionhistory'))).toHaveLength(2);
    expect(made.every((c) => c.startsWith('GET '))).toBe(true);
  });

  it('the fingerprint in a plan matches the connection as the adapter reads it later', async () => {
    await run('convert all in Payments');
    for (const item of plans.all()[0]!.items) {
      const current = await ctx.endpoints.get(item.projectName, item.endpointId);
      expect(fingerprintEndpoint(current!)).toBe(item.fingerprint);
    }
    expect(lines.join('')).not.toContain('SEEDSECRET');
  });
});
