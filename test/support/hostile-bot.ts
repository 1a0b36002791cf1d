/**
 * The bot over HTTP against connections an attacker named (issue 20): the same composeApp, an in-memory Azure
 * DevOps holding a healthy `sc-prod` and its decoys, a connector stand-in that records what the bot posts. Taps
 * send a card button's data exactly as the card carries it, as Teams does.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { ConnectorStandIn, type ConnectorCall } from '@scbot/stand-ins/botframework';
import { InMemoryServiceEndpoints } from './in-memory-service-endpoints';
import type { ProjectReference, ServiceEndpoint } from '../../src/domain/endpoint';
import type { Plan } from '../../src/domain/plan';
import { systemClock } from '../../src/domain/time';
import { createLogger } from '../../src/logging';
import { ALERT_DEFAULTS } from '../../src/config';
import { channelMention, postActivity } from './activities';
import { NO_APP_SECRETS, startTestApp, type StartedApp } from './test-app';

export const PAYMENTS: ProjectReference = { id: '7d580254-36c2-5bda-9608-ea9bb037b823', name: 'Payments' };
export const PLATFORM: ProjectReference = { id: '2ae12be5-9b3b-56e1-83de-10c785e1c36e', name: 'Platform' };
/** The app of every connection whose secret the radar reads as expiring (so its alert offers Rotate and Convert). */
export const EXPIRING_APP = '0e0e0e0e-0000-4000-8000-0000000000e0';

let counter = 0;
const nextId = () => `c0ffee00-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

/** An Automatic ServicePrincipal connection in Payments (what `convert all` would take), failed when asked. */
export function connection(name: string, options: { failed?: boolean; app?: string; project?: ProjectReference } = {}): ServiceEndpoint {
  const project = options.project ?? PAYMENTS;
  return {
    id: nextId(), name, type: 'azurerm', url: 'https://management.azure.com/', isReady: !options.failed, isShared: false,
    authorization: { scheme: 'ServicePrincipal', parameters: { tenantid: 'tenant-1', serviceprincipalid: options.app ?? '0e0e0e0e-0000-4000-8000-000000000001', authenticationType: 'spnKey' } },
    data: { creationMode: 'Automatic', subscriptionName: 'Contoso Prod', subscriptionId: 'sub-1' },
    operationStatus: options.failed ? { state: 'Failed', statusMessage: 'Failed to create an app in Microsoft Entra ID.' } : { state: 'Ready', statusMessage: '' },
    serviceEndpointProjectReferences: [{ projectReference: { id: project.id, name: project.name }, name }],
  };
}

/** The healthy connections a misdirected button would hit: `sc-prod`, and others `convert all` or `delete failed` take. */
export const DECOYS = (): ServiceEndpoint[] => [connection('sc-prod'), connection('sc-prod-eu'), connection('sc-decoy-failed', { failed: true })];

export interface HostileBot {
  app: StartedApp;
  devops: InMemoryServiceEndpoints;
  connector: ConnectorStandIn;
  close(): Promise<void>;
}

export async function startHostileBot(endpoints: ServiceEndpoint[]): Promise<HostileBot> {
  const devops = new InMemoryServiceEndpoints([PAYMENTS, PLATFORM], endpoints);
  const connector = new ConnectorStandIn();
  await connector.start();
  const soon = new Date(Date.now() + 3 * 86_400_000).toISOString();
  const appSecrets = { ...NO_APP_SECRETS, listPasswords: async (appId: string) => (appId === EXPIRING_APP ? [{ keyId: 'k-1', endDateTime: soon }] : []) };
  const logger = createLogger({ level: 'warn', destination: new Writable({ write(_c, _e, done) { done(); } }) });
  // One card per finding (no digest), so each alert's own buttons are there to tap.
  const app = await startTestApp({ devops, logger, clock: systemClock, appSecrets }, { alerts: { ...ALERT_DEFAULTS, scanMinutes: 0, digestOver: 50 } });
  return { app, devops, connector, close: async () => { await app.close(); await connector.close(); } };
}

export type Card = { body?: unknown[]; actions?: Array<{ title: string; verb?: string; data?: Record<string, unknown> }> };
export const cardOf = (call: ConnectorCall): Card => ((call.body.attachments ?? []) as Array<{ content: Card }>)[0]?.content ?? {};

/** The bot's answer to an activity (a reply or an invoke's message), once the connector has it. */
async function answerTo(bot: HostileBot, activityId: string): Promise<ConnectorCall> {
  for (let waited = 0; waited < 15_000; waited += 20) {
    const found = bot.connector.calls.find((c) => c.activityId === activityId);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no answer to ${activityId}`);
}

/** Posts a channel message and returns the bot's reply to it. */
export async function say(bot: HostileBot, conversationId: string, command: string): Promise<ConnectorCall> {
  const activity = channelMention(command, { serviceUrl: bot.connector.serviceUrl, conversationId });
  const posted = await postActivity(bot.app.url, activity);
  if (posted.status !== 200) throw new Error(`the bot answered ${posted.status}`);
  return answerTo(bot, activity.id);
}

export interface TapResult {
  status: number;
  /** The message the bot posted in answer (a plan preview, a card, a refusal); absent when the tap was refused. */
  answer?: ConnectorCall;
}

/** A tap on a `command` button with exactly this data (Action.Execute), as Teams sends it from a channel. */
export async function tapButton(bot: HostileBot, conversationId: string, data: unknown): Promise<TapResult> {
  const base = channelMention('', { serviceUrl: bot.connector.serviceUrl, conversationId });
  const tap = { ...base, type: 'invoke', name: 'adaptiveCard/action', text: undefined, entities: undefined, replyToId: `card-${randomUUID()}`, value: { action: { type: 'Action.Execute', verb: 'command', data }, trigger: 'manual' } };
  const response = await postActivity(bot.app.url, tap);
  if (response.status !== 200) return { status: response.status };
  return { status: 200, answer: await answerTo(bot, tap.id) };
}

/** The plan a preview card was drawn for (the server's copy, found from its Approve button), if the answer is one. */
export async function planOf(bot: HostileBot, answer: ConnectorCall | undefined): Promise<Plan | undefined> {
  const approve = answer ? cardOf(answer).actions?.find((a) => a.verb === 'approve') : undefined;
  const planId = approve?.data?.planId;
  return typeof planId === 'string' ? bot.app.services.plans.get(planId) : undefined;
}

/** Ids of the connections every plan proposed so far acts on (the audit trail's `requested` events), sorted. */
export async function plannedIds(bot: HostileBot): Promise<string[]> {
  const events = await bot.app.services.audit.query();
  return events.filter((e) => e.kind === 'requested').flatMap((e) => e.connections.map((c) => c.endpointId)).sort();
}

/** What `after` holds that `before` did not (both from plannedIds): the connections planned in between. */
export function plannedSince(before: readonly string[], after: readonly string[]): string[] {
  const left = [...before];
  return after.filter((id) => {
    const at = left.indexOf(id);
    if (at === -1) return true;
    left.splice(at, 1);
    return false;
  });
}
