/**
 * The MCP endpoint end to end: `npm start`'s local stack in-process, driven by the official MCP TypeScript client over
 * Streamable HTTP, with access tokens the Entra stand-in issues as Entra would (an agent's app-only token with the
 * Mcp.Agent role, a person's delegated token with Mcp.Access). Every refusal a client can meet is answered as the MCP
 * authorization spec says: 401 with `WWW-Authenticate` naming the protected resource metadata.
 */
import { randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { LocalStack } from '../../bot/local-mode';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { closeLocalStack, startLocalStack } from '../support/local-stack';
import { StoreAuditLog } from '../../src/audit/store-audit-log';
import { isFailed, type ServiceEndpoint } from '../../src/domain/endpoint';

const AGENT = { appId: randomUUID(), servicePrincipalId: randomUUID(), displayName: 'fixer agent' };
const UNGRANTED = { appId: randomUUID(), servicePrincipalId: randomUUID(), displayName: 'agent without the role' };
const CLIENT = { appId: randomUUID(), servicePrincipalId: randomUUID(), displayName: 'Visual Studio Code (local)' };
const PERSON = { objectId: randomUUID(), displayName: 'Dana Ops' };

let stack: LocalStack;
let connector: ConnectorStandIn;
let mcpUrl: string;

beforeAll(async () => {
  ({ stack, connector } = await startLocalStack());
  mcpUrl = stack.mcpUrl!;
  for (const app of [AGENT, UNGRANTED, CLIENT]) stack.entra.registry.registerApplication(app);
  stack.entra.registry.apiRoles.grant(AGENT.appId, stack.localIdentity.clientId, ['Mcp.Agent']);
});
afterAll(() => closeLocalStack(stack, connector));

const audience = () => `api://${stack.localIdentity.clientId}`;
const agentToken = (options: { issuedAt?: Date; lifetimeSeconds?: number; app?: typeof AGENT; audience?: string } = {}) =>
  stack.entra.issueToken({ clientAppId: (options.app ?? AGENT).appId, audience: options.audience ?? audience(), ...options });
const personToken = (scopes: string[]) =>
  stack.entra.issueToken({ clientAppId: CLIENT.appId, audience: audience(), user: { objectId: PERSON.objectId, displayName: PERSON.displayName, scopes } });

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'scbot-e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

const initialize = (token?: string) => fetch(mcpUrl, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
});

describe('MCP endpoint: tools for agents', () => {
  it('lists the read tools, then the propose tools, with their schemas and truthful annotations', async () => {
    const client = await connect(await agentToken());
    const { tools: all } = await client.listTools();
    expect(all.map((t) => t.name)).toEqual(['list_connections', 'show_connection', 'access_connection', 'list_findings', 'get_plan',
      'propose_rotate', 'propose_delete', 'propose_convert', 'propose_revert', 'propose_enable', 'propose_restrict', 'propose_authorize', 'propose_share',
      'propose_unshare', 'propose_migrate_issuer', 'propose_create']);
    const tools = all.filter((t) => !t.name.startsWith('propose_'));
    const list = tools.find((t) => t.name === 'list_connections')!;
    expect(list.inputSchema.properties).toMatchObject({ filter: { enum: ['usable', 'failed', 'disabled', 'all'] }, project: { type: 'string' }, page: { type: 'integer' } });
    expect(list.outputSchema?.properties).toHaveProperty('connections');
    for (const tool of tools) expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    await client.close();
  });

  it('list_connections with failed answers structured rows and a short text; the call is audited with the agent', async () => {
    const client = await connect(await agentToken());
    const result = await client.callTool({ name: 'list_connections', arguments: { filter: 'failed' } });
    expect(result.isError).toBeFalsy();
    const value = result.structuredContent as { total: number; connections: Array<{ id: string; name: string; state: string }> };
    const failed = stack.cloud.devops.state.endpoints().filter((e) => isFailed(e as ServiceEndpoint));
    expect(value.total).toBeGreaterThan(0);
    expect(value.connections.every((c) => c.state === 'Failed')).toBe(true);
    expect(new Set(value.connections.map((c) => c.id))).toEqual(new Set(failed.map((e) => e.id)));
    expect((result.content as Array<{ text: string }>)[0]!.text).toMatch(/^\d+ failed connections? in \d+ projects?; page 1 of 1\.$/);
    await client.close();
    const events = await new StoreAuditLog(stack.store).query();
    expect(events.find((e) => e.kind === 'called' && e.command === 'mcp list_connections')?.actor).toMatchObject({ id: `mcp:${AGENT.servicePrincipalId}`, aadObjectId: AGENT.servicePrincipalId, appId: AGENT.appId });
  });

  it('show_connection names a connection without a secret; an unknown one is a tool error that says what to ask', async () => {
    const client = await connect(await agentToken());
    const shown = await client.callTool({ name: 'show_connection', arguments: { name: 'sc-prod' } });
    expect(shown.structuredContent).toMatchObject({ name: 'sc-prod' });
    expect(JSON.stringify(shown)).not.toMatch(/serviceprincipalkey|secret-value/i);
    const unknown = await client.callTool({ name: 'show_connection', arguments: { name: 'no-such-connection' } });
    expect(unknown.isError).toBe(true);
    await client.close();
  });

  it('get_plan: an id that names no plan is a tool error, not a failure', async () => {
    const client = await connect(await agentToken());
    const result = await client.callTool({ name: 'get_plan', arguments: { planId: 'P-AAAAAAAA' } });
    expect(result.isError).toBe(true);
    expect((result.content as Array<{ text: string }>)[0]!.text).toContain('No plan has the id P-AAAAAAAA');
    await client.close();
  });

  it('a person signed in through a client (delegated token with Mcp.Access) may read too', async () => {
    const client = await connect(await personToken(['Mcp.Access']));
    const result = await client.callTool({ name: 'list_connections', arguments: {} });
    expect(result.isError).toBeFalsy();
    await client.close();
  });
});

describe('MCP endpoint: authentication (the MCP authorization spec)', () => {
  const metadataUrl = () => `${new URL(mcpUrl).origin}/.well-known/oauth-protected-resource/mcp`;

  it('publishes its protected resource metadata: the resource, the tenant as authorization server, the scope', async () => {
    for (const url of [metadataUrl(), `${new URL(mcpUrl).origin}/.well-known/oauth-protected-resource`]) {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        resource: mcpUrl, authorization_servers: [`${stack.entra.authorityHost}/${stack.localIdentity.tenantId}/v2.0`],
        scopes_supported: [`${audience()}/Mcp.Access`], bearer_methods_supported: ['header'], resource_name: expect.any(String),
      });
    }
  });

  it.each([
    ['no token', async () => undefined, undefined],
    ['an expired token', async () => agentToken({ issuedAt: new Date(Date.now() - 3 * 3_600_000), lifetimeSeconds: 3_600 }), 'invalid_token'],
    ['a token for another audience (Azure DevOps)', async () => agentToken({ audience: '499b84ac-1321-427f-aa17-267ca6975798' }), 'invalid_token'],
    ['a forged token (right claims, signed by another key)', forgedToken, 'invalid_token'],
    ['not a JWT at all', async () => 'not-a-token', 'invalid_token'],
  ])('%s: 401 with WWW-Authenticate pointing at the metadata, nothing run', async (_label, token, error) => {
    const response = await initialize(await token());
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain(`resource_metadata="${metadataUrl()}"`);
    if (error) expect(challenge).toContain(`error="${error}"`);
    const body = (await response.json()) as { referenceId: string };
    expect(body.referenceId).toMatch(/^R-[A-Z0-9]{8}$/);
  });

  it('a valid token without the role or scope: 403 insufficient_scope, naming the scope to ask for', async () => {
    for (const token of [await agentToken({ app: UNGRANTED }), await personToken(['User.Read'])]) {
      const response = await initialize(token);
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toContain(`error="insufficient_scope", scope="${audience()}/Mcp.Access"`);
    }
  });

  it('is stateless: GET and DELETE with a valid token are 405 (no stream, no session); without one, 401 first', async () => {
    const token = await agentToken();
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(mcpUrl, { method, headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expect((await fetch(mcpUrl, { method })).status).toBe(401);
    }
  });

  it('the official client, given no token, fails on the 401 (it would start sign-in from the metadata)', async () => {
    const client = new Client({ name: 'scbot-e2e', version: '1.0.0' });
    await expect(client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)))).rejects.toThrow();
  });
});

/** The claims the stand-in would issue, signed by a key that is not the tenant's (same kid as the real one). */
async function forgedToken(): Promise<string> {
  const real = await agentToken();
  const [header, payload] = real.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part!, 'base64url').toString()) as Record<string, unknown>);
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT(payload!).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: String(header!.kid) }).sign(privateKey);
}
