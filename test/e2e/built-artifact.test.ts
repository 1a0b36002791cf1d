/**
 * The production artifact, as the Dockerfile makes it (issue 23): a clean copy of the sources, `npm run build`,
 * `npm ci --omit=dev` with the stand-ins workspace left out, then `node dist/bot/main.js` as uid 1000 (when this
 * test runs as root). It is started in Azure mode exactly as infra/azure.bicep configures App Service: the bot a
 * user-assigned managed identity (MicrosoftAppType=UserAssignedMSI), Azure DevOps reached with that identity
 * (AZURE_DEVOPS_CREDENTIAL=managed-identity, through App Service's IDENTITY_ENDPOINT), the shared table store.
 * Everything it talks to is local: the cloud of `npm run cloud` (Azure DevOps, Entra and its managed identity
 * endpoint), Bot Framework OpenID metadata and a Bot Connector over https (stand-ins), Azurite. Inbound tokens are
 * real RS256 channel tokens checked by botbuilder; the only test settings are botbuilder's own endpoint settings
 * and NODE_EXTRA_CA_CERTS for the stand-ins' self-signed certificates.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLocalCloud, generateLocalhostCertificate, type ConnectedCloud } from '@scbot/stand-ins';
import { ConnectorStandIn, startBotFrameworkOpenIdStandIn, type BotFrameworkOpenIdStandIn, type ConnectorCall } from '@scbot/stand-ins/botframework';
import { channelMention, TENANT_ID } from '../support/activities';
import { startAzuriteTables, type AzuriteTables } from '../support/azurite';
import { buildImageWithoutDocker, type BuiltImage } from '../support/dockerfile';
import { freePort } from '../support/free-port';

const REQUESTER = { id: '29:artifact-requester', name: 'Rae Requester', aadObjectId: 'aaaaaaaa-0000-4000-8000-0000000000a1' };
const APPROVER = { id: '29:artifact-approver', name: 'Avi Approver', aadObjectId: 'bbbbbbbb-0000-4000-8000-0000000000b1' };
/** The uid of the `node` user of the official Node images (the Dockerfile's USER node). */
const NODE_UID = 1000;

let image: BuiltImage;
let dir = '';
let cloudProcess: ChildProcess | undefined;
let cloud: ConnectedCloud;
let openId: BotFrameworkOpenIdStandIn;
let connector: ConnectorStandIn;
let azurite: AzuriteTables;
let bot: ChildProcess | undefined;
let botUrl = '';
let port = 0;
let stderr = '';
const logLines: string[] = [];

function waitForLine(child: ChildProcess, wanted: (line: string) => boolean, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      logLines.push(line);
      if (wanted(line)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready: ${stderr}`)));
  });
}

/** Polls until `found` returns a value; the test's timeout bounds it. */
async function until<T>(found: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await found();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function startCloud(): Promise<void> {
  const descriptor = path.join(dir, 'cloud.json');
  cloudProcess = spawn('npm', ['run', '--silent', 'cloud', '--', '--descriptor', descriptor, '--devops-https'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  await waitForLine(cloudProcess, (line) => line === 'local cloud ready', 'npm run cloud');
  cloud = await connectLocalCloud(descriptor);
}

/** The settings App Service gets from infra/azure.bicep, pointed at the local stand-ins. */
function azureModeEnv(caFile: string): Record<string, string> {
  const { bot: identity, devops, entra, managedIdentity } = cloud;
  return {
    ...image.env, PATH: process.env.PATH ?? '', HOME: dir, PORT: String(port), LOG_FORMAT: 'json', LOG_LEVEL: 'info',
    MicrosoftAppId: identity.appId, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: identity.tenantId,
    AZURE_DEVOPS_ORG_URL: devops.orgUrl, AZURE_DEVOPS_CREDENTIAL: 'managed-identity', AZURE_CLIENT_ID: identity.appId,
    SCBOT_STORAGE_CONNECTION_STRING: azurite.connectionString, SCBOT_STORAGE_TABLE: 'artifact',
    SCBOT_REQUESTER_IDS: REQUESTER.aadObjectId, SCBOT_APPROVER_IDS: APPROVER.aadObjectId, SCBOT_CHANGE_CONVERSATIONS: '*', SCBOT_ALLOWED_TENANTS: TENANT_ID,
    SCBOT_ALERT_SCAN_MINUTES: '0', SCBOT_RETENTION_SWEEP_MINUTES: '0',
    BOT_ALLOWED_SERVICE_URL_HOSTS: new URL(connector.serviceUrl).host,
    // App Service's managed identity endpoint, as the platform sets it for the process.
    IDENTITY_ENDPOINT: managedIdentity.endpoint, IDENTITY_HEADER: managedIdentity.header,
    // botbuilder's settings for a Bot Framework outside the public cloud.
    ToBotFromChannelOpenIdMetadataUrl: openId.metadataUrl, ToBotFromChannelTokenIssuer: openId.issuer, ToBotFromEmulatorOpenIdMetadataUrl: openId.metadataUrl,
    ToChannelFromBotLoginUrl: `${entra.authorityHost}/${entra.tenantId}`, ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    OAuthUrl: 'https://token.botframework.invalid', ValidateAuthority: 'false', CallerId: 'urn:botframework:azure',
    NODE_EXTRA_CA_CERTS: caFile,
  };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'scbot-artifact-'));
  image = await buildImageWithoutDocker(process.cwd());
  await startCloud();
  openId = await startBotFrameworkOpenIdStandIn({ endorsements: ['msteams'] });
  const tls = await generateLocalhostCertificate('bot connector stand-in');
  connector = new ConnectorStandIn({ tls });
  await connector.start();
  azurite = await startAzuriteTables();
  // Certificates are public: readable by the image's user, unlike the cloud's 0600 files.
  const caFile = path.join(image.dir, '..', 'stand-ins-ca.pem');
  await writeFile(caFile, `${cloud.trust.caCertificatePem}\n${tls.certPem}\n`, { mode: 0o644 });
  port = await freePort();
  botUrl = `http://127.0.0.1:${port}`;
  const asImageUser = image.user === 'node' && process.getuid?.() === 0 ? { uid: NODE_UID, gid: NODE_UID } : {};
  const [command = 'node', ...args] = image.cmd;
  bot = spawn(command, args, { cwd: image.dir, env: azureModeEnv(caFile), stdio: ['ignore', 'pipe', 'pipe'], ...asImageUser });
  bot.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  await waitForLine(bot, (line) => line.includes('"msg":"scbot listening"') && line.includes('"url"'), 'the built bot');
}, 300_000);

afterAll(async () => {
  if (bot && bot.exitCode === null) {
    const exited = new Promise((resolve) => bot?.once('exit', resolve));
    bot.kill('SIGKILL');
    await exited;
  }
  await connector?.close();
  await openId?.close();
  await azurite?.stop();
  if (cloudProcess?.pid && cloudProcess.exitCode === null) {
    const exited = new Promise((resolve) => cloudProcess?.once('exit', resolve));
    process.kill(-cloudProcess.pid, 'SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
  if (image) await rm(path.dirname(image.dir), { recursive: true, force: true });
});

async function post(activity: object): Promise<Response> {
  const token = await openId.mint({ appId: cloud.bot.appId, serviceUrl: connector.serviceUrl, issuedAt: new Date() });
  return fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(activity) });
}

function say(command: string, from: typeof REQUESTER, conversationId: string) {
  return { ...channelMention(command, { serviceUrl: connector.serviceUrl, conversationId }), from: { ...from } };
}

const claimsOf = (call: ConnectorCall | undefined) => JSON.parse(Buffer.from(call?.authorization?.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe('the built artifact (Dockerfile steps) in Azure mode', () => {
  it('holds only production dependencies and the Azure-mode code', async () => {
    for (const devOnly of ['tsx', 'esbuild', '@scbot/stand-ins', '@microsoft/m365agentsplayground', 'vitest', 'typescript']) {
      expect(existsSync(path.join(image.dir, 'node_modules', devOnly)), devOnly).toBe(false);
    }
    expect(existsSync(path.join(image.dir, 'packages'))).toBe(false);
    const built = await readFile(path.join(image.dir, 'dist/bot/main.js'), 'utf8');
    expect(built).not.toContain('@scbot/stand-ins');
    expect(built).not.toContain('m365agentsplayground');
  });

  it('answers its HEALTHCHECK and starts without a warning', () => {
    const [command = 'node', ...args] = image.healthcheck;
    const probe = spawnSync(command, args, { env: { PATH: process.env.PATH ?? '', PORT: String(port) }, encoding: 'utf8' });
    expect(probe.status).toBe(0);
    expect(stderr).toBe('');
  });

  it('refuses an activity without a Bot Connector token', async () => {
    const activity = say('list', REQUESTER, `19:artifact-${randomUUID()}@thread.tacv2`);
    const response = await fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(response.status).toBe(401);
  });

  it('answers `list` from Azure DevOps, read with its managed identity, and replies with the managed identity\'s token', async () => {
    const conversationId = `19:artifact-${randomUUID()}@thread.tacv2`;
    const replies = connector.nextReplies(conversationId);
    expect((await post(say('list', REQUESTER, conversationId))).status).toBe(200);
    const [reply] = await replies;
    expect(JSON.stringify(reply?.body)).toContain('sc-prod');
    // The Bot Framework takes v1.0 tokens: the sts.windows.net issuer, the client in `appid`.
    expect(claimsOf(reply)).toMatchObject({ appid: cloud.bot.appId, aud: 'https://api.botframework.com', iss: `https://sts.windows.net/${cloud.entra.tenantId}/`, ver: '1.0' });
    const served = await cloud.requests();
    expect(served.some((r) => r.method === 'GET' && /\/_apis\/serviceendpoint\/endpoints$/i.test(r.path))).toBe(true);
  });

  it('runs `convert sc-prod` after a second person approves, and exits 0 on SIGTERM', async () => {
    const conversationId = `19:artifact-${randomUUID()}@thread.tacv2;messageid=1`;
    const replies = connector.nextReplies(conversationId);
    expect((await post(say('convert sc-prod', REQUESTER, conversationId))).status).toBe(200);
    const [preview] = await replies;
    const card = (preview?.body.attachments as Array<{ content: { actions: Array<{ verb?: string; data?: unknown }> } }>)[0]?.content;
    const data = card?.actions.find((a) => a.verb === 'approve')?.data;
    expect(data).toBeDefined();
    const tap = {
      ...say('', APPROVER, conversationId), type: 'invoke', name: 'adaptiveCard/action', text: undefined, entities: undefined,
      replyToId: preview?.body.id ?? 'card', value: { action: { type: 'Action.Execute', verb: 'approve', data }, trigger: 'manual' },
    };
    const approved = await post(tap);
    expect(approved.status).toBe(200);
    expect(JSON.stringify(await approved.json())).toContain(APPROVER.name);
    const converted = await until(async () => (await cloud.requests()).find((r) => r.method === 'PUT' && r.query.operation === 'ConvertAuthenticationScheme'));
    expect(converted).toBeDefined();
    await until(() => connector.calls.find((c) => c.conversationId === conversationId && /converted|Done/i.test(JSON.stringify(c.body)) && c !== preview));

    const exited = new Promise<number | null>((resolve) => bot?.once('exit', resolve));
    bot?.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    expect(logLines.join('\n')).not.toContain(cloud.managedIdentity.header);
  });
});
