import { readFileSync } from 'node:fs';
import type { ExecutionRecord, ServiceEndpoint } from '../../src/domain/endpoint';
import type { PlanTarget } from '../../src/domain/planning';
import { DEMO_SEED_PATH, parseSeed } from '@scbot/stand-ins';

/** The demo seed at a fixed instant, with a canary secret planted in every secret-bearing connection. */
export const NOW = new Date('2026-11-22T06:00:00.000Z');
export const CANARY = 'CANARY-7f3e9a-do-not-leak';

const seed = parseSeed(JSON.parse(readFileSync(DEMO_SEED_PATH, 'utf8')), { now: () => NOW });

function plantCanary(e: ServiceEndpoint): ServiceEndpoint {
  const params = e.authorization?.parameters;
  if (!params || !e.authorization) return e;
  const planted = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' && v.startsWith('SEEDSECRET-') ? `${CANARY}-${k}` : v]));
  return { ...e, authorization: { ...e.authorization, parameters: planted } };
}

export const ENDPOINTS: ServiceEndpoint[] = seed.endpoints.map(plantCanary);
export const PROJECTS = seed.projects;

function historyOf(endpointId: string): ExecutionRecord[] {
  return (seed.executionHistory[endpointId] ?? []).map((r) => {
    const d = r.data as { id: number; result?: string; startTime?: string; finishTime?: string; definition?: { name?: string } };
    return { endpointId, id: d.id, result: d.result, startTime: d.startTime, finishTime: d.finishTime, definitionName: d.definition?.name };
  }).sort((a, b) => b.id - a.id);
}

export function endpoint(name: string): ServiceEndpoint {
  const found = ENDPOINTS.find((e) => e.name === name);
  if (!found) throw new Error(`no ${name} in the demo seed`);
  return structuredClone(found);
}

/** The connection as read in its first project, with its execution history. */
export function target(nameOrEndpoint: string | ServiceEndpoint, projectIndex = 0): PlanTarget {
  const e = typeof nameOrEndpoint === 'string' ? endpoint(nameOrEndpoint) : nameOrEndpoint;
  const ref = e.serviceEndpointProjectReferences?.[projectIndex]?.projectReference;
  if (!ref) throw new Error(`no project ${projectIndex} for ${e.name}`);
  return { endpoint: e, project: { id: ref.id, name: ref.name ?? ref.id }, history: historyOf(e.id) };
}

export const allTargets = (): PlanTarget[] => ENDPOINTS.map((e) => target(e));

/** Fails with the offending path when the canary (or any seed secret) appears anywhere in a value's JSON. */
export function expectNoSecret(value: unknown): void {
  const json = JSON.stringify(value);
  if (json.includes(CANARY) || json.includes('SEEDSECRET-')) throw new Error(`a secret leaked: ${json.slice(Math.max(0, json.indexOf('CANARY') - 200), json.indexOf('CANARY') + 50)}`);
}
