/**
 * Trying local mode without the Playground (issue 27 §8): the `--no-playground` banner's curl command, posted as
 * printed, gets the bot's answer in the HTTP response (`deliveryMode: "expectReplies"`); a bare POST gets a 403 that
 * says why and what to send instead, with nothing from the request or the configuration in it. (A real deployment's
 * 403 stays terse: test/e2e/outbound-allowlist.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bot/local-mode';
import { localBanner } from '../../bot/local-mode';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { closeLocalStack, startLocalStack } from '../support/local-stack';
import { textBlocksOf } from '../support/adaptive-cards';

let stack: LocalStack;
let connector: ConnectorStandIn;

beforeAll(async () => {
  ({ stack, connector } = await startLocalStack());
});
afterAll(() => closeLocalStack(stack, connector));

/** The curl line of the banner, split back into its URL and JSON body (what a shell would send). */
function bannerCurl(): { url: string; body: string } {
  const line = localBanner(stack).split('\n').find((l) => l.trim().startsWith('curl '));
  expect(line, 'the banner prints a curl command').toBeDefined();
  const match = /curl -s (\S+) -H 'content-type: application\/json' -d '(.*)'$/.exec(line!.trim());
  expect(match).not.toBeNull();
  return { url: match![1]!, body: match![2]! };
}

describe('trying local mode with curl', () => {
  it('the banner\'s curl command gets the answer in the response body, and nothing is posted anywhere', async () => {
    const { url, body } = bannerCurl();
    expect(url).toBe(stack.botEndpoint);
    expect(JSON.parse(body)).toMatchObject({ deliveryMode: 'expectReplies', text: 'list failed' });
    const before = connector.calls.length;
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { activities: Array<{ type: string; attachments?: unknown }> };
    expect(answer.activities).toHaveLength(1);
    const text = textBlocksOf(answer.activities[0]!.attachments);
    expect(text).toContain('sc-failed-secret');
    expect(connector.calls.length).toBe(before);
  });

  it('a bare POST is refused with a reason that says what to send, echoing nothing', async () => {
    const response = await fetch(stack.botEndpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', text: 'hello', serviceUrl: 'https://evil.example/SEEDSECRET-x' }) });
    expect(response.status).toBe(403);
    const body = (await response.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['error', 'reason', 'referenceId']);
    expect(body.error).toBe('Forbidden');
    expect(body.reason).toContain('"deliveryMode": "expectReplies"');
    expect(body.reason).toContain('127.0.0.1');
    expect(JSON.stringify(body)).not.toMatch(/evil|SEEDSECRET|hello/);
    // Nothing of the local cloud either (its addresses, the bot's app id).
    expect(JSON.stringify(body)).not.toContain(stack.localIdentity.clientId);
    expect(JSON.stringify(body)).not.toContain(new URL(stack.cloud.devops.orgUrl).port);
  });
});
