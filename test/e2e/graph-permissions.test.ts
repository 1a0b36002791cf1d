/**
 * What the bot says where it reads app registrations when Graph will not let it: its identity granted no Graph
 * application permission (docs/deploying.md asks for Application.ReadWrite.OwnedBy, which reads every app). The Graph
 * stand-in then answers 403 Authorization_RequestDenied for any app but the bot's own, as Graph does.
 * - `migrate issuer` cannot tell whether the app is multitenant (those keep the Azure DevOps issuer), so it must not
 *   plan the move as if the identity were simply unknown;
 * - `create … app` names the missing permission rather than a missing app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHANGE_SETTINGS } from '../../src/commands';
import { textBlocksOf as textOf } from '../support/adaptive-cards';
import { startPlanChat, type PlanChat, type PlanChatSession } from '../support/plan-chat';
import { appIdOf, BOT, HARNESS_TUNING, startHarness, SUBSCRIPTION, TENANT, type Harness } from './operations-harness';

const N = { multi: 1, mi: 2, app: 3 };
let h: Harness;
let session: PlanChatSession;
let chat: PlanChat;

beforeAll(async () => {
  h = await startHarness([
    { n: N.multi, name: 'sc-multi', scheme: 'WorkloadIdentityFederation', mode: 'Manual', issuer: 'azure-devops', multitenant: true },
    { n: N.mi, name: 'sc-mi', scheme: 'WorkloadIdentityFederation', mode: 'Manual', issuer: 'azure-devops', managedIdentity: true },
    { n: N.app, name: 'sc-app', scheme: 'WorkloadIdentityFederation', mode: 'Manual', issuer: 'azure-devops' },
  ], { bot: { ...BOT, graphPermissions: [] } });
  session = await startPlanChat(h.ports(), { changes: { ...DEFAULT_CHANGE_SETTINGS, tenantId: TENANT } }, HARNESS_TUNING);
  chat = session.chat;
});
afterAll(async () => {
  await session?.close();
  await h?.close();
});

const graphReads = () => h.cloud.graph.requests.filter((r) => r.method === 'GET' && r.path.includes('/applications'));
const reply = async (command: string) => textOf((await chat.say(command)).body.attachments);

describe('Graph refuses to let the bot read app registrations', () => {
  it('migrate issuer: a connection whose app it cannot read is not moved, and the reason names the permission', async () => {
    const text = await reply('migrate issuer sc-multi');
    expect(graphReads().some((r) => r.status === 403)).toBe(true);
    expect(text).not.toContain('Plan: Move to the Entra issuer');
    expect(text).toContain('multitenant');
    expect(text).toContain('Application.ReadWrite.OwnedBy');
    expect(h.cloud.devops.requests.entries().some((r) => r.path.includes('externalfederatedcredentialmigration'))).toBe(false);
  });

  it('migrate issuer all: the unreadable apps are skipped with that reason; a managed identity still moves through ARM', async () => {
    const preview = await chat.ask('migrate issuer all');
    expect(preview.text).toContain('Plan: Move to the Entra issuer');
    expect(preview.text).toContain('sc-mi');
    expect(preview.text).toMatch(/\*\*2 skipped\*\* — [^\n]*Application\.ReadWrite\.OwnedBy[^\n]*: sc-multi \(Payments\), sc-app \(Payments\)/);
  });

  it('create … app: names the permission Graph refused, not a missing app', async () => {
    const text = await reply(`create sc-new in Payments subscription ${SUBSCRIPTION} app ${appIdOf(N.app)}`);
    expect(text).toContain('I can\'t create "sc-new"');
    expect(text).toContain('Application.ReadWrite.OwnedBy');
    expect(text).not.toContain('I can\'t see an app registration');
  });
});
