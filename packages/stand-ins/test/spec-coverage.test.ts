// Every operation of the official serviceendpoint spec (7.2) is either served — a 2xx whose body validates
// against the operation's response schema — or refused in the service's wrapped-exception shape with a typeKey
// naming why; never an unknown route (HttpException 404), never HTML. The refused ones are listed here on purpose.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEmulator, DEMO_SEED_PATH, loadSeed, ManualClock, startDevOpsEmulator, type DevOpsEmulator, type ServiceEndpoint } from '../src/index';

const specFile = path.resolve(import.meta.dirname, '../../../../shared/reference/azure-devops-serviceendpoint/serviceEndpoint.json');
const present = existsSync(specFile);
if (!present && process.env.CI === 'true') throw new Error(`${specFile} is missing; spec coverage cannot run in CI without it.`);

type Json = Record<string, unknown>;
interface Operation { path: string; method: string; version: string; hasResponseSchema: boolean; schema?: Json }

/** Not executed by the stand-in, refused with this typeKey (see router.ts). */
const REFUSED: Record<string, string> = { 'POST /{organization}/{project}/_apis/serviceendpoint/endpointproxy': 'ServiceEndpointException' };

function operations(): { ops: Operation[]; spec: Json } {
  const spec = JSON.parse(readFileSync(specFile, 'utf8').replace(/^\uFEFF/, '')) as Json;
  const ops = Object.entries(spec.paths as Record<string, Record<string, Json>>).flatMap(([p, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const version = ((op.parameters as Json[] | undefined) ?? []).find((x) => x.name === 'api-version') as Json | undefined;
      const schema = (op.responses as Record<string, { schema?: Json }>)['200']?.schema;
      return { path: p, method: method.toUpperCase(), version: String(version?.default ?? '7.2-preview.4'), hasResponseSchema: Boolean(schema), schema };
    }));
  return { ops, spec };
}

let emu: DevOpsEmulator;
let staging: ServiceEndpoint;
beforeAll(async () => {
  const clock = new ManualClock();
  emu = await startDevOpsEmulator({ seed: await loadSeed(DEMO_SEED_PATH, clock), clock });
  staging = emu.state.endpoints().find((e) => e.name === 'sc-staging') as ServiceEndpoint;
});
afterAll(async () => emu.close());

/** A request each operation accepts: the demo organization, sc-staging, and bodies the way clients send them. */
function requestFor(op: Operation): { url: string; body?: unknown } {
  const url = op.path.replace('/{organization}', '').replace('{project}', 'Payments').replace('{endpointId}', staging.id);
  const ref = [{ projectReference: { id: '7d580254-36c2-5bda-9608-ea9bb037b823', name: 'Payments' }, name: 'spec-coverage' }];
  const create = { name: 'spec-coverage', type: 'generic', url: 'https://example.test', authorization: { scheme: 'UsernamePassword', parameters: { username: 'u', password: 'p' } }, serviceEndpointProjectReferences: ref };
  const bodies: Record<string, unknown> = {
    'POST /_apis/serviceendpoint/endpoints': create,
    'PUT /_apis/serviceendpoint/endpoints': [{ ...staging, description: 'bulk' }],
    [`PUT /_apis/serviceendpoint/endpoints/${staging.id}`]: { ...staging, description: 'one' },
    [`PATCH /_apis/serviceendpoint/endpoints/${staging.id}`]: [{ projectReference: { id: '2ae12be5-9b3b-56e1-83de-10c785e1c36e', name: 'Platform' }, name: 'sc-staging' }],
    'POST /_apis/serviceendpoint/types': ['azurerm'],
    'POST /Payments/_apis/serviceendpoint/endpointproxy': { dataSourceDetails: { dataSourceName: 'AzureSubscriptions' } },
  };
  const query: Record<string, string> = {
    [`DELETE /_apis/serviceendpoint/endpoints/${staging.id}`]: '?projectIds=7d580254-36c2-5bda-9608-ea9bb037b823',
    'POST /Payments/_apis/serviceendpoint/endpoints': `?endpointIds=${staging.id}`,
  };
  const key = `${op.method} ${url}`;
  return { url: url + (query[key] ?? ''), body: bodies[key] };
}

describe.skipIf(!present)('every operation of the serviceendpoint spec', () => {
  const { ops, spec } = present ? operations() : { ops: [], spec: {} };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  if (present) ajv.addSchema({ $id: 'spec', definitions: spec.definitions });

  it('is enumerated from the spec itself (12 operations in 7.2)', () => {
    expect(ops.length).toBe(12);
  });

  // DELETE last: it removes sc-staging, which the other requests use.
  const ordered = [...ops].sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
  it.each(ordered.map((op) => [`${op.method} ${op.path}`, op] as const))('%s', async (key, op) => {
    const { url, body } = requestFor(op);
    const res = await callEmulator<Json>(emu.orgUrl, url, { method: op.method, version: op.version, body });
    expect(res.headers.get('content-type') ?? 'application/json').toMatch(/^application\/json/);
    if (REFUSED[key]) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.body).toMatchObject({ $id: '1', typeKey: REFUSED[key], eventId: 3000 });
      return;
    }
    expect(res.status, res.text).toBeLessThan(300);
    if (res.status === 200 && op.schema && res.body !== null) {
      // The spec's own schema, loosened only for .NET's nulls, as in conformance.test.ts.
      const schema = JSON.parse(JSON.stringify(op.schema).replace(/"#\/definitions\//g, '"spec#/definitions/')) as Json;
      const validate = ajv.compile(schema);
      // Lists travel wrapped as { count, value } (the spec README's note); the schema describes `value`.
      const answer = schema.type === 'array' ? (res.body as { count: number; value: unknown[] }).value : res.body;
      if (schema.type === 'array') expect((res.body as { count: number }).count).toBe((answer as unknown[]).length);
      const errors = validate(JSON.parse(JSON.stringify(answer, (_k, v: unknown) => (v === null ? undefined : v)))) ? [] : validate.errors;
      expect(errors, JSON.stringify(errors?.slice(0, 3))).toEqual([]);
    }
  });
});
