import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { getBearerHandler, WebApi } from 'azure-devops-node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SEED_PATH } from '../src/index';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
let child: ChildProcess | undefined;
/**
 * Node with tsx as a loader, not the tsx CLI: the CLI is a second process that relays signals to the script, and on
 * a loaded machine (a full parallel run) a SIGTERM sent right after start-up ended the relay itself (exit 143).
 */
const TSX = ['--import', 'tsx'];

function firstLine(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    proc.once('exit', (code) => reject(new Error(`emulator exited with ${code} before printing`)));
  });
}

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

describe('emulator CLI', () => {
  it('prints the real port for --port 0, serves the seed, and exits cleanly on SIGTERM', async () => {
    child = spawn(process.execPath, [...TSX, 'packages/stand-ins/src/cli.ts', '--port', '0', '--seed', DEMO_SEED_PATH], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await firstLine(child);
    const match = /^emulator listening at http:\/\/127\.0\.0\.1:(\d+)\/contoso$/.exec(line);
    expect(match, line).not.toBeNull();
    expect(Number(match?.[1])).toBeGreaterThan(0);
    const res = await fetch(`${line.replace('emulator listening at ', '')}/_apis/projects`, { headers: { Authorization: 'Bearer x' } });
    expect(res.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('is asynchronous by default: an Automatic azurerm create answers InProgress, and is Ready later (azure-devops-node-api)', async () => {
    // Facts §7.2: "While an Automatic create is running: isReady:false, operationStatus.state:"InProgress"; terminal
    // states Ready / Failed" (terraform-provider-azuredevops serviceendpoint/commons.go polls for it).
    child = spawn(process.execPath, [...TSX, 'packages/stand-ins/src/cli.ts', '--port', '0', '--seed', DEMO_SEED_PATH], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const orgUrl = (await firstLine(child)).replace('emulator listening at ', '');
    const endpoints = await new WebApi(orgUrl, getBearerHandler('x')).getServiceEndpointApi();
    const created = await endpoints.createServiceEndpoint({
      name: 'sc-cli-auto', type: 'azurerm', url: 'https://management.azure.com/',
      data: { creationMode: 'Automatic', scopeLevel: 'Subscription', subscriptionId: '2f4b8a3c-6d1e-4f7a-9b2c-5e8d0a1f3c47', subscriptionName: 'Payments' },
      authorization: { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: '72f988bf-86f1-41af-91ab-2d7cd011db47' } },
      serviceEndpointProjectReferences: [{ projectReference: { id: '7d580254-36c2-5bda-9608-ea9bb037b823', name: 'Payments' }, name: 'sc-cli-auto' }],
    });
    expect(created).toMatchObject({ isReady: false, operationStatus: { state: 'InProgress' } });
    // Polled as a client would; the emulator's default delay is short, the bound only stops a broken emulator.
    let state = created.operationStatus?.state;
    for (let polls = 0; state === 'InProgress' && polls < 100; polls += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = (await endpoints.getServiceEndpointDetails('Payments', created.id ?? ''))?.operationStatus?.state;
    }
    expect(state).toBe('Ready');
  });

  it('fails with a readable message for a bad seed file', async () => {
    child = spawn(process.execPath, [...TSX, 'packages/stand-ins/src/cli.ts', '--port', '0', '--seed', path.join(repoRoot, 'package.json')], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const code = await new Promise<number | null>((resolve) => child?.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(stderr).toMatch(/Invalid emulator seed[\s\S]*organization/);
  });
});
