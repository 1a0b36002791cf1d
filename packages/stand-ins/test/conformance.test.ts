// Replays every example exchange Microsoft publishes for the endpoints and executionhistory resources against the
// emulator, seeding the state each needs from the example's own data, and validates each answer against the spec's
// own JSON schema (ajv, compiled from serviceEndpoint.json) rather than hand-written checks.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceEndpoint } from '../src/wire/service-endpoint';
import { callEmulator, DEMO_SEED_PATH, loadSeed, ManualClock, parseSeed, startDevOpsEmulator, type DevOpsEmulator } from '../src/index';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const specDir = path.resolve(repoRoot, '../shared/reference/azure-devops-serviceendpoint');
const present = existsSync(path.join(specDir, 'serviceEndpoint.json'));
if (!present && process.env.CI === 'true') throw new Error(`Spec folder ${specDir} is missing; the conformance suite cannot run in CI without it.`);

type Json = Record<string, unknown>;
interface Example { file: string; method: string; url: URL; params: Json; status: number; body: unknown }
const readJson = (file: string): Json => JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as Json;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const guidFrom = (text: string): string => {
  const h = createHash('sha1').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

function examples(): Example[] {
  return ['endpoints', 'executionhistory'].flatMap((folder) => readdirSync(path.join(specDir, 'httpExamples', folder)).map((name) => {
    const raw = readJson(path.join(specDir, 'httpExamples', folder, name));
    const [status, response] = Object.entries(raw.responses as Record<string, { body?: unknown }>)[0] ?? ['0', {}];
    return { file: `${folder}/${name}`, method: String(raw['x-ms-vss-request-method']), url: new URL(String(raw['x-ms-vss-request-url'])),
      params: raw.parameters as Json, status: Number(status), body: response.body };
  }));
}

/**
 * Two readings of the generated Swagger, both from .NET: absent values serialise as null (the spec's own examples
 * show `"password": null`), so every property may be null; and a dictionary of System.Object is emitted as
 * `additionalProperties: {type: object}` though its values are any JSON (Microsoft's ListEndpointTypes example has
 * strings there), so that one shape means "any value".
 */
function nullable(schema: Json): Json {
  const out: Json = { ...schema };
  const additional = schema.additionalProperties as Json | undefined;
  const orNull = (s: Json): Json => ({ anyOf: [nullable(s), { type: 'null' }] });
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties as Record<string, Json>).map(([k, v]) => [k, orNull(v)]));
  if (additional && Object.keys(additional).length === 1 && additional.type === 'object') out.additionalProperties = {};
  else if (additional && typeof additional === 'object') out.additionalProperties = orNull(additional);
  if (schema.items) out.items = nullable(schema.items as Json);
  if (schema.allOf) out.allOf = (schema.allOf as Json[]).map(nullable);
  return out;
}

function compileSpec(): { spec: Json; ajv: Ajv } {
  const spec = readJson(path.join(specDir, 'serviceEndpoint.json'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule);
  addFormats(ajv);
  for (const format of ['int16', 'decimal', 'JTokenType', 'JContainer', 'T']) ajv.addFormat(format, true);
  const definitions = Object.fromEntries(Object.entries(spec.definitions as Record<string, Json>).map(([k, v]) => [k, nullable(v)]));
  ajv.addSchema({ $id: 'spec', definitions });
  return { spec, ajv };
}

/** The spec operation for an example: by method and path template; old project-level writes map to the org route. */
function responseValidator(spec: Json, ajv: Ajv, example: Example): ValidateFunction | undefined {
  const paths = Object.entries(spec.paths as Record<string, Record<string, { responses: Record<string, { schema?: Json }> }>>);
  const orgLevel = example.url.pathname.replace(/^\/([^/]+)\/[^/]+\/_apis/, '/$1/_apis');
  // A project-level POST without endpointIds is an old-style create, not "get with refreshed authentication".
  const refresh = example.method !== 'POST' || example.url.searchParams.has('endpointIds');
  const candidates = refresh ? [example.url.pathname, orgLevel] : [orgLevel];
  for (const pathname of candidates) {
    for (const [template, ops] of paths) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`, 'i');
      const schema = ops[example.method.toLowerCase()]?.responses['200']?.schema;
      if (pattern.test(pathname) && ops[example.method.toLowerCase()]) {
        if (!schema) return undefined;
        const rewritten = JSON.parse(JSON.stringify(schema).replace(/"#\/definitions\//g, '"spec#/definitions/')) as Json;
        return ajv.compile(rewritten);
      }
    }
  }
  throw new Error(`${example.file}: no operation in the spec matches ${example.method} ${example.url.pathname}`);
}

const isEndpoint = (v: unknown): v is ServiceEndpoint => Boolean(v && typeof v === 'object' && 'id' in v && 'type' in v);

/** A seed holding what the exchange presupposes, built from the example's own request and response. */
function seedFor(example: Example): unknown {
  const [, org = '', second = '', third = '', , , sixth = ''] = example.url.pathname.split('/');
  const projects = new Map<string, { id: string; name: string }>();
  const addProject = (id: string | undefined, name: string | undefined): void => {
    const key = (id ?? guidFrom(name ?? '')).toLowerCase();
    if (!projects.has(key)) projects.set(key, { id: id ?? guidFrom(name ?? ''), name: name ?? `Project-${key.slice(0, 8)}` });
  };
  const text = JSON.stringify([example.params.body, example.body]);
  for (const m of text.matchAll(/"projectReference":\{"id":"([^"]+)","name":"([^"]+)"\}/g)) addProject(m[1], m[2]);
  const urlProject = third.toLowerCase() === '_apis' ? decodeURIComponent(second) : undefined;
  if (urlProject && ![...projects.values()].some((p) => p.id.toLowerCase() === urlProject.toLowerCase() || p.name === urlProject)) {
    addProject(GUID.test(urlProject) ? urlProject : undefined, GUID.test(urlProject) ? undefined : urlProject);
  }
  addProject(undefined, 'OriginProject');
  const home = [...projects.values()].find((p) => p.id === urlProject || p.name === urlProject)
    ?? [...projects.values()].find((p) => p.id === String(example.params.projectIds)) ?? (projects.get(guidFrom('OriginProject')) as { id: string; name: string });
  const refTo = (p: { id: string; name: string }, name: string) => [{ projectReference: p, name }];
  const stored = (e: ServiceEndpoint): ServiceEndpoint => ({
    ...e,
    authorization: e.authorization?.parameters
      // A null in an answer is a secret the service holds but hides: store one, so the emulator must hide it too.
      ? { scheme: e.authorization.scheme, parameters: Object.fromEntries(Object.entries(e.authorization.parameters).map(([k, v]) => [k, v ?? 'SEEDSECRET-example'])) }
      : e.authorization,
    // Some examples were recorded in another project than the URL's; the exchange presupposes it is visible there.
    serviceEndpointProjectReferences: [...(e.serviceEndpointProjectReferences ?? []), ...(urlProject && !(e.serviceEndpointProjectReferences ?? []).some((r) => r.projectReference.id === home.id) ? refTo(home, e.name) : [])],
  });
  const found = [example.body, (example.body as Json | undefined)?.value, example.params.body].flat().filter(isEndpoint);
  const endpoints = new Map<string, ServiceEndpoint>();
  if (example.method !== 'POST') for (const e of found) if (!endpoints.has(e.id)) endpoints.set(e.id, stored(e));
  const urlId = example.url.pathname.split('/').find((s) => GUID.test(s) && s.toLowerCase() !== urlProject?.toLowerCase());
  const origin = projects.get(guidFrom('OriginProject')) as { id: string; name: string };
  if (urlId && !endpoints.has(urlId)) endpoints.set(urlId, { id: urlId, name: 'Seeded', type: 'Generic', serviceEndpointProjectReferences: refTo(example.method === 'PATCH' ? origin : home, 'Seeded') });
  const history = sixth.toLowerCase() === 'executionhistory' ? { [urlId ?? '']: (example.body as Json).value } : {};
  const types = example.url.pathname.toLowerCase().endsWith('/types') ? { endpointTypes: (example.body as Json).value } : {};
  return { organization: org, projects: [...projects.values()], endpoints: [...endpoints.values()], executionHistory: history, ...types };
}

const projection = (e: ServiceEndpoint, method: string) => ({
  name: e.name, type: e.type, scheme: e.authorization?.scheme, parameters: e.authorization?.parameters, isReady: e.isReady,
  ...(method === 'POST' ? {} : { id: e.id, url: e.url, data: e.data }),
});

describe.skipIf(!present)(`conformance with the published examples${present ? '' : ` (skipped: ${specDir} is absent)`}`, () => {
  const { spec, ajv } = present ? compileSpec() : ({} as ReturnType<typeof compileSpec>);
  let emu: DevOpsEmulator | undefined;
  afterEach(async () => emu?.close());

  it.each(present ? examples().map((e) => [e.file, e] as const) : [])('%s', async (_file, example) => {
    emu = await startDevOpsEmulator({ seed: parseSeed(seedFor(example), new ManualClock()), clock: new ManualClock() });
    const url = new URL(example.url.pathname + example.url.search, emu.orgUrl);
    if (example.params['api-version']) url.searchParams.set('api-version', String(example.params['api-version']));
    const headers: Record<string, string> = { Authorization: 'Bearer conformance', 'Content-Type': 'application/json' };
    if (example.params.accept) headers.Accept = String(example.params.accept);
    const body = example.params.body === null || example.params.body === undefined ? undefined : JSON.stringify(example.params.body);
    const res = await fetch(url, { method: example.method, headers, body });
    const text = await res.text();
    expect(res.status, text).toBe(example.status);
    if (example.status !== 200) return;
    expect(text).not.toContain('SEEDSECRET-');
    const actual = JSON.parse(text) as Json;
    const validate = responseValidator(spec, ajv, example);
    const wrappedList = Array.isArray((example.body as Json).value);
    if (wrappedList) expect(actual.count).toBe((actual.value as unknown[]).length);
    const payload = wrappedList ? actual.value : actual;
    if (validate) expect(validate(payload), ajv.errorsText(validate.errors)).toBe(true);
    const expected = wrappedList ? ((example.body as Json).value as unknown[]) : [example.body];
    const got = wrappedList ? (payload as unknown[]) : [payload];
    if (example.file.startsWith('executionhistory')) {
      expect(got).toEqual(expected);
    } else {
      expect(got.map((e) => projection(e as ServiceEndpoint, example.method))).toEqual(expected.map((e) => projection(e as ServiceEndpoint, example.method)));
    }
  });

  it('answers the demo seed and the built-in type catalogue in the spec\'s shapes too', async () => {
    const clock = new ManualClock();
    emu = await startDevOpsEmulator({ seed: await loadSeed(DEMO_SEED_PATH, clock), clock });
    const ref = (name: string) => ajv.compile({ type: 'array', items: { $ref: `spec#/definitions/${name}` } });
    for (const project of ['Payments', 'Platform', 'Data%20Science']) {
      const list = await callEmulator<{ value: unknown[] }>(emu.orgUrl, `/${project}/_apis/serviceendpoint/endpoints?includeFailed=true`);
      const validate = ref('ServiceEndpoint');
      expect(validate(list.body.value), ajv.errorsText(validate.errors)).toBe(true);
    }
    const types = await callEmulator<{ value: unknown[] }>(emu.orgUrl, '/_apis/serviceendpoint/types', { version: '7.2-preview.1' });
    const validateTypes = ref('ServiceEndpointType');
    expect(validateTypes(types.body.value), ajv.errorsText(validateTypes.errors)).toBe(true);
  });
});
