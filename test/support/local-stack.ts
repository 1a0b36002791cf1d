/**
 * `npm start`'s stack in-process (the demo seed, the demo policy, no playground) beside a Bot Connector stand-in
 * that receives its replies and proactive posts: what the local-mode e2e files start before their tests.
 */
import { expect } from 'vitest';
import { startLocal, type LocalStack } from '../../bot/local-mode';
import { createLogger } from '../../src/logging';
import { ConnectorStandIn, type ConnectorCall } from '@scbot/stand-ins/botframework';

type ConnectorOptions = ConstructorParameters<typeof ConnectorStandIn>[0];
import { channelMention, postActivity } from './activities';

/** `connector`: the stand-in's options, e.g. rate limits tighter than Teams' documented ones. */
export async function startLocalStack(connectorOptions?: ConnectorOptions): Promise<{ stack: LocalStack; connector: ConnectorStandIn }> {
  const connector = new ConnectorStandIn(connectorOptions);
  await connector.start();
  const stack = await startLocal({ port: 0, playground: false, logger: createLogger({ level: 'silent' }) });
  return { stack, connector };
}

/** Waits for background runs and scans first, so no test's work outlives its file. */
export async function closeLocalStack(stack: LocalStack | undefined, connector: ConnectorStandIn | undefined): Promise<void> {
  await stack?.alerts.idle();
  await stack?.approvals.idle();
  await stack?.close();
  await connector?.close();
}

/** Says `command` in a channel as Dana; returns the bot's reply to that message (not a proactive post). */
export async function sayInChannel(stack: LocalStack, connector: ConnectorStandIn, conversationId: string, command: string): Promise<ConnectorCall> {
  const activity = channelMention(command, { serviceUrl: connector.serviceUrl, conversationId });
  expect((await postActivity(stack.botUrl, activity)).status).toBe(200);
  const replyTo = () => connector.calls.find((c) => c.kind === 'reply' && c.activityId === activity.id);
  await expect.poll(replyTo, { timeout: 15_000 }).toBeDefined();
  return replyTo()!;
}
