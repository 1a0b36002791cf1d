/**
 * migrate issuer over HTTP, end to end: Bot Framework activities in, the real planner, approval and executor, the
 * real adapters against the local cloud (the inferred migration route of the Azure DevOps stand-in, Graph's and
 * ARM's federated credentials), replies and card updates out to a connector stand-in.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUESTER, startPlanChat, type PlanChat, type PlanChatSession, type Preview } from '../support/plan-chat';
import { appIdOf, BOT, endpointId, HARNESS_TUNING, identityResourceId, startHarness, TENANT, type Harness } from './operations-harness';
import { textBlocksOf as textOf } from '../support/adaptive-cards';

const A = REQUESTER;
const ENTRA = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const N = { legacy: 1, auto: 2, mi: 3, foreign: 4, multi: 5, spn: 6, appVstoken: 7 };

let h: Harness;
let session: PlanChatSession;
let chat: PlanChat;

beforeAll(async () => {
  h = await startHarness([
    { n: N.legacy, name: 'sc-legacy', scheme: 'WorkloadIdentityFederation', mode: 'Manual', issuer: 'azure-devops' },
    { n: N.auto, name: 'sc-legacy-auto', scheme: 'WorkloadIdentityFederation', mode: 'Automatic', issuer: 'azure-devops' },
    { n: N.mi, name: 'sc-mi', scheme: 'WorkloadIdentityFederation', mode: 'Manual', issuer: 'azure-devops', managedIdentity: true },
    { n: N.foreign, name: 'sc-foreign', scheme: 'WorkloadIdentityFederation', mode: 'Manual', issuer: 'azure-devops', foreign: true },
    { n: N.multi, name: 'sc-multi', scheme: 'WorkloadIdentityFederation', mode: 'Manual', issuer: 'azure-devops', multitenant: true },
    { n: N.spn, name: 'sc-spn' },
    { n: N.appVstoken, name: 'sc-app-vstoken', scheme: 'WorkloadIdentityFederation', mode: 'Manual', issuer: 'app-vstoken' },
  ]);
  session = await startPlanChat(h.ports(), {}, HARNESS_TUNING);
  chat = session.chat;
});
afterAll(async () => {
  await session?.close();
  await h?.close();
});

const ask = (command: string) => chat.ask(command);
const say = (command: string) => chat.say(command);
const approve = async (preview: Preview) => (await chat.approve(preview)).text;
const tap = (user: typeof A, verb: string, preview: Preview) => chat.tap(user, verb, preview);

const params = (n: number) => h.cloud.devops.state.live(endpointId(n))?.authorization?.parameters ?? {};
const appCredentials = (n: number) => h.cloud.graph.registry.federatedCredentials(appIdOf(n))?.list() ?? [];
const migrationPosts = () => h.cloud.devops.requests.entries().filter((r) => r.method === 'POST' && r.path.includes('externalfederatedcredentialmigration'));

describe('migrate issuer over HTTP', () => {
  it('one connection, fallback path: the preview shows the move and the credential; the bot adds exactly what the service names', async () => {
    const preview = await ask('migrate issuer sc-legacy');
    expect(preview.text).toContain('Plan: Move to the Entra issuer: sc-legacy');
    expect(preview.text).toContain(`\`https://vstoken.dev.azure.com/`);
    expect(preview.text).toContain(`→ \`${ENTRA}\``);
    expect(preview.text).toContain(`add 'scbot-entra-${endpointId(N.legacy)}' (issuer ${ENTRA}, audience api://AzureADTokenExchange`);
    expect(preview.text).toContain(`graph POST applications(appId='${appIdOf(N.legacy)}')/federatedIdentityCredentials`);
    expect(preview.text).toContain('The old federated credential');
    h.cloud.devops.requests.clear();
    const outcome = await approve(preview);
    // One connection, done: the title is the result (no count line: nothing was skipped or failed).
    expect(outcome).toContain('✅ sc-legacy: migrated');
    expect(outcome).not.toMatch(/\d+ done · /);
    // The service asked for the credential, the bot made it, then "Try again" moved the connection.
    expect(migrationPosts()).toHaveLength(2);
    expect(params(N.legacy).workloadIdentityFederationIssuer).toBe(ENTRA);
    const subject = params(N.legacy).workloadIdentityFederationSubject;
    expect(subject).toMatch(new RegExp(`/sc/.+/${endpointId(N.legacy)}$`));
    const made = appCredentials(N.legacy).find((f) => f.name === `scbot-entra-${endpointId(N.legacy)}`);
    expect(made).toMatchObject({ issuer: ENTRA, subject, audiences: ['api://AzureADTokenExchange'] });
    // The old credential is left in place.
    expect(appCredentials(N.legacy).map((f) => f.name)).toContain('azdo-old');
    expect(JSON.stringify(session.connector.calls)).not.toMatch(/SEEDSECRET/);
  });

  it('an ineligible one is refused before any plan, saying why', async () => {
    const { body } = await say('migrate issuer sc-multi');
    expect(JSON.stringify(body)).toContain('multitenant app (AzureADMultipleOrgs)');
    const spn = await say('migrate issuer sc-spn');
    expect(JSON.stringify(spn.body)).toContain('does not use workload identity federation');
  });

  it('all: Automatic moved by the service, the managed identity through ARM, a foreign app fails; after the owner fixes it, the retry moves only what is left', async () => {
    const preview = await ask('migrate issuer all');
    // sc-legacy was moved by the test before; the multitenant one keeps the old issuer; secrets are not listed.
    expect(preview.text).toContain('Skipped (2)');
    // Skip reasons are grouped (issue 11): the reason once, then the names.
    expect(preview.text).toContain('**1 skipped** — already on the Entra issuer: sc-legacy (Payments)');
    expect(preview.text).toMatch(/\*\*1 skipped\*\* — multitenant app [^\n]*: sc-multi \(Payments\)/);
    expect(preview.text).not.toContain('sc-spn');
    expect(preview.text).toContain(`arm PUT ${identityResourceId(N.mi)}/federatedIdentityCredentials/scbot-entra-{id}`);
    const outcome = await approve(preview);
    expect(outcome).toContain('3 done · 2 skipped · 1 failed');
    expect(outcome).toContain('sc-foreign');
    expect(outcome).toContain('My identity does not own that app registration');
    expect(params(N.auto).workloadIdentityFederationIssuer).toBe(ENTRA);
    expect(params(N.mi).workloadIdentityFederationIssuer).toBe(ENTRA);
    expect(params(N.appVstoken).workloadIdentityFederationIssuer).toBe(ENTRA);
    expect(h.cloud.arm.store.identityByClientId(appIdOf(N.mi))?.federated.list().map((f) => f.issuer)).toContain(ENTRA);
    expect(params(N.foreign).workloadIdentityFederationIssuer).toMatch(/^https:\/\/vstoken\./);
    // The app's owners add the bot; "Retry failed items" plans only the failed one, and it moves.
    h.cloud.graph.registry.addOwner(appIdOf(N.foreign), BOT.objectId);
    const retried = await tap(A, 'retry', preview);
    expect(textOf(retried)).toContain('Plan: Move to the Entra issuer: sc-foreign');
    // The requester's own view has no buttons; its refresh names the new plan an approver's view approves.
    const again = retried.refresh?.action?.data;
    expect(again?.planId).not.toBe(preview.planId);
    const retry: Preview = { ...again!, conversationId: preview.conversationId, cardId: `act-card-${randomUUID()}`, text: textOf(retried) };
    expect(await approve(retry)).toContain('✅ sc-foreign: migrated');
    expect(params(N.foreign).workloadIdentityFederationIssuer).toBe(ENTRA);
    // And a new `migrate issuer all` now finds nothing left to move.
    const { body } = await say('migrate issuer all');
    expect(textOf(body.attachments)).toContain('Nothing to change: every connection was skipped');
  });
});
