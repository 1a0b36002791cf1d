/**
 * The composition root's wiring of approvals in local mode: `npm start`'s stack in-process (no playground), the
 * demo seed and the demo policy (anyone may request and approve, never their own request). A asks to rotate
 * sc-prod, B approves, the Executor built by local mode rotates it through the Graph and Entra stand-ins.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bot/local-mode';
import { personalMessage, postActivity, USER } from '../support/activities';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { closeLocalStack, startLocalStack } from '../support/local-stack';
import { textBlocksOf as textOf } from '../support/adaptive-cards';
import { StoreAuditLog } from '../../src/audit';

const B = { id: '29:user-b', name: 'Blake Approver', aadObjectId: 'bbbbbbbb-0000-4000-8000-00000000000b' };

let stack: LocalStack;
let connector: ConnectorStandIn;

beforeAll(async () => {
  ({ stack, connector } = await startLocalStack());
});
afterAll(() => closeLocalStack(stack, connector));

/** Dana asks in a new personal chat; returns the conversation and the Approve button's `{ planId, version }`. */
async function ask(command: string): Promise<{ conversationId: string; data: { planId: string; version: string } }> {
  const activity = personalMessage(command, { serviceUrl: connector.serviceUrl });
  const conversationId = activity.conversation.id;
  const replies = connector.nextReplies(conversationId);
  expect((await postActivity(stack.botUrl, activity)).status).toBe(200);
  const [preview] = await replies;
  const card = (preview!.body.attachments as Array<{ content: { actions: Array<{ verb?: string; data?: { planId: string; version: string } }> } }>)[0]!.content;
  const data = card.actions.find((a) => a.verb === 'approve')?.data;
  expect(data).toBeDefined();
  return { conversationId, data: data! };
}

/** B approves the plan; once it ran, the card's last update (the outcome) as text. */
async function approvedByB({ conversationId, data }: { conversationId: string; data: { planId: string; version: string } }): Promise<string> {
  const invoke = {
    ...personalMessage('', { serviceUrl: connector.serviceUrl, conversationId }), type: 'invoke', name: 'adaptiveCard/action', text: undefined,
    id: `msg-${randomUUID()}`, replyToId: `act-${randomUUID()}`, from: { ...B }, value: { action: { type: 'Action.Execute', verb: 'approve', data }, trigger: 'manual' },
  };
  expect((await postActivity(stack.botUrl, invoke)).status).toBe(200);
  await stack.approvals.idle();
  return textOf(connector.calls.filter((c) => c.kind === 'update' && c.activityId === invoke.replyToId).at(-1)?.body.attachments);
}

describe('approvals in local mode', () => {
  it('rotates sc-prod once after a second person approves, and updates the card to the outcome', async () => {
    const { conversationId, data } = await ask('rotate sc-prod');

    const sc = stack.cloud.devops.state.endpoints().find((e) => e.name === 'sc-prod')!;
    stack.devops.requests.clear();
    const invoke = {
      ...personalMessage('', { serviceUrl: connector.serviceUrl, conversationId }), type: 'invoke', name: 'adaptiveCard/action', text: undefined,
      replyToId: `act-${randomUUID()}`, value: { action: { type: 'Action.Execute', verb: 'approve', data }, trigger: 'manual' },
    };
    const own = await postActivity(stack.botUrl, { ...invoke, from: { ...USER } });
    expect(textOf(((await own.json()) as { value: unknown }).value)).toContain('You cannot approve your own request.');
    const approved = await postActivity(stack.botUrl, { ...invoke, id: `msg-${randomUUID()}`, from: { ...B } });
    expect(approved.status).toBe(200);
    expect(textOf(((await approved.json()) as { value: unknown }).value)).toContain('executing 0/1');
    await stack.approvals.idle();

    const puts = stack.devops.requests.entries().filter((r) => r.method === 'PUT' && r.path.toLowerCase().endsWith(sc.id.toLowerCase()));
    expect(puts).toHaveLength(1);
    const updates = connector.calls.filter((c) => c.kind === 'update' && c.activityId === invoke.replyToId);
    expect(textOf(updates.at(-1)?.body.attachments)).toContain('✅ sc-prod: secret rotated');
    expect(textOf(updates.at(-1)?.body.attachments)).not.toMatch(/\d+ done · /);
  });

  it('the preview offers the demo approvers at once: approving as Ben is an ordinary four-eyes approval, no refused tap', async () => {
    const activity = personalMessage('rotate sc-staging', { serviceUrl: connector.serviceUrl });
    const conversationId = activity.conversation.id;
    const replies = connector.nextReplies(conversationId);
    expect((await postActivity(stack.botUrl, activity)).status).toBe(200);
    const [reply] = await replies;
    const card = (reply!.body.attachments as Array<{ content: { actions: Array<{ title: string; verb?: string; data: { planId: string; version: string } }> } }>)[0]!.content;
    const data = card.actions.find((a) => a.verb === 'approve')!.data;
    const demo = card.actions.filter((a) => a.verb?.startsWith('local-demo-approve:'));
    expect(demo.map((a) => [a.title, a.data])).toEqual([['Approve as Ben Approver (local demo)', data], ['Approve as Chris Approver (local demo)', data]]);

    stack.devops.requests.clear();
    const invoke = {
      ...personalMessage('', { serviceUrl: connector.serviceUrl, conversationId }), type: 'invoke', name: 'adaptiveCard/action', text: undefined,
      id: `msg-${randomUUID()}`, replyToId: 'act-preview', value: { action: { type: 'Action.Execute', verb: demo[0]!.verb, data }, trigger: 'manual' },
    };
    const approved = (await (await postActivity(stack.botUrl, invoke)).json()) as { value: unknown };
    expect(textOf(approved.value)).toContain('Approved by Ben Approver — executing 0/1');
    await stack.approvals.idle();
    expect(stack.devops.requests.entries().filter((r) => r.method === 'PUT')).toHaveLength(1);
    // The audit trail: requested by the chat's user, approved by Ben (a different identity), nothing refused.
    const events = (await new StoreAuditLog(stack.store).query({ planId: data.planId })).reverse();
    expect(events.filter((e) => e.kind !== 'executed').map((e) => `${e.kind}:${e.actor.name}`)).toEqual([`requested:${USER.name}`, 'approved:Ben Approver']);
    expect(events.find((e) => e.kind === 'approved')?.actor.id).not.toBe(events.find((e) => e.kind === 'requested')?.actor.id);
    const query = await fetchAudit(conversationId);
    expect(query).toContain('Ben Approver');
    expect(query).not.toContain('Refused');
  });

  it('a refused tap by the requester still leaves the demo approvers on the card', async () => {
    const { conversationId, data } = await ask('rotate sc-test');
    const invoke = {
      ...personalMessage('', { serviceUrl: connector.serviceUrl, conversationId }), type: 'invoke', name: 'adaptiveCard/action', text: undefined,
      id: `msg-${randomUUID()}`, replyToId: 'act-preview', value: { action: { type: 'Action.Execute', verb: 'approve', data }, trigger: 'manual' },
    };
    const own = (await (await postActivity(stack.botUrl, invoke)).json()) as { value: { actions: Array<{ title: string; verb?: string }> } };
    expect(textOf(own.value)).toContain('You cannot approve your own request.');
    expect(own.value.actions.filter((a) => a.verb?.startsWith('local-demo-approve:')).map((a) => a.title)).toEqual(['Approve as Ben Approver (local demo)', 'Approve as Chris Approver (local demo)']);
  });
});

describe('migrate issuer in local mode, on the demo seed', () => {
  it('moves every eligible connection off the Azure DevOps issuer (service, Graph and ARM paths) and lists the multitenant one', async () => {
    const final = await approvedByB(await ask('migrate issuer all'));
    const live = (name: string) => stack.cloud.devops.state.endpoints().find((e) => e.name === name)!;
    const issuer = (name: string) => live(name).authorization?.parameters?.workloadIdentityFederationIssuer ?? '';
    expect(final).toMatch(/4 done · \d+ skipped · 0 failed/);
    // The outcome card groups the results by reason: names, then what happened to them.
    expect(final).toContain('⏭️ **sc-wif-partner** — multitenant app (AzureADMultipleOrgs): multitenant apps keep the Azure DevOps issuer.');
    for (const name of ['sc-wif-legacy', 'sc-wif-legacy-auto', 'sc-wif-appvstoken', 'sc-wif-legacy-mi']) expect(issuer(name)).toMatch(/^https:\/\/login\.microsoftonline\.com\//);
    expect(issuer('sc-wif-partner')).toMatch(/^https:\/\/vstoken\./);
    const mi = stack.cloud.arm.store.identityByClientId('6c2d9e4f-8a1b-4c3d-9e5f-7a0b1c2d3e4f');
    expect(mi?.federated.list().map((f) => f.name)).toEqual(['azdo-sc-wif-legacy-mi', `scbot-entra-${live('sc-wif-legacy-mi').id}`]);
  });
});

describe('create in local mode, on the demo seed', () => {
  it('creates sc-payments-release for the demo app the bot owns: verified, its credential, a Contributor role, one pipeline', async () => {
    const sub = '2f4b8a3c-6d1e-4f7a-9b2c-5e8d0a1f3c47';
    const appId = '3e7a9c1b-5d2f-5a8e-b4c6-1f0d2e3a4b5c';
    const final = await approvedByB(await ask(`create sc-payments-release in Payments subscription ${sub} app ${appId} role Contributor for payments-deploy`));
    expect(final).toContain('✅ sc-payments-release: created');
    const made = stack.cloud.devops.state.endpoints().find((e) => e.name === 'sc-payments-release');
    expect(made?.data?.creationMode).toBe('Manual');
    const subject = made?.authorization?.parameters?.workloadIdentityFederationSubject;
    expect(stack.cloud.graph.registry.federatedCredentials(appId)?.list().map((f) => f.subject)).toEqual([subject]);
    expect(stack.cloud.arm.store.roleAssignments.some((r) => r.scope === `/subscriptions/${sub}` && r.principalId === stack.cloud.graph.registry.servicePrincipalOf(appId))).toBe(true);
    expect(final).toContain('authorized for payments-deploy');
  });
});

/** The audit card for the plan's conversation, as text. */
async function fetchAudit(conversationId: string): Promise<string> {
  const replies = connector.nextReplies(conversationId);
  expect((await postActivity(stack.botUrl, personalMessage('audit sc-staging', { serviceUrl: connector.serviceUrl, conversationId }))).status).toBe(200);
  const [reply] = await replies;
  return textOf(reply!.body.attachments);
}
