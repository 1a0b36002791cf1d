/**
 * The operation contract, end to end, for every operation in src/operations/operations.ts (no list of names
 * here: a new operation is covered by adding it there). Each one's `demo` command is said in Teams against the
 * local demo seed; its preview card is drawn with the operation's verb and its own item lines; a second person
 * approves; the step runs against the stand-ins; the outcome card says the operation's past tenses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bot/local-mode';
import { OPERATIONS } from '../../src/operations/operations';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { closeLocalStack, startLocalStack } from '../support/local-stack';
import { localChat } from '../support/local-chat';


let stack: LocalStack;
let connector: ConnectorStandIn;

beforeAll(async () => {
  ({ stack, connector } = await startLocalStack());
});
afterAll(() => closeLocalStack(stack, connector));

const { say, approve } = localChat(() => stack, () => connector);

describe.each(OPERATIONS.map((o) => [o.name, o] as const))('operation %s', (_name, operation) => {
  it('its demo command is one of its commands; preview → approval → execution → outcome in its own words', async () => {
    const verb = operation.demo.split(' ')[0];
    expect(operation.commands.map((c) => c.id)).toContain(verb);
    const { conversationId, card, text } = await say(operation.demo);
    expect(text).toContain(`Plan: ${operation.wording.verb}`);
    expect(text).not.toContain('${');
    const outcome = await approve(conversationId, card);
    // One connection done: the result first, in the operation's own word for an item ("sc-prod: secret rotated").
    expect(outcome).toContain(`: ${operation.wording.itemDone}`);
    expect(outcome).not.toContain(`Done: `);
    expect(outcome).toContain('Run by scbot, approved by Blake Approver');
    expect(outcome).not.toContain('${');
  });
});
