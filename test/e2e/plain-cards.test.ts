/**
 * Plans and outcomes in plain language, for every operation in src/operations/operations.ts: each one's `demo`
 * command is said against the local demo seed, a second person approves, and both cards — the preview and the
 * outcome — are read as a person sees them (hidden details excluded): "What will happen" as numbered steps, no
 * internal code, no word cut in two; the outcome says the result first, who ran it and how long it took, and
 * offers the next step.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bot/local-mode';
import type { CardJson } from '../../src/cards/card';
import { OPERATIONS } from '../../src/operations/operations';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { closeLocalStack, startLocalStack } from '../support/local-stack';
import { BLAKE } from '../support/local-chat';
import { personalMessage, postActivity } from '../support/activities';
import { midWordCutsIn, rawCodesIn, visibleTexts } from '../support/card-checks';

let stack: LocalStack;
let connector: ConnectorStandIn;

beforeAll(async () => {
  ({ stack, connector } = await startLocalStack());
});
afterAll(() => closeLocalStack(stack, connector));

type Action = { type?: string; title?: string; verb?: string; data?: Record<string, unknown> };
const firstCard = (attachments: unknown): CardJson => ((attachments as Array<{ content: CardJson }> | undefined)?.[0]?.content ?? {}) as CardJson;
const actionsOf = (card: CardJson): Action[] => ((card as { actions?: Action[] }).actions ?? []);

async function say(command: string): Promise<{ conversationId: string; card: CardJson }> {
  const activity = personalMessage(command, { serviceUrl: connector.serviceUrl });
  const replies = connector.nextReplies(activity.conversation.id);
  expect((await postActivity(stack.botUrl, activity)).status).toBe(200);
  const [reply] = await replies;
  return { conversationId: activity.conversation.id, card: firstCard(reply?.body.attachments) };
}

async function approve(conversationId: string, card: CardJson): Promise<CardJson> {
  const data = actionsOf(card).find((a) => a.verb === 'approve')?.data;
  expect(data, 'the preview has an Approve button').toBeDefined();
  const replyToId = `act-${randomUUID()}`;
  const invoke = {
    ...personalMessage('', { serviceUrl: connector.serviceUrl, conversationId }), type: 'invoke', name: 'adaptiveCard/action', text: undefined,
    id: `msg-${randomUUID()}`, replyToId, from: { ...BLAKE }, value: { action: { type: 'Action.Execute', verb: 'approve', data }, trigger: 'manual' },
  };
  expect((await postActivity(stack.botUrl, invoke)).status).toBe(200);
  await stack.approvals.idle();
  const updates = connector.calls.filter((c) => c.kind === 'update' && c.activityId === replyToId);
  return firstCard(updates.at(-1)?.body.attachments);
}

describe.each(OPERATIONS.map((o) => [o.name, o] as const))('operation %s in plain words', (_name, operation) => {
  it('previews numbered steps and the outcome result first, with no code and no word cut in two', async () => {
    const { conversationId, card } = await say(operation.demo);
    const seen = visibleTexts(card);
    expect(seen).toContain('What will happen');
    expect(seen.filter((t) => /^\d\. /.test(t)).length).toBeGreaterThan(0);
    expect(seen.join('\n')).not.toMatch(/Calls: |REST call|data\.|authorization\.parameters/);
    expect(seen.join('\n')).not.toMatch(/DELETED|⚠️ .*(revertible|expires)/i);
    expect(seen.filter((t) => t.includes('P-')).length, 'the plan id once').toBe(1);
    expect(rawCodesIn(card)).toEqual([]);
    expect(midWordCutsIn(card)).toEqual([]);
    expect(actionsOf(card).some((a) => a.title === 'Show details')).toBe(true);

    const outcome = await approve(conversationId, card);
    const said = visibleTexts(outcome);
    expect(said[0]).toMatch(new RegExp(`^✅ .+: ${operation.wording.itemDone}`));
    expect(said.join('\n')).toMatch(/Run by scbot, approved by Blake Approver, on .+; took (under a second|\d+ s)\./);
    expect(said.join('\n')).not.toContain('0 done');
    expect(rawCodesIn(outcome)).toEqual([]);
    expect(midWordCutsIn(outcome)).toEqual([]);
  });
});

describe.each(['convert all', 'migrate issuer all', 'delete failed'])('the bulk command %s in plain words', (command) => {
  it('previews its steps once for every connection, and its outcome says the result first and the skips once', async () => {
    const { conversationId, card } = await say(command);
    const seen = visibleTexts(card);
    // Up to 3 connections each get their own steps; more, the steps once for all.
    expect(seen.some((t) => t === 'What will happen' || t === 'What will happen, for each connection')).toBe(true);
    expect(rawCodesIn(card)).toEqual([]);
    expect(midWordCutsIn(card)).toEqual([]);

    const outcome = await approve(conversationId, card);
    const said = visibleTexts(outcome);
    expect(said[0]).toMatch(/^(✅ \d+ (of \d+ )?connections |⚠️ Partially failed)/);
    expect(said[1]).toMatch(/^\d+ done · \d+ skipped · \d+ failed\.$/);
    // Skips said once: the count line and one row per reason (names, then why); the plan's own list is folded.
    expect(said.filter((t) => /skipped/.test(t) && !t.startsWith('Next:'))).toEqual([said[1]]);
    expect(said.join('\n')).not.toMatch(/Skipped \(\d+\)|skipped when planned/);
    expect(rawCodesIn(outcome)).toEqual([]);
    expect(midWordCutsIn(outcome)).toEqual([]);
  });
});
