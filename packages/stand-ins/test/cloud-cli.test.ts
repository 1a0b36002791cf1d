// `npm run cloud` as the crash drill uses it: a child process, a descriptor file, and clients in this process that
// know only that file — the real azure-devops-node-api client with a token @azure/identity got from the Entra stand-in.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { rootCertificates } from 'node:tls';
import { ClientSecretCredential } from '@azure/identity';
import { getBearerHandler, WebApi } from 'azure-devops-node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLocalCloud, type ConnectedCloud } from '../src/index';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const DEVOPS_SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';
let child: ChildProcess | undefined;
let dir = '';
let cloud: ConnectedCloud;

function readyLine(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      if (line !== 'local cloud ready') return;
      lines.close();
      resolve(line);
    });
    proc.once('exit', (code) => reject(new Error(`cloud exited with ${code} before it was ready: ${stderr}`)));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'stand-ins-cloud-'));
  const descriptor = path.join(dir, 'cloud.json');
  child = spawn('npm', ['run', '--silent', 'cloud', '--', '--descriptor', descriptor, '--latency-ms', '1'], {
    cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  await readyLine(child);
  cloud = await connectLocalCloud(descriptor);
}, 60_000);

afterAll(async () => {
  // npm runs tsx in a child of its own: signal the whole group this test started.
  if (child?.pid && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
});

async function devopsClient(): Promise<WebApi> {
  const { identityConfig: id, trust } = cloud;
  const credential = new ClientSecretCredential(id.tenantId, id.clientId, id.clientSecret, {
    authorityHost: id.authorityHost, disableInstanceDiscovery: true,
    agent: new Agent({ ca: [...rootCertificates, trust.caCertificatePem] }),
  });
  const token = await credential.getToken(DEVOPS_SCOPE);
  return new WebApi(cloud.devops.orgUrl, getBearerHandler(token.token));
}

describe('npm run cloud', () => {
  it('writes a descriptor with the endpoints, and keeps the secret and CA beside it for the owner only', async () => {
    expect(cloud.descriptor.orgUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/contoso$/);
    expect(cloud.descriptor.authorityHost).toMatch(/^https:\/\/localhost:\d+$/);
    expect(cloud.descriptor.keyVaultUrlTemplate).toContain('{vault}');
    expect(cloud.trust.caCertificatePem).toContain('BEGIN CERTIFICATE');
    expect(JSON.stringify(cloud.descriptor)).not.toContain(cloud.bot.clientSecret);
    for (const name of [cloud.descriptor.bot.clientSecretFile, cloud.descriptor.caCertificateFile, 'cloud.json']) {
      expect(((await stat(path.join(dir, name))).mode & 0o777).toString(8)).toBe('600');
    }
  });

  it('answers the real client with a token from its Entra stand-in, and lists what it served', async () => {
    const api = await devopsClient();
    const projects = await (await api.getCoreApi()).getProjects();
    expect(projects.map((p) => p.name)).toContain('Payments');
    const endpoints = await (await api.getServiceEndpointApi()).getServiceEndpoints('Payments');
    expect(endpoints.length).toBeGreaterThan(0);

    const served = await cloud.requests();
    const endpointList = served.find((r) => r.method === 'GET' && /\/Payments\/_apis\/serviceendpoint\/endpoints$/i.test(r.path));
    expect(endpointList, JSON.stringify(served)).toBeDefined();
    expect(typeof endpointList?.query).toBe('object');
    expect(Object.values(endpointList?.query ?? {}).every((v) => typeof v === 'string')).toBe(true);
    const projectIndex = served.findIndex((r) => /\/_apis\/projects$/i.test(r.path));
    expect(projectIndex).toBeGreaterThanOrEqual(0);
    expect(projectIndex).toBeLessThan(served.indexOf(endpointList!));
    expect(served.some((r) => r.path.includes('_emulator'))).toBe(false);
  });

  it('refuses a token the Entra stand-in did not issue', async () => {
    const api = new WebApi(cloud.devops.orgUrl, getBearerHandler('not-a-token'));
    await expect((async () => (await api.getCoreApi()).getProjects())()).rejects.toThrow(/TF400813/);
  });
});
