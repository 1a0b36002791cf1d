/**
 * A channel conversation with the bot about plans, for the e2e tests of the change commands: a requester says a
 * command, reads the preview, an approver taps Approve (the Universal Actions invoke Teams sends), and the test reads
 * the card's last update — the outcome.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import type { AppSettings, AppTuning } from '../../bot/compose';
import { ANYONE, type PolicyConfig } from '../../src/domain/policy';
import { channelMention, postActivity } from './activities';
import { textBlocksOf } from './adaptive-cards';
import { startTestApp, type StartedApp, type TestPorts } from './test-app';

export interface ChatUser { id: string; name: string; aadObjectId: string }
export interface Preview { planId: string; version: string; conversationId: string; cardId: string; text: string }
export type PlanCard = {
  actions?: Array<{ verb?: string; title?: string; data?: { planId?: string; version?: string; command?: string } }>;
  refresh?: { action?: { data?: { planId: string; version: string } } };
};

export class PlanChat {
  constructor(private readonly o: { url: string; connector: ConnectorStandIn; idle: () => Promise<void>; requester: ChatUser; approver: ChatUser }) {}

  /** The requester says `command` in a new conversation; the bot's one reply. */
  async say(command: string): Promise<{ conversationId: string; body: Record<string, unknown> }> {
    const { connector } = this.o;
    const conversationId = `19:plans-${randomUUID()};messageid=1`;
    const replies = connector.nextReplies(conversationId);
    expect((await postActivity(this.o.url, { ...channelMention(command, { serviceUrl: connector.serviceUrl, conversationId }), from: { ...this.o.requester } })).status).toBe(200);
    const [reply] = await replies;
    return { conversationId, body: reply!.body };
  }

  /** A command that must answer with a plan to approve: its Approve button's data and the card's text. */
  async ask(command: string): Promise<Preview> {
    const { conversationId, body } = await this.say(command);
    const card = (body.attachments as Array<{ content: PlanCard }>)[0]!.content;
    const approve = card.actions?.find((a) => a.verb === 'approve');
    expect(approve?.data, textBlocksOf(card)).toBeDefined();
    return { planId: approve!.data!.planId!, version: approve!.data!.version!, conversationId, cardId: `act-card-${randomUUID()}`, text: textBlocksOf(card) };
  }

  /** A tap on the plan's card; returns the replacement card. */
  async tap(user: ChatUser, verb: string, preview: Preview): Promise<PlanCard> {
    const base = channelMention('', { serviceUrl: this.o.connector.serviceUrl, conversationId: preview.conversationId });
    const invoke = {
      ...base, type: 'invoke', name: 'adaptiveCard/action', text: undefined, entities: undefined, from: { ...user }, replyToId: preview.cardId,
      value: { action: { type: 'Action.Execute', verb, data: { planId: preview.planId, version: preview.version } }, trigger: 'manual' },
    };
    const response = await postActivity(this.o.url, invoke);
    expect(response.status).toBe(200);
    return ((await response.json()) as { value: PlanCard }).value;
  }

  /** The approver approves; once the plan ran, the card's last update (the outcome) as text and as the card. */
  async approve(preview: Preview): Promise<{ text: string; card: PlanCard }> {
    await this.tap(this.o.approver, 'approve', preview);
    await this.o.idle();
    const update = this.o.connector.calls.filter((c) => c.kind === 'update' && c.activityId === preview.cardId).at(-1)!;
    const attachments = update.body.attachments as Array<{ content: PlanCard }>;
    return { text: textBlocksOf(attachments), card: attachments[0]!.content };
  }
}

/** Two people: one may request, the other approve (four-eyes as the policy states it). */
export const REQUESTER: ChatUser = { id: '29:user-a', name: 'Avery Requester', aadObjectId: 'aaaaaaaa-0000-4000-8000-00000000000a' };
export const APPROVER: ChatUser = { id: '29:user-b', name: 'Blake Approver', aadObjectId: 'bbbbbbbb-0000-4000-8000-00000000000b' };
export const TWO_PERSON_POLICY: PolicyConfig = {
  requesters: { users: [REQUESTER.aadObjectId], groups: [] }, approvers: { users: [APPROVER.aadObjectId], groups: [] },
  conversations: [ANYONE], tenants: [ANYONE], planTtlMinutes: 30, twoApproversOver: 10,
};

export interface PlanChatSession {
  chat: PlanChat;
  app: StartedApp;
  connector: ConnectorStandIn;
  close(): Promise<void>;
}

/** The app (two-person policy unless told otherwise) and a connector stand-in, with the chat between them. */
export async function startPlanChat(ports: TestPorts, settings: Partial<AppSettings> = {}, tuning: AppTuning = {}): Promise<PlanChatSession> {
  const connector = new ConnectorStandIn();
  await connector.start();
  const app = await startTestApp(ports, { policy: TWO_PERSON_POLICY, ...settings }, tuning);
  const chat = new PlanChat({ url: app.url, connector, idle: () => app.approvals.idle(), requester: REQUESTER, approver: APPROVER });
  return {
    chat, app, connector,
    close: async () => {
      await app.approvals.idle();
      await app.close();
      await connector.close();
    },
  };
}
