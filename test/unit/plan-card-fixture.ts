import type { ServiceEndpoint } from '../../src/domain/endpoint';
import type { Plan } from '../../src/domain/plan';
import type { PlanTarget } from '../../src/domain/planning';
import { isRefusal } from '../../src/domain/planning';
import { planConvert } from '../../src/operations/convert/convert.planner';
import { planDelete } from '../../src/operations/delete/delete.planner';
import { planRotate } from '../../src/operations/rotate/rotate.planner';
import { allTargets, endpoint, NOW, target } from './planners-fixture';

export const LONG = 'very-long-connection-name-'.repeat(12);
export const UNICODE = 'Zählerstand – 接続 – 🚀 prod — “quoted” & <tag>';

export function rotatePlan(name = 'sc-prod'): Plan {
  const outcome = planRotate({ id: 'P-ROTATE1', command: `rotate ${name}`, now: NOW, target: target(name), source: { kind: 'graph' }, lifetimeDays: 180, retireAfterHours: 24 });
  if (isRefusal(outcome)) throw new Error(outcome.reason);
  return outcome;
}

export const convertAllPlan = (): Plan => planConvert({ id: 'P-CONVERT', command: 'convert all', now: NOW, targets: allTargets().filter((t) => t.endpoint.type === 'azurerm') });

export const deleteDeepEverywhere = (): Plan =>
  planDelete({ id: 'P-DELETE1', command: 'delete sc-shared-registry everywhere deep', now: NOW, targets: [target('sc-shared-registry')], options: { everywhere: true, deep: true } });

/** Many copies of the seed's shapes with distinct ids and names: half eligible, half skipped. */
export function manyTargets(count: number, name: (i: number) => string): PlanTarget[] {
  const shapes = [endpoint('sc-prod'), endpoint('sc-staging'), endpoint('sc-dev'), endpoint('sc-wif-entra')];
  return Array.from({ length: count }, (_, i) => {
    const shape = shapes[i % shapes.length] as ServiceEndpoint;
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    return target({ ...structuredClone(shape), id, name: name(i) });
  });
}

export const bulkConvert = (count: number, name: (i: number) => string = (i) => `sc-${String(i).padStart(3, '0')}`): Plan =>
  planConvert({ id: 'P-BULK', command: 'convert all', now: NOW, targets: manyTargets(count, name) });

export const bulkDelete = (count: number, name: (i: number) => string): Plan =>
  planDelete({ id: 'P-BULKDEL', command: 'delete failed', now: NOW, targets: manyTargets(count, name), options: { everywhere: false, deep: true } });

/** The heaviest items a plan can hold: shared, Automatic, failed, recently used, long Unicode names, every warning. */
export function worstCaseDelete(count: number): Plan {
  const shape = endpoint('sc-prod');
  const refs = [...shape.serviceEndpointProjectReferences!, ...endpoint('sc-test').serviceEndpointProjectReferences!, ...endpoint('sc-sandbox').serviceEndpointProjectReferences!];
  const targets = Array.from({ length: count }, (_, i) => {
    const name = `${UNICODE} ${LONG} ${i}`;
    const e = { ...structuredClone(shape), id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name, isShared: true, isReady: false,
      operationStatus: { state: 'Failed', statusMessage: `${UNICODE} `.repeat(10) }, serviceEndpointProjectReferences: refs.map((r) => ({ ...r, name })) };
    return target(e);
  });
  return planDelete({ id: 'P-WORST', command: `delete ${UNICODE} everywhere deep`, now: NOW, targets, options: { everywhere: true, deep: true } });
}
