/**
 * Issue 27: a finished plan resolves the findings it fixed at once. In local mode (the demo seed, the demo policy):
 * after a scan, `delete failed` is approved; `alerts status`, `list failed` and the health card stop listing the
 * connections it deleted right away, not at the next scan, while the one whose delete failed stays listed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bot/local-mode';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { closeLocalStack, startLocalStack } from '../support/local-stack';
import { localChat } from '../support/local-chat';
import { AlertStore } from '../../src/alerts/alert-store';

let stack: LocalStack;
let connector: ConnectorStandIn;

beforeAll(async () => {
  ({ stack, connector } = await startLocalStack());
});
afterAll(() => closeLocalStack(stack, connector));

const { say, approve } = localChat(() => stack, () => connector);
const FAILED = ['sc-failed-secret', 'sc-failed-rbac', 'sc-failed-mi'];
const findings = async () => (await new AlertStore(stack.store).lastScan())?.findings ?? [];
const findingNames = async () => new Set((await findings()).map((f) => f.name));

describe('a finished plan resolves the findings it fixed', () => {
  it('delete failed: alerts status, list failed and the last scan (the health and welcome cards) drop what it deleted at once; the failed item stays', async () => {
    await say('alerts scan');
    await stack.alerts.idle();
    const before = await findingNames();
    for (const name of FAILED) expect(before.has(name), name).toBe(true);
    const listed = await say('list failed');
    for (const name of FAILED) expect(listed.text).toContain(name);
    expect((await say('alerts status')).text).toContain('sc-failed-mi');

    // One delete is refused by Azure DevOps: that connection is still failed and must stay listed.
    const rbac = stack.cloud.devops.state.endpoints().find((e) => e.name === 'sc-failed-rbac')!;
    stack.devops.faults.scriptResponse({ method: 'DELETE', path: new RegExp(rbac.id, 'i') }, { status: 403, body: { message: 'Access denied.', typeKey: 'AccessCheckException' } });
    const { conversationId, card } = await say('delete failed');
    const outcome = await approve(conversationId, card);
    expect(outcome).toMatch(/2 done · 0 skipped · 1 failed/);

    // No scan since: the last scan itself no longer holds the deleted connections' findings.
    const after = await findingNames();
    expect([...after].filter((n) => FAILED.includes(n)).sort()).toEqual(['sc-failed-rbac']);
    const status = (await say('alerts status')).text;
    expect(status).not.toContain('sc-failed-secret');
    expect(status).not.toContain('sc-failed-mi');
    const failed = (await say('list failed')).text;
    expect(failed).toContain('sc-failed-rbac');
    expect(failed).not.toContain('sc-failed-secret');
    expect(failed).not.toContain('sc-failed-mi');
    // Findings about other connections are untouched.
    expect([...after].filter((n) => !FAILED.includes(n)).sort()).toEqual([...before].filter((n) => !FAILED.includes(n)).sort());
  });

  it('rotate: the expiring secret leaves at once, what a secret does not fix stays; migrate issuer all: the moved ones\' retiring issuer', async () => {
    await say('alerts scan');
    await stack.alerts.idle();
    const kindsOf = async (name: string) => (await findings()).filter((f) => f.name === name).map((f) => f.kind).sort();
    expect(await kindsOf('sc-staging')).toEqual(['open-to-all', 'secret-expiring']);
    const rotated = await say('rotate sc-staging');
    expect(await approve(rotated.conversationId, rotated.card)).toContain('✅ sc-staging: secret rotated');
    // A new secret fixes the expiring one; the connection is still open to all pipelines.
    expect(await kindsOf('sc-staging')).toEqual(['open-to-all']);

    const retiring = async () => (await findings()).filter((f) => f.kind === 'retiring-issuer').map((f) => f.name).sort();
    expect((await retiring()).length).toBeGreaterThan(1);
    const migrate = await say('migrate issuer all');
    expect(await approve(migrate.conversationId, migrate.card)).toMatch(/done/);
    // The multitenant one is skipped by the plan: its finding stays; the moved ones' go.
    expect(await retiring()).toEqual(['sc-wif-partner']);
  });
});
