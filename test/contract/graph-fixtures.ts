import { request as httpsRequest } from 'node:https';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logging';
import { parseSeed, type Seed } from '@scbot/stand-ins';
import { ManualClock, type Clock } from '@scbot/stand-ins';

/** Shared by the graph-*, keyvault-* and local-cloud suites: a small seed with the identity sections, a log capture. */

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const PROJECT = { id: 'a0000000-0000-4000-8000-000000000001', name: 'Fabrikam' };
export const BOT = { appId: 'b0000000-0000-4000-8000-000000000001', objectId: 'b0000000-0000-4000-8000-000000000002', tenantId: TENANT };
export const OTHER_OWNER = 'c0000000-0000-4000-8000-000000000009';

export const APP_MANUAL = { appId: 'd0000000-0000-4000-8000-00000000000a', objectId: 'd0000000-0000-4000-8000-0000000000a0', secret: 'SEEDSECRET-manual-1' };
export const APP_AUTO = { appId: 'd0000000-0000-4000-8000-00000000000b', objectId: 'd0000000-0000-4000-8000-0000000000b0', secret: 'SEEDSECRET-auto-1' };
export const APP_FOREIGN = { appId: 'd0000000-0000-4000-8000-00000000000c', objectId: 'd0000000-0000-4000-8000-0000000000c0', secret: 'SEEDSECRET-foreign-1' };
export const ENDPOINT_MANUAL = 'e0000000-0000-4000-8000-00000000000a';
export const ENDPOINT_AUTO = 'e0000000-0000-4000-8000-00000000000b';
export const ENDPOINT_FOREIGN = 'e0000000-0000-4000-8000-00000000000c';
export const VAULT = { name: 'kv-test', secret: 'sc-manual-next', value: 'SEEDSECRET-kv-manual-next' };

function endpoint(id: string, name: string, appId: string, secret: string, creationMode: string) {
  return {
    id, name, type: 'azurerm', url: 'https://management.azure.com/', isReady: true,
    authorization: { scheme: 'ServicePrincipal', parameters: { tenantid: TENANT, serviceprincipalid: appId, authenticationType: 'spnKey', serviceprincipalkey: secret } },
    data: { environment: 'AzureCloud', scopeLevel: 'Subscription', subscriptionId: 'f0000000-0000-4000-8000-000000000001', subscriptionName: 'Sub', creationMode },
    serviceEndpointProjectReferences: [{ projectReference: { id: PROJECT.id, name: PROJECT.name }, name }],
  };
}

function application(app: { appId: string; objectId: string; secret: string }, name: string, owners: string[]) {
  return {
    objectId: app.objectId, appId: app.appId, displayName: name, owners,
    passwordCredentials: [{ keyId: app.objectId.replace(/^d/, '9'), displayName: 'seed', secretText: app.secret, startDateTime: '${now-10d}', endDateTime: '${now+300d}' }],
  };
}

export function testSeed(clock: Clock): Seed {
  return parseSeed({
    organization: 'fabrikam',
    projects: [PROJECT],
    endpoints: [
      endpoint(ENDPOINT_MANUAL, 'sc-manual', APP_MANUAL.appId, APP_MANUAL.secret, 'Manual'),
      endpoint(ENDPOINT_AUTO, 'sc-auto', APP_AUTO.appId, APP_AUTO.secret, 'Automatic'),
      endpoint(ENDPOINT_FOREIGN, 'sc-foreign', APP_FOREIGN.appId, APP_FOREIGN.secret, 'Manual'),
    ],
    bot: BOT,
    applications: [
      application(APP_MANUAL, 'sc-manual', [BOT.objectId]),
      application(APP_AUTO, 'sc-auto', [BOT.objectId]),
      application(APP_FOREIGN, 'sc-foreign', [OTHER_OWNER]),
    ],
    keyVaults: { [VAULT.name]: { [VAULT.secret]: { value: VAULT.value, expires: '${now+30d}' } } },
  }, clock);
}

/** A pino logger writing JSON lines into memory, for the canary scans. */
export function capturedLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString('utf8')); done(); } });
  return { logger: createLogger({ level: 'trace', destination }), lines };
}

/** Starts at the real time: @azure/identity stamps expiries on the wall clock. */
export function manualClock(start: Date = new Date()): ManualClock {
  return new ManualClock(start);
}

export interface JsonReply {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

/** One raw https JSON call trusting only the given CA. */
export function jsonCall(url: string, ca: string, options: { method?: string; token?: string; body?: unknown } = {}): Promise<JsonReply> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: options.method ?? 'GET', ca, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
