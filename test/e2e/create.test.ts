/**
 * create over HTTP, end to end: Bot Framework activities in, the real command, planner, approval and executor, the
 * real adapters against the local cloud (Azure DevOps create and endpoint proxy, Graph apps and federated
 * credentials, ARM managed identities and role assignments), replies and card updates out to a connector stand-in.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHANGE_SETTINGS } from '../../src/commands';
import { textBlocksOf as textOf } from '../support/adaptive-cards';
import { startPlanChat, type PlanChat, type PlanChatSession } from '../support/plan-chat';
import { BOT, HARNESS_TUNING, PROJECT, startHarness, SUBSCRIPTION, TENANT, type Harness } from './operations-harness';

const ENTRA = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const DEPLOYER = 'd7000000-0000-4000-8000-000000000001';
const FOREIGN = 'd7000000-0000-4000-8000-000000000002';
const MI = { clientId: 'd7000000-0000-4000-8000-000000000003', principalId: 'd7000000-0000-4000-8000-000000000004' };
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';

let h: Harness;
let session: PlanChatSession;
let chat: PlanChat;

beforeAll(async () => {
  h = await startHarness([{ n: 1, name: 'sc-taken' }], {
    pipelines: [{ id: 10, name: 'payments-ci', project: PROJECT.name }, { id: 11, name: 'nightly', project: PROJECT.name }],
  });
  h.cloud.graph.registry.registerApplication({ appId: DEPLOYER, displayName: 'payments-deployer', owners: [BOT.objectId] });
  h.cloud.graph.registry.registerApplication({ appId: FOREIGN, displayName: 'someone-elses', owners: [] });
  h.cloud.arm.store.addIdentity({ subscriptionId: SUBSCRIPTION, resourceGroup: 'rg-ops', name: 'id-deploy', location: 'westeurope', tenantId: TENANT, ...MI });
  session = await startPlanChat(h.ports(), { changes: { ...DEFAULT_CHANGE_SETTINGS, tenantId: TENANT } }, HARNESS_TUNING);
  chat = session.chat;
});
afterAll(async () => {
  await session?.close();
  await h?.close();
});

const live = (name: string) => h.cloud.devops.state.liveAll().find((e) => e.serviceEndpointProjectReferences?.some((r) => r.name === name));
const requests = (pattern: RegExp) => h.cloud.devops.requests.entries().filter((r) => pattern.test(`${r.method} ${r.path}`));

describe('create over HTTP', () => {
  it('an app, a role, one pipeline: the preview shows what is made; after approval it exists, verified, once', async () => {
    const preview = await chat.ask(`create sc-new in Payments subscription ${SUBSCRIPTION} app ${DEPLOYER} role Reader for payments-ci`);
    expect(preview.text).toContain('Plan: Create sc-new');
    expect(preview.text).toMatch(/federated credential: `scbot-sc-new-p-[a-z0-9-]+` · issuer `https:\/\/login\.microsoftonline\.com\/72f988bf/);
    expect(preview.text).toContain('audience `api://AzureADTokenExchange`');
    expect(preview.text).toContain(`scope: \`/subscriptions/${SUBSCRIPTION}\``);
    expect(preview.text).toContain('role: `Reader` on the scope');
    expect(preview.text).toMatch(/pipelines: `payments-ci` \(id \d+\) \(never all pipelines\)/);
    expect(preview.text).toContain(`graph POST applications(appId='${DEPLOYER}')/federatedIdentityCredentials`);
    expect(preview.text).toContain('endpointproxy');
    h.cloud.devops.requests.clear();
    const { text } = await chat.approve(preview);
    // One connection, done: the title is the result (no count line: nothing was skipped or failed).
    expect(text).toContain('✅ sc-new: created');
    expect(text).not.toMatch(/\d+ done · /);
    const made = live('sc-new');
    expect(made?.data).toMatchObject({ creationMode: 'Manual', subscriptionId: SUBSCRIPTION });
    expect(made?.authorization?.scheme).toBe('WorkloadIdentityFederation');
    expect(requests(/^POST .*\/_apis\/serviceendpoint\/endpoints$/i)).toHaveLength(1);
    const subject = made?.authorization?.parameters?.workloadIdentityFederationSubject;
    const fic = h.cloud.graph.registry.federatedCredentials(DEPLOYER)?.list() ?? [];
    expect(fic).toEqual([expect.objectContaining({ issuer: ENTRA, subject, audiences: ['api://AzureADTokenExchange'] })]);
    const sp = h.cloud.graph.registry.servicePrincipalOf(DEPLOYER);
    expect(h.cloud.arm.store.roleAssignments).toEqual([expect.objectContaining({ scope: `/subscriptions/${SUBSCRIPTION}`, principalId: sp, roleDefinitionId: expect.stringContaining(READER) })]);
    const permissions = requests(/^PATCH .*pipelinePermissions\/endpoint/i);
    expect(permissions).toHaveLength(1);
    expect(permissions[0]?.body).toMatchObject({ pipelines: [{ id: 10, authorized: true }] });
    expect(permissions[0]?.body).not.toHaveProperty('allPipelines');
    expect(requests(/^POST .*endpointproxy$/i)).toHaveLength(1);
    expect(JSON.stringify(session.connector.calls)).not.toMatch(/SEEDSECRET|client_secret/);
  });

  it('refuses before any plan: a name that exists, an unknown pipeline, project, role, a malformed subscription, an app it cannot see', async () => {
    const cases: Array<[string, RegExp]> = [
      [`create sc-taken in Payments subscription ${SUBSCRIPTION} app ${DEPLOYER}`, /a connection of that name already exists in Payments/],
      [`create sc-x in Payments subscription ${SUBSCRIPTION} app ${DEPLOYER} for payments-cd`, /Payments has no pipeline called .*payments-cd/],
      [`create sc-x in Payroll subscription ${SUBSCRIPTION} app ${DEPLOYER}`, /I don't look at a project called .*Payroll/],
      [`create sc-x in Payments subscription ${SUBSCRIPTION} app ${DEPLOYER} role Wizard`, /"Wizard" is not a built-in Azure role/],
      [`create sc-x in Payments subscription payments-prod app ${DEPLOYER}`, /"payments-prod" is not a subscription id/],
      [`create sc-x in Payments subscription ${SUBSCRIPTION} app d7000000-0000-4000-8000-0000000000ff`, /I can't see an app registration with client id/],
      [`create sc-x in Payments subscription ${SUBSCRIPTION} identity d7000000-0000-4000-8000-0000000000ff`, /I can't see a user-assigned managed identity/],
    ];
    const before = h.cloud.devops.state.liveAll().length;
    for (const [command, reason] of cases) {
      const { body } = await chat.say(command);
      expect(textOf(body.attachments), command).toMatch(reason);
      expect(JSON.stringify(body)).not.toContain('"verb":"approve"');
    }
    expect(h.cloud.devops.state.liveAll()).toHaveLength(before);
  });

  it('fails with clean-up (the bot does not own the app), then Try again after the owner adds the bot makes it', async () => {
    const preview = await chat.ask(`create sc-foreign in Payments subscription ${SUBSCRIPTION} app ${FOREIGN} for nightly`);
    const { text, card } = await chat.approve(preview);
    expect(text).toContain('0 done · 0 skipped · 1 failed');
    expect(text).toContain('not created: the federated credential could not be added (GRAPH.FORBIDDEN');
    expect(text).toContain('Everything it had made was removed again.');
    expect(live('sc-foreign')).toBeUndefined();
    expect(h.cloud.graph.registry.federatedCredentials(FOREIGN)?.list()).toEqual([]);
    const again = card.actions?.find((a) => a.title === 'Try again')?.data?.command;
    expect(again).toContain('create sc-foreign in Payments');
    h.cloud.graph.registry.addOwner(FOREIGN, BOT.objectId);
    const retry = await chat.ask(again!);
    expect((await chat.approve(retry)).text).toContain('✅ sc-foreign: created');
    expect(live('sc-foreign')).toBeDefined();
    expect(h.cloud.graph.registry.federatedCredentials(FOREIGN)?.list()).toHaveLength(1);
  });

  it('a managed identity in a resource group, and a new app: credential through ARM, app and service principal through Graph', async () => {
    const mi = await chat.ask(`create sc-mi in Payments subscription ${SUBSCRIPTION} resource-group rg-ops identity ${MI.clientId} role Contributor`);
    expect(mi.text).toContain(`scope: \`/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-ops\``);
    expect((await chat.approve(mi)).text).toContain('✅ sc-mi: created');
    expect(live('sc-mi')?.authorization?.parameters?.scope).toBe(`/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-ops`);
    expect(h.cloud.arm.store.identityByClientId(MI.clientId)?.federated.list().map((f) => f.issuer)).toEqual([ENTRA]);
    expect(h.cloud.arm.store.roleAssignments.some((r) => r.principalId === MI.principalId && r.scope.endsWith('/resourceGroups/rg-ops'))).toBe(true);

    const fresh = await chat.ask(`create sc-fresh in Payments subscription ${SUBSCRIPTION} new app for nightly, payments-ci`);
    expect(fresh.text).toContain('new app registration');
    expect((await chat.approve(fresh)).text).toContain('✅ sc-fresh: created');
    const clientId = live('sc-fresh')?.authorization?.parameters?.serviceprincipalid ?? '';
    expect(h.cloud.graph.registry.ownersOf(clientId)).toContain(BOT.objectId.toLowerCase());
    expect(h.cloud.graph.registry.servicePrincipalOf(clientId)).toBeTruthy();
    expect(h.cloud.graph.registry.federatedCredentials(clientId)?.list()).toHaveLength(1);
    // The run's key (the app's alternate key) is never said: not on a card, in chat or in a log line.
    const key = h.cloud.graph.registry.getApplication(clientId)?.uniqueName ?? '';
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(live('sc-fresh')?.description).toContain(`[key:${key}]`);
    expect(JSON.stringify(session.connector.calls)).not.toContain(key);
    expect(h.logLines.join('\n')).not.toContain(key);
    const stored = await Promise.all((await readdir(h.storeDir, { recursive: true, withFileTypes: true })).filter((f) => f.isFile()).map((f) => readFile(join(f.parentPath, f.name), 'utf8')));
    // Once the item settled, the store (plans, item states, the audit trail) keeps no trace of it either.
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.filter((text) => text.includes(key))).toEqual([]);
  });
});
