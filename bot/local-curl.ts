/** Trying local mode without the Agents Playground: one HTTP request, the answer in its response. */

/**
 * A message activity anyone can POST to try local mode from a shell: `deliveryMode: "expectReplies"` makes the bot
 * answer in the HTTP response (an `activities` array) instead of posting to a Bot Connector; the serviceUrl is on
 * loopback because local mode posts nowhere else.
 */
export function curlActivity(text: string): Record<string, unknown> {
  return {
    type: 'message', text, deliveryMode: 'expectReplies', serviceUrl: 'http://127.0.0.1', channelId: 'msteams', id: 'curl-1',
    from: { id: '29:curl-user', name: 'Curl User' }, recipient: { id: '28:scbot', name: 'scbot' }, conversation: { id: 'curl-chat', conversationType: 'personal' },
  };
}

/** The copy-paste command the banner prints (single quotes: the JSON holds no apostrophe). */
export function curlCommand(botEndpoint: string, text = 'list failed'): string {
  return `curl -s ${botEndpoint} -H 'content-type: application/json' -d '${JSON.stringify(curlActivity(text))}'`;
}
