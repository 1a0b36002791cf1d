/**
 * SCBOT_POLICY_FILE over HTTP (issue 22's "done when"): a platform team with a Payments and a Retail team, each in
 * its own channel, against the local cloud whose Azure DevOps stand-in holds identities, nested groups and role
 * assignments. Real activities in, the real registry, planners, approval service and the [infer] role adapter.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { startTestApp, type StartedApp } from '../support/test-app';
import { channelMention, postActivity } from '../support/activities';
import { allTextOf, textBlocksOf } from '../support/adaptive-cards';
import { HARNESS_TUNING, operationsSeedDocument, startHarness, type Harness } from './operations-harness';
import { ANYONE, type PolicyConfig } from '../../src/domain/policy';
import { AzureDevOpsRoles } from '../../src/devops/azure-devops-roles';
import { InMemoryMembershipSource } from '../support/in-memory-membership-source';
import { InMemorySignInNames } from '../../src/policy/sign-in-names.port';
import { openPolicy } from '../../src/policy/open-policy';
import type { PolicySource } from '../../src/policy/policy-source';
import { StoreAuditLog } from '../../src/audit/store-audit-log';
import { POLICY_PEOPLE as P, policySeed, policyYaml, SPECS, CONV } from './policy-file-fixture';

let h: Harness;
let connector: ConnectorStandIn;
let app: StartedApp;
let audit: StoreAuditLog;
let policySource: PolicySource;
/** What the policy file holds now (a test changes it and reloads). */
let policyText = '';
const T0 = new Date('2026-12-01T09:00:00Z');

/** The settings say nobody may do anything: only the file can let anyone in. */
const SETTINGS: PolicyConfig = { requesters: { users: [], groups: [] }, approvers: { users: [], groups: [] }, conversations: [], tenants: [ANYONE], planTtlMinutes: 30, twoApproversOver: 10 };

beforeAll(async () => {
  h = await startHarness(SPECS, policySeed(operationsSeedDocument(SPECS).endpoints));
  h.clock.set(T0);
  connector = new ConnectorStandIn();
  await connector.start();
  audit = new StoreAuditLog(h.store);
  const file = `/virtual/policy-${randomUUID()}.yaml`;
  policyText = policyYaml(T0);
  policySource = await openPolicy({ file, settings: SETTINGS, clock: h.clock, logger: h.logger, tuning: { read: async () => policyText, every: () => () => undefined, watch: () => () => undefined } });
  const ports = {
    ...h.ports(), membership: new InMemoryMembershipSource(P.groups), signInNames: new InMemorySignInNames(P.signInNames),
    devopsRoles: new AzureDevOpsRoles(h.devops, { orgUrl: h.cloud.devops.orgUrl, clock: h.clock }),
  };
  app = await startTestApp(ports, { policy: SETTINGS, policySource }, HARNESS_TUNING);
});
afterAll(async () => {
  await app?.approvals.idle();
  await app?.close();
  await connector?.close();
  await h?.close();
});

type Person = { id: string; name: string; aadObjectId: string };

/** One message in a channel; the reply's text (cards: every text block). */
async function say(who: Person, conversationId: string, command: string): Promise<{ text: string; approve?: { planId: string; version: string } }> {
  const replies = connector.nextReplies(conversationId);
  expect((await postActivity(app.url, { ...channelMention(command, { serviceUrl: connector.serviceUrl, conversationId }), from: { ...who } })).status).toBe(200);
  const [reply] = await replies;
  const body = reply!.body as { text?: string; attachments?: Array<{ content: { actions?: Array<{ verb?: string; data?: { planId: string; version: string } }> } }> };
  const approve = body.attachments?.[0]?.content.actions?.find((a) => a.verb === 'approve')?.data;
  return { text: body.attachments ? allTextOf(body.attachments) : body.text ?? '', ...(approve ? { approve } : {}) };
}

async function tap(who: Person, conversationId: string, data: { planId: string; version: string }): Promise<string> {
  const base = channelMention('', { serviceUrl: connector.serviceUrl, conversationId });
  const invoke = { ...base, type: 'invoke', name: 'adaptiveCard/action', text: undefined, entities: undefined, from: { ...who }, replyToId: `act-${randomUUID()}`, value: { action: { type: 'Action.Execute', verb: 'approve', data }, trigger: 'manual' } };
  const body = (await (await postActivity(app.url, invoke)).json()) as { value: unknown };
  const message = (body.value as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : textBlocksOf(body.value);
}

/** The channel's own id: rules name channels, and every test here speaks in the Payments channel. */
const payments = () => CONV.payments;
/** What a reply says once the asked-for name is blanked: an unseen connection must read exactly like a missing one. */
const blank = (text: string, name: string) => text.split(name).join('<name>').replace(/R-[A-Z0-9]{8}/g, 'R-…');

describe('a policy file over HTTP', () => {
  it('a Payments requester cannot plan on Retail\'s connections and cannot tell they exist', async () => {
    const conv = payments();
    for (const verb of ['rotate', 'show', 'access', 'audit', 'policy rotate']) {
      const hidden = await say(P.payDev, conv, `${verb} sc-retail-prod`);
      const missing = await say(P.payDev, conv, `${verb} sc-nothing-here`);
      expect(blank(hidden.text, 'sc-retail-prod')).toBe(blank(missing.text, 'sc-nothing-here'));
      expect(hidden.approve).toBeUndefined();
    }
    const project = await say(P.payDev, conv, 'rotate sc-retail-prod in Retail');
    const nowhere = await say(P.payDev, conv, 'rotate sc-retail-prod in Nowhere');
    expect(blank(project.text, 'Retail')).toBe(blank(nowhere.text, 'Nowhere'));
    // Org-wide lists answer from the inventory (every project's connections): it is narrowed the same way.
    for (const line of ['list all', 'list failed', 'list']) {
      const list = await say(P.payDev, conv, line);
      expect(list.text).not.toMatch(/sc-retail|Retail/);
      expect(list.text).toMatch(/in 1 project\b/);
    }
    expect((await say(P.payDev, conv, 'list all')).text).toContain('sc-pay-dev');
  });

  it('`convert all` in the Payments channel takes only Payments\' connections, and lists the one it may not change with the rule', async () => {
    const plan = await say(P.payDev, payments(), 'convert all');
    expect(plan.approve).toBeDefined();
    expect(plan.text).toContain('sc-pay-dev');
    expect(plan.text).toContain('refused by the policy: You do not hold the Administrator role on connection "sc-pay-old" in Azure DevOps, which rule `payments-team` requires.');
    expect(plan.text).toContain('Waiting for approval (2 approvers needed)');
    expect(plan.text).not.toContain('sc-retail');
  });

  it('a rule stack needs both approvals: the team lead\'s and a platform lead\'s (the requester, no approver, and a repeat never count)', async () => {
    const conv = payments();
    const plan = await say(P.payDev, conv, 'rotate sc-prod-pay');
    expect(plan.approve).toBeDefined();
    expect(await tap(P.payDev, conv, plan.approve!)).toContain('You are not an approver of the rules this plan needs (`payments-team`, `prod-needs-a-lead`).');
    expect(await tap(P.payLead, conv, plan.approve!)).toContain('Waiting for a second approver (1 of 2)');
    expect(await tap(P.payLead, conv, plan.approve!)).toContain('already approved');
    expect(await tap(P.platformLead, conv, plan.approve!)).toContain('Approved by');
    await app.approvals.idle();
    const events = (await audit.query({ planId: plan.approve!.planId })).reverse();
    expect(events.filter((e) => e.kind === 'approved').map((e) => [e.actor.name, e.policy?.rules])).toEqual([
      [P.payLead.name, ['payments-team']], [P.platformLead.name, ['prod-needs-a-lead']],
    ]);
    expect(events[0]?.policy?.version).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('a person without the Azure DevOps role is refused at proposal and at approval; the nested group counts', async () => {
    const conv = payments();
    const refused = await say(P.payNoRole, conv, 'rotate sc-pay-dev');
    expect(refused.approve).toBeUndefined();
    expect(refused.text).toMatch(/You do not hold the Administrator role on connection "sc-pay-dev" in Azure DevOps, which rule `payments-team` requires\..*Security.*Reference: R-[A-Z0-9]{8}/);
    const plan = await say(P.payDev, conv, 'rotate sc-pay-dev');
    expect(plan.approve).toBeDefined();
    expect(await tap(P.payLeadNoRole, conv, plan.approve!)).toContain('You do not hold the Administrator role on "sc-pay-dev"');
    expect(await tap(P.payLead, conv, plan.approve!)).toContain('Approved by');
    await app.approvals.idle();
    const reasons = (await audit.query({ planId: plan.approve!.planId })).map((e) => e.reason).filter(Boolean);
    expect(reasons).toContain('POLICY.DEVOPS_ROLE_MISSING');
  });

  it('`policy …` explains each case for the asker', async () => {
    const conv = payments();
    const here = await say(P.payDev, conv, 'policy');
    expect(here.text).toContain('Rule payments-team');
    expect(here.text).toMatch(/Next freeze year-end: \* in \* from .* except revert/);
    expect(here.text).not.toContain('retail-team');
    const allowed = await say(P.payDev, conv, 'policy rotate sc-prod-pay');
    expect(allowed.text).toMatch(/Allowed[\s\S]*payments-team[\s\S]*Administrator through group \[Payments\]\\+Endpoint Administrators/);
    expect(allowed.text).toMatch(/rule payments-team: 1 from groups [\s\S]*rule prod-needs-a-lead: 1 from groups/);
    expect((await say(P.payNoRole, conv, 'policy rotate sc-pay-dev')).text).toMatch(/Refused[\s\S]*Administrator role/);
    expect((await say(P.retailDev, conv, 'policy rotate sc-pay-dev')).text).toMatch(/Refused[\s\S]*not a requester/);
    expect((await say(P.payDev, conv, 'policy create sc-new in Payments')).text).toMatch(/Refused[\s\S]*No policy rule lets anyone create "sc-new"/);
    const retail = await say(P.payDev, conv, 'policy create sc-new in Retail');
    expect(blank(retail.text, 'Retail')).toBe(blank((await say(P.payDev, conv, 'policy create sc-new in Nowhere')).text, 'Nowhere'));
    // The coarse gate: someone no rule lists as a requester here is refused before anything is read.
    expect((await say(P.platformLead, conv, 'rotate sc-pay-dev')).text).toMatch(/You are not allowed to request changes\. \(`rotate sc-pay-dev` was not run\.\) Say `policy`/);
  });

  it('`audit` shows the rules that decided and the policy version', async () => {
    const shown = await say(P.payDev, payments(), 'audit sc-pay-dev last 50');
    expect(shown.text).toMatch(/Policy rules: payments-team · version sha256:[0-9a-f]{64}/);
    expect(shown.text).toContain('POLICY.DEVOPS_ROLE_MISSING');
  });

  it('an Azure DevOps role read that fails refuses with a reference id, never allows', async () => {
    h.clock.advance(61_000);
    h.cloud.devops.faults.scriptResponse({ method: 'GET', path: /securityroles/ }, { status: 403, body: { message: 'TF400813: not authorized' } });
    const refused = await say(P.payDev, payments(), 'rotate sc-pay-dev');
    expect(refused.approve).toBeUndefined();
    expect(refused.text).toMatch(/I could not read your Azure DevOps roles on "sc-pay-dev" \(DEVOPS\.[A-Z_]+\)[\s\S]*Reference: R-[A-Z0-9]{8}/);
    h.cloud.devops.faults.clear();
  });

  it('an invalid file on reload keeps the last valid policy, and `policy` says so with the line and field', async () => {
    const valid = policyText;
    policyText = `${valid}  - name: typo\n    aprovers: { users: [] }\n`;
    await policySource.reload();
    const here = await say(P.payDev, payments(), 'policy');
    expect(here.text).toMatch(/last change to the policy file was rejected[\s\S]*aprovers: is not a field/);
    expect(here.text).toContain('Rule payments-team');
    expect((await say(P.payNoRole, payments(), 'rotate sc-pay-dev')).text).toContain('You do not hold the Administrator role');
    policyText = valid;
    await policySource.reload();
    expect((await say(P.payDev, payments(), 'policy')).text).not.toContain('rejected');
  });

  it('a freeze refuses at approval and at proposal, and lets revert through', async () => {
    const conv = payments();
    const plan = await say(P.payDev, conv, 'rotate sc-pay-dev');
    h.clock.set(new Date(T0.getTime() + 11 * 60_000));
    expect(await tap(P.payLead, conv, plan.approve!)).toContain('frozen (freeze `year-end`)');
    const rotate = await say(P.payDev, conv, 'rotate sc-pay-dev');
    expect(rotate.approve).toBeUndefined();
    expect(rotate.text).toMatch(/frozen for rotate \(freeze `year-end`\)[\s\S]*Reference: R-/);
    expect((await say(P.payDev, conv, 'policy rotate sc-pay-dev')).text).toContain('frozen');
    const revert = await say(P.payDev, conv, 'revert sc-pay-wif');
    expect(revert.approve).toBeDefined();
    expect(await tap(P.payLead, conv, revert.approve!)).toContain('Approved by');
    await app.approvals.idle();
  });

  // Last: the alert posts share the Payments channel with the replies the tests above wait for.
  it('alerts follow the read rule: the Payments channel hears of Payments\' failed connection, never of Retail\'s', async () => {
    // Alerts change the bot's own settings: a requester of some rule may, an approver only may not.
    expect((await say(P.platformLead, CONV.retail, 'alerts on')).text).toContain('You are not allowed to request changes.');
    expect((await say(P.payDev, payments(), 'alerts on')).text).toContain('Alerts are on');
    await say(P.payDev, payments(), 'alerts scan');
    await app.alerts.idle();
    const posted = JSON.stringify(connector.calls.filter((c) => c.kind === 'send' && c.conversationId === payments()).map((c) => c.body));
    expect(posted).toContain('sc-pay-broken');
    expect(posted).not.toContain('sc-retail');
    // The pictures drawn from the last scan are narrowed the same way: its findings, never the org-wide counts.
    const pictures = [];
    for (const line of ['health', 'alerts status', 'hello']) pictures.push((await say(P.payDev, payments(), line)).text);
    for (const text of pictures) expect(text).not.toMatch(/sc-retail|Retail/);
    expect(pictures.join('\n')).toMatch(/1 failed/);
  });
});

describe('forms and pick-lists under a policy file (issue 27)', () => {
  /** The reply's whole card as JSON: choices and button titles are not text blocks. */
  async function cardJson(who: Person, conversationId: string, command: string): Promise<string> {
    const activity = { ...channelMention(command, { serviceUrl: connector.serviceUrl, conversationId }), from: { ...who } };
    expect((await postActivity(app.url, activity)).status).toBe(200);
    // The answer to this message, not a post an earlier test left on its way.
    const reply = connector.calls.find((c) => c.kind === 'reply' && c.activityId === activity.id);
    expect(reply, command).toBeDefined();
    return JSON.stringify(reply!.body);
  }

  it('a form\'s choices and a pick-list hold only what the conversation may read', async () => {
    const conv = payments();
    const shown = await cardJson(P.payDev, conv, 'show');
    expect(shown).toContain('sc-pay-dev');
    expect(shown).not.toMatch(/sc-retail|Retail/);
    // Retail's secret connections could be rotated too: the list holds Payments' only.
    const rotate = await cardJson(P.payDev, conv, 'rotate');
    expect(rotate).toContain('sc-pay-dev (');
    expect(rotate).not.toMatch(/sc-retail|Retail/);
    for (const line of ['create', 'share sc-pay-dev with', 'restrict sc-pay-dev to']) {
      const form = await cardJson(P.payDev, conv, line);
      expect(form, line).toContain('"type":"Input.ChoiceSet"');
      expect(form, line).toContain(line === 'create' ? '"value":"Payments"' : '"value":"sc-pay-dev"');
      expect(form, line).not.toMatch(/sc-retail|Retail/);
    }
  });
});
