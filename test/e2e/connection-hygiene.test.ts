/**
 * Issue 13 end to end in local mode (`npm start`'s stack in-process, the demo seed, the demo policy): disabled
 * connections, pipeline access and sharing, each change through preview → a second person's approval → one
 * execution against the Azure DevOps stand-in, over HTTP as Teams would send it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bot/local-mode';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { closeLocalStack, startLocalStack } from '../support/local-stack';
import { localChat } from '../support/local-chat';

const PAYMENTS = '7d580254-36c2-5bda-9608-ea9bb037b823';
const PLATFORM = '2ae12be5-9b3b-56e1-83de-10c785e1c36e';

let stack: LocalStack;
let connector: ConnectorStandIn;

beforeAll(async () => {
  ({ stack, connector } = await startLocalStack());
});
afterAll(() => closeLocalStack(stack, connector));

const { say, approve } = localChat(() => stack, () => connector);

const state = () => stack.cloud.devops.state;
const byName = (name: string) => state().endpoints().find((e) => e.name === name)!;
const access = (project: string, name: string) => {
  const p = state().pipelines.permissionsOf(project, 'endpoint', byName(name).id);
  return { all: Boolean(p.allPipelines?.authorized), pipelines: [...p.pipelines.keys()].sort((a, b) => a - b) };
};

describe('disabled connections', () => {
  it('list disabled names them and who disabled them; show says so and how to enable', async () => {
    const listed = await say('list disabled');
    expect(listed.text).toContain('Disabled service connections');
    expect(listed.text).toContain('status-page');
    expect(listed.text).toMatch(/Disabled \(disabled by (Azure DevOps after 100 days unused|Bob Keller)/);
    expect(listed.text).not.toContain('sc-prod');
    const shown = await say('show status-page');
    expect(shown.text).toContain('Disabled: disabled by');
    expect(shown.text).toContain('enable status-page in Payments');
    expect((await say('list')).text).toContain('⛔ Disabled');
  });

  it('enable: the preview names the last users; after approval the connection is enabled, once', async () => {
    expect(byName('status-page').isDisabled).toBe(true);
    const { conversationId, card, text } = await say('enable status-page');
    expect(text).toContain('Plan: Enable status-page');
    expect(text).toContain('isDisabled');
    expect(text).toMatch(/Last used by|No pipeline run on record used it/);
    stack.devops.requests.clear();
    expect(await approve(conversationId, card)).toContain('✅ status-page: enabled');
    expect(byName('status-page').isDisabled).toBe(false);
    expect(stack.devops.requests.entries().filter((r) => r.method === 'PUT')).toHaveLength(1);
  });
});

describe('pipeline access', () => {
  it('access: open to all pipelines, the pipelines that used it by name, and the roles', async () => {
    const staging = await say('access sc-staging');
    expect(staging.text).toContain('Open to ALL pipelines');
    expect(staging.text).toContain('payments-deploy');
    expect(staging.text).toContain('only through open access');
    expect(staging.card.actions?.map((a) => a.title)).toEqual(['Restrict', 'Show']);
    const prod = await say('access sc-prod in Payments');
    expect(prod.text).toContain('Not open to all pipelines');
    expect(prod.text).toContain('Authorized pipelines (4)');
    expect(prod.text).toContain('Dana Ops');
    expect(prod.text).toContain('Administrator');
    expect(prod.text).toContain('Reader');
  });

  it('restrict: closes open access and authorizes the pipelines that used it, after approval', async () => {
    expect(access(PAYMENTS, 'sc-staging').all).toBe(true);
    const { conversationId, card, text } = await say('restrict sc-staging');
    expect(text).toContain('Plan: Restrict pipeline access of sc-staging');
    expect(text).toContain('open to all pipelines: `true` → `false`');
    expect(text).toContain('payments-ci');
    expect(await approve(conversationId, card)).toContain('✅ sc-staging: restricted to the named pipelines');
    expect(access(PAYMENTS, 'sc-staging')).toEqual({ all: false, pipelines: [10, 11, 12, 13] });
  });

  it('restrict … to: refuses a pipeline the project does not have, and warns about users that lose access', async () => {
    expect((await say('restrict sc-prod to deploy-everything')).text).toContain('Payments has no pipeline called "deploy-everything"');
    const { text } = await say('restrict sc-prod to payments-ci, nightly');
    expect(text).toContain('payments-deploy used it in the last 90 days');
    expect(text).toContain('loses access');
  });

  it('restrict all in Payments: every open connection in one plan, one pipelines read for the project', async () => {
    stack.devops.requests.clear();
    const { conversationId, card, text } = await say('restrict all in Payments');
    expect(text).toContain('sc-wif-legacy');
    const pipelineReads = stack.devops.requests.entries().filter((r) => r.method === 'GET' && /\/_apis\/pipelines$/i.test(r.path));
    expect(pipelineReads).toHaveLength(1);
    // Which connections are open: one authorized-resources read, not a permissions read per connection.
    const permissionReads = stack.devops.requests.entries().filter((r) => r.method === 'GET' && /pipelinePermissions\/endpoint\//i.test(r.path));
    // sc-staging was restricted above: only sc-wif-legacy is still open, and only it is read.
    expect(permissionReads.map((r) => r.path.split('/').at(-1))).toEqual([byName('sc-wif-legacy').id]);
    expect(stack.devops.requests.entries().filter((r) => /build\/authorizedresources$/i.test(r.path))).toHaveLength(1);
    expect(await approve(conversationId, card)).toContain('✅ sc-wif-legacy: restricted to the named pipelines');
    expect(access(PAYMENTS, 'sc-wif-legacy').all).toBe(false);
  });

  it('authorize: one more pipeline, by name', async () => {
    expect(access(PAYMENTS, 'sc-dev').pipelines).toEqual([]);
    const { conversationId, card, text } = await say('authorize sc-dev for nightly');
    expect(text).toContain('authorized: + nightly');
    expect(await approve(conversationId, card)).toContain('✅ sc-dev: authorized for the pipeline');
    expect(access(PAYMENTS, 'sc-dev')).toEqual({ all: false, pipelines: [13] });
  });
});

describe('sharing', () => {
  it('share with another project: the preview names its pipelines; after approval it is shared', async () => {
    const { conversationId, card, text } = await say('share acr-payments with Platform');
    expect(text).toContain('Plan: Share acr-payments');
    expect(text).toContain('Platform gains it');
    expect(text).toContain('nightly');
    expect(await approve(conversationId, card)).toContain('✅ acr-payments: shared');
    expect(byName('acr-payments').serviceEndpointProjectReferences?.map((r) => r.projectReference.id).sort()).toEqual([PLATFORM, PAYMENTS].sort());
  });

  it('unshare from the project it lives in is refused, shared or not: nothing planned, nothing changed', async () => {
    const before = structuredClone(byName('acr-payments').serviceEndpointProjectReferences);
    const { card, text } = await say('unshare acr-payments from Payments');
    expect(text).toContain('I can\'t unshare "acr-payments": it lives in Payments (Platform only shares it): unshare never takes a connection from its own project; say `delete` there.');
    expect(card.actions?.some((a) => a.verb === 'approve')).toBe(false);
    expect(byName('acr-payments').serviceEndpointProjectReferences).toEqual(before);
  });

  it('unshare from the other project only: the preview says what it loses; the connection stays in its own project', async () => {
    const { conversationId, card, text } = await say('unshare sc-shared-registry from Platform');
    expect(text).toContain('Platform loses it');
    expect(await approve(conversationId, card)).toContain('✅ sc-shared-registry: unshared');
    expect(byName('sc-shared-registry').serviceEndpointProjectReferences?.map((r) => r.projectReference.id)).toEqual([PAYMENTS]);
    expect((await say('unshare sc-prod from Payments')).text).toContain('say `delete` to remove it');
  });
});
