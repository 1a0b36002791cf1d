import { randomUUID } from 'node:crypto';

/** Teams-shaped incoming activities, as the Bot Connector posts them to /api/messages. */
export const BOT = { id: '28:scbot-app-id', name: 'scbot' } as const;
export const USER = { id: '29:user-1', name: 'Dana Ops', aadObjectId: '00000000-0000-0000-0000-0000000000d1' } as const;
export const TENANT_ID = '7a1b2c3d-0000-4000-8000-00000000beef';

export interface ActivityOptions {
  serviceUrl: string;
  conversationId?: string;
}

function base(options: ActivityOptions, conversationType: 'personal' | 'channel', extra: Record<string, unknown> = {}) {
  return {
    type: 'message',
    id: `msg-${randomUUID()}`,
    timestamp: new Date(0).toISOString(),
    channelId: 'msteams',
    serviceUrl: options.serviceUrl,
    from: { ...USER },
    recipient: { ...BOT },
    conversation: { id: options.conversationId ?? `a:personal-${randomUUID()}`, conversationType, tenantId: TENANT_ID, ...extra },
    channelData: { tenant: { id: TENANT_ID } },
    locale: 'en-US',
  };
}

/** A 1:1 chat message: Teams sends the text as typed (sometimes wrapped in <p>). */
export function personalMessage(text: string, options: ActivityOptions) {
  return { ...base(options, 'personal'), text, textFormat: 'plain' };
}

/** A channel message: the bot is @mentioned, with the mention in the text and as an entity. */
export function channelMention(command: string, options: ActivityOptions) {
  const mention = `<at>${BOT.name}</at>`;
  const activity = base(options, 'channel', { isGroup: true, id: options.conversationId ?? `19:channel-${randomUUID()};messageid=1` });
  return {
    ...activity,
    text: `${mention} ${command}`,
    textFormat: 'plain',
    entities: [{ type: 'mention', text: mention, mentioned: { ...BOT } }],
    channelData: { ...activity.channelData, teamsChannelId: '19:channel', teamsTeamId: '19:team', channel: { id: '19:channel' }, team: { id: '19:team' } },
  };
}

/** Card button press delivered as a message with `value` (Action.Submit without imBack support). */
export function submitMessage(value: Record<string, unknown>, options: ActivityOptions) {
  return { ...base(options, 'personal'), value };
}

/** The bot added to a conversation. */
export function botAdded(options: ActivityOptions) {
  return { ...base(options, 'personal'), type: 'conversationUpdate', membersAdded: [{ ...BOT }] };
}

/** POST an activity to the bot as the Bot Connector would (local mode: no Authorization header). */
export async function postActivity(botUrl: string, activity: object): Promise<Response> {
  return fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
}

/** A tap on a card button that runs a command (Action.Execute, verb `command`), as Teams sends the invoke. */
export function commandTap(command: string, options: ActivityOptions, where: 'personal' | 'channel' = 'personal') {
  const from = where === 'channel' ? channelMention('', options) : personalMessage('', options);
  return {
    ...from, type: 'invoke', name: 'adaptiveCard/action', text: undefined, entities: undefined, replyToId: `card-${randomUUID()}`,
    value: { action: { type: 'Action.Execute', verb: 'command', data: { command } }, trigger: 'manual' },
  };
}
