import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFailed, usesRetiringIssuer, creationMode, type ServiceEndpoint } from '../../src/domain/endpoint';
import { secretValuesOf } from '../../src/domain/redaction';
import { DEMO_SEED_PATH, loadSeed, ManualClock, parseSeed, type Seed } from '@scbot/stand-ins';

const clock = new ManualClock('2026-11-01T12:00:00.000Z');
const PROJECT = { id: '11111111-1111-1111-1111-111111111111', name: 'P' };
const endpoint = (extra: Partial<ServiceEndpoint> = {}) => ({
  id: '22222222-2222-2222-2222-222222222222', name: 'e', type: 'generic',
  serviceEndpointProjectReferences: [{ projectReference: { id: PROJECT.id }, name: 'e' }], ...extra,
});
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'emulator-seed-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('parseSeed', () => {
  it('resolves ${now±N<unit>} placeholders against the clock, inside longer strings too', () => {
    const seed = parseSeed({
      organization: 'org', projects: [PROJECT],
      endpoints: [endpoint({ data: { a: '${now}', b: '${now+5d}', c: 'until ${now-90m}', d: '${now-30s}' } })],
    }, clock);
    expect(seed.endpoints[0]?.data).toEqual({
      a: '2026-11-01T12:00:00.000Z', b: '2026-11-06T12:00:00.000Z', c: 'until 2026-11-01T10:30:00.000Z', d: '2026-11-01T11:59:30.000Z',
    });
  });

  it('keeps unknown top-level sections and defaults endpoints and history', () => {
    const seed = parseSeed({ organization: 'org', projects: [PROJECT], applications: [{ appId: 'x' }], bot: { name: 'b' } }, clock);
    expect(seed.applications).toEqual([{ appId: 'x' }]);
    expect(seed.bot).toEqual({ name: 'b' });
    expect(seed.endpoints).toEqual([]);
    expect(seed.executionHistory).toEqual({});
  });

  it('explains field errors with their path', () => {
    const bad = { organization: 'org', projects: [PROJECT], endpoints: [endpoint({ id: 'not-a-guid', data: { n: 1 } as never })] };
    expect(() => parseSeed(bad, clock)).toThrow(/Invalid emulator seed[\s\S]*endpoints\[0\]\.id[\s\S]*endpoints\[0\]\.data\.n/);
  });

  it('explains cross-record problems', () => {
    const unknownProject = endpoint({ serviceEndpointProjectReferences: [{ projectReference: { id: '33333333-3333-3333-3333-333333333333' }, name: 'e' }] });
    const seed = { organization: 'org', projects: [PROJECT], endpoints: [endpoint(), endpoint(), unknownProject], executionHistory: { '44444444-4444-4444-4444-444444444444': [] } };
    const message = (() => { try { parseSeed(seed, clock); return ''; } catch (e) { return (e as Error).message; } })();
    expect(message).toMatch(/duplicate id 22222222/);
    expect(message).toMatch(/project 33333333-3333-3333-3333-333333333333 is not in "projects"/);
    expect(message).toMatch(/executionHistory: no endpoint with id 44444444/);
  });
});

describe('loadSeed', () => {
  it('reads a file with a BOM and names the file when it is invalid', async () => {
    const good = path.join(dir, 'good.json');
    await writeFile(good, `\uFEFF${JSON.stringify({ organization: 'org', projects: [PROJECT] })}`);
    expect((await loadSeed(good, clock)).organization).toBe('org');
    const notJson = path.join(dir, 'bad.json');
    await writeFile(notJson, '{ nope');
    await expect(loadSeed(notJson, clock)).rejects.toThrow(/bad\.json: not JSON/);
    const invalid = path.join(dir, 'invalid.json');
    await writeFile(invalid, JSON.stringify({ organization: 'org', projects: [] }));
    await expect(loadSeed(invalid, clock)).rejects.toThrow(/projects[\s\S]*invalid\.json/);
  });
});

describe('the demo seed', () => {
  let seed: Seed;
  beforeAll(async () => {
    seed = await loadSeed(DEMO_SEED_PATH, clock);
  });
  const named = (name: string) => seed.endpoints.find((e) => e.name === name) as ServiceEndpoint;
  const scheme = (e: ServiceEndpoint) => e.authorization?.scheme;

  it('has the size and the cases other features rely on', () => {
    expect(seed.projects.length).toBeGreaterThanOrEqual(3);
    expect(seed.endpoints.length).toBeGreaterThanOrEqual(25);
    const prod = named('sc-prod');
    expect(scheme(prod)).toBe('ServicePrincipal');
    expect(prod.authorization?.parameters?.authenticationType).toBe('spnKey');
    expect(creationMode(prod)).toBe('Automatic');
    expect(prod.isReady).toBe(true);
    expect(prod.serviceEndpointProjectReferences?.map((r) => r.projectReference.name)).toEqual(['Payments']);
    expect(seed.endpoints.some((e) => e.name === 'sc prod — Zürich 🚀')).toBe(true);
  });

  it('covers every kind of connection', () => {
    const e = seed.endpoints;
    expect(e.some((x) => scheme(x) === 'ServicePrincipal' && creationMode(x) === 'Manual' && x.authorization?.parameters?.authenticationType === 'spnCertificate')).toBe(true);
    expect(e.some((x) => scheme(x) === 'ServicePrincipal' && creationMode(x) === 'Manual' && x.authorization?.parameters?.authenticationType === 'spnKey')).toBe(true);
    expect(e.some((x) => scheme(x) === 'WorkloadIdentityFederation' && usesRetiringIssuer(x))).toBe(true);
    expect(e.some((x) => scheme(x) === 'WorkloadIdentityFederation' && !usesRetiringIssuer(x))).toBe(true);
    expect(e.some((x) => scheme(x) === 'ManagedServiceIdentity')).toBe(true);
    expect(e.filter(isFailed).every((x) => (x.operationStatus?.statusMessage ?? '').length > 20)).toBe(true);
    expect(e.filter(isFailed).length).toBeGreaterThanOrEqual(2);
    expect(e.some((x) => x.operationStatus?.state === 'InProgress')).toBe(true);
    for (const type of ['github', 'generic', 'dockerregistry']) expect(e.some((x) => x.type === type)).toBe(true);
    const shared = e.find((x) => (x.serviceEndpointProjectReferences ?? []).length === 2);
    expect(new Set(shared?.serviceEndpointProjectReferences?.map((r) => r.name)).size).toBe(2);
    expect(named('sc-converted').data?.revertSchemeDeadline).toBe('2026-11-06T12:00:00.000Z');
    expect(Object.keys(seed.executionHistory).length).toBeGreaterThanOrEqual(3);
  });

  it('marks every secret value with SEEDSECRET- so leak scans work', () => {
    const secrets = seed.endpoints.flatMap(secretValuesOf);
    expect(secrets.length).toBeGreaterThanOrEqual(20);
    for (const secret of secrets) expect(secret.startsWith('SEEDSECRET-')).toBe(true);
  });
});
