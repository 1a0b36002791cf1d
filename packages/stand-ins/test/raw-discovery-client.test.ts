// A client with no SDK (node fetch only) that discovers the way azure-devops-python-api — and so the Azure CLI —
// does: ResourceAreas for the area's host, one org-wide `OPTIONS {org}/_apis` for the whole location table, then
// per call: location by id → route template with optional segments dropped → negotiated api-version → request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH, loadSeed, ManualClock, startDevOpsEmulator, type DevOpsEmulator } from '../src/index';

interface Location { id: string; area: string; resourceName: string; routeTemplate: string; resourceVersion: number; minVersion: string; maxVersion: string; releasedVersion: string }
const AUTH = { Authorization: 'Basic OnBhdA==', 'X-TFS-FedAuthRedirect': 'Suppress' };

/** The Python client's VssClient, reduced to discovery and one request. */
class RawClient {
  private locations: Location[] | undefined;

  constructor(private readonly baseUrl: string) {}

  static async forArea(orgUrl: string, areaId: string): Promise<RawClient> {
    const res = await fetch(`${orgUrl}/_apis/ResourceAreas`, { headers: { ...AUTH, Accept: 'application/json' } });
    const areas = (await res.json()) as { value: Array<{ id: string; locationUrl: string }> };
    const area = areas.value.find((a) => a.id.toLowerCase() === areaId.toLowerCase());
    if (!area) throw new Error(`resource area ${areaId} not found; the python client would now ask a public SPS host`);
    return new RawClient(area.locationUrl);
  }

  private async table(): Promise<Location[]> {
    if (this.locations) return this.locations;
    const res = await fetch(`${this.baseUrl.replace(/\/$/, '')}/_apis`, { method: 'OPTIONS', headers: { ...AUTH, Accept: 'application/json' } });
    if (res.status !== 200) throw new Error(`OPTIONS _apis answered ${res.status}`);
    this.locations = ((await res.json()) as { value: Location[] }).value;
    return this.locations;
  }

  /** _remove_optional_route_parameters + format_url: segments naming an absent value go; {*x} counts as {x}. */
  static route(template: string, values: Record<string, string>): string {
    return '/' + template.replace(/\{\*/g, '{').split('/')
      .filter((seg) => !/^\{.+\}$/.test(seg) || seg.slice(1, -1) in values)
      .map((seg) => seg.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(values[name] ?? '')))
      .join('/');
  }

  /** _negotiate_request_version. */
  static negotiate(location: Location, requested: string): string | undefined {
    const match = /^(\d+(?:\.\d)?)(-preview(?:\.(\d+))?)?/.exec(requested);
    const version = Number(match?.[1]);
    if (Number(location.minVersion) > version) return undefined;
    if (Number(location.maxVersion) < version) {
      return Number(location.releasedVersion) < Number(location.maxVersion) ? `${location.maxVersion}-preview` : location.maxVersion;
    }
    if (!match?.[2]) return String(version);
    const resource = match[3] === undefined ? '' : `.${Math.min(Number(match[3]), location.resourceVersion)}`;
    return `${match[1]}-preview${resource}`;
  }

  async send<T>(method: string, locationId: string, version: string, values: Record<string, string>, query = '', body?: unknown): Promise<{ status: number; body: T }> {
    const location = (await this.table()).find((l) => l.id === locationId);
    if (!location) throw new Error(`API resource location ${locationId} is not registered on ${this.baseUrl}.`);
    const path = RawClient.route(location.routeTemplate, { ...values, area: location.area, resource: location.resourceName });
    const negotiated = RawClient.negotiate(location, version);
    const headers: Record<string, string> = { ...AUTH, Accept: `application/json;api-version=${negotiated}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
    const res = await fetch(`${this.baseUrl.replace(/\/$/, '')}${path}${query}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as T };
  }
}

let emu: DevOpsEmulator;
beforeAll(async () => {
  const clock = new ManualClock();
  emu = await startDevOpsEmulator({ seed: await loadSeed(DEMO_SEED_PATH, clock), clock });
});
afterAll(async () => emu.close());

describe('a raw-HTTP client that discovers like the official Python client', () => {
  it('lists connections and reads execution history (serviceendpoint area, v5.1 and v7.2 clients)', async () => {
    const se = await RawClient.forArea(emu.orgUrl, '1814ab31-2f4f-4a9f-8761-f4d77dc5a5d7');
    const list = await se.send<{ count: number; value: Array<{ id: string; name: string }> }>('GET', 'e85f1c62-adfc-4b74-b618-11a150fb195e', '5.1-preview.2', { project: 'Payments' }, '?type=azurerm');
    expect(list.status).toBe(200);
    const prod = list.body.value.find((e) => e.name === 'sc-prod');
    expect(prod).toBeDefined();
    const one = await se.send<{ name: string }>('GET', 'e85f1c62-adfc-4b74-b618-11a150fb195e', '7.2-preview.4', { project: 'Payments', endpointId: prod!.id });
    expect(one.body.name).toBe('sc-prod');
    const history = await se.send<{ value: unknown[] }>('GET', '10a16738-9299-4cd1-9a81-fd23ad6200d0', '7.2-preview.1', { project: 'Payments', endpointId: prod!.id }, '?top=5');
    expect(history.body.value).toHaveLength(5);
  });

  it('authorizes a connection for all pipelines as `az devops service-endpoint update --enable-for-all` does (build area)', async () => {
    const build = await RawClient.forArea(emu.orgUrl, '965220d5-5bb9-42cf-8d67-9b146df2a5a4');
    const dev = emu.state.endpoints().find((e) => e.name === 'sc-dev')!;
    const patched = await build.send<{ value: Array<{ id: string; authorized: boolean }> }>('PATCH', '398c85bc-81aa-4822-947c-a194a05f0fef', '5.0-preview.1', { project: 'Payments' }, '',
      [{ authorized: true, id: dev.id, name: dev.name, type: 'endpoint' }]);
    expect(patched.status).toBe(200);
    const read = await build.send<{ value: Array<{ id: string }> }>('GET', '398c85bc-81aa-4822-947c-a194a05f0fef', '5.0-preview.1', { project: 'Payments' }, `?type=endpoint&id=${dev.id}`);
    expect(read.body.value).toHaveLength(1);
    const definitions = await build.send<{ value: Array<{ name: string }> }>('GET', 'dbeaf647-6167-421a-bda9-c9327b25e2e6', '5.0-preview.7', { project: 'Payments' });
    expect(definitions.body.value.map((d) => d.name)).toContain('payments-deploy');
  });

  it('reads pipeline permissions and connection roles through the same table', async () => {
    const permissions = await RawClient.forArea(emu.orgUrl, 'a81a0441-de52-4000-aa15-ff0e07bfbbaa');
    const staging = emu.state.endpoints().find((e) => e.name === 'sc-staging')!;
    const perms = await permissions.send<{ allPipelines?: { authorized: boolean } }>('GET', 'b5b9a4a4-e6cd-4096-853c-ab7d8b0c4eb2', '6.0-preview.1', { project: 'Payments', resourceType: 'endpoint', resourceId: staging.id });
    expect(perms.body.allPipelines?.authorized).toBe(true);
    const roles = new RawClient(`${emu.orgUrl}/`);
    const prod = emu.state.endpoints().find((e) => e.name === 'sc-prod')!;
    const assigned = await roles.send<{ count: number }>('GET', '9461c234-c84c-4ed2-b918-2f0f92ad0a35', '3.2-preview.1',
      { scopeId: 'distributedtask.serviceendpointrole', resourceId: `7d580254-36c2-5bda-9608-ea9bb037b823_${prod.id}` });
    // Three assigned on the connection, one inherited from the project ([Payments]\Endpoint Administrators).
    expect(assigned.body.count).toBe(4);
  });

  it('keeps what the route and negotiation rules promise', () => {
    expect(RawClient.route('{project}/_apis/{area}/{resource}/{endpointId}', { project: 'P', area: 'a', resource: 'r' })).toBe('/P/_apis/a/r');
    expect(RawClient.route('_apis/{resource}/{*projectId}', { resource: 'projects', projectId: 'x y' })).toBe('/_apis/projects/x%20y');
    const loc = { resourceVersion: 4, minVersion: '1.0', maxVersion: '7.2', releasedVersion: '7.1' } as Location;
    expect(RawClient.negotiate(loc, '7.2-preview.9')).toBe('7.2-preview.4');
    expect(RawClient.negotiate(loc, '8.0')).toBe('7.2-preview');
    expect(RawClient.negotiate(loc, '5.0-preview.1')).toBe('5.0-preview.1');
  });
});
