/**
 * One chat turn over the real Bot Framework protocol: POST a Teams message activity to the bot's /api/messages
 * with `serviceUrl` at a connector stand-in, timed until the HTTP answer (the bot replies through the connector).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/** Who says it, where: one bench user in one conversation unless a bench plays several people. */
export interface Speaker {
  conversationId: string;
  userId: string;
}

const BENCH_SPEAKER: Speaker = { conversationId: 'bench-conversation', userId: 'bench-user' };

function messageActivity(serviceUrl: string, text: string, who: Speaker): Record<string, unknown> {
  return {
    type: 'message', id: randomUUID(), timestamp: new Date().toISOString(), channelId: 'msteams', serviceUrl, text,
    from: { id: who.userId, name: 'Bench User', aadObjectId: `${who.userId}-oid` },
    recipient: { id: 'scbot', name: 'scbot' },
    conversation: { id: who.conversationId, conversationType: 'personal', tenantId: 'bench-tenant' },
    channelData: { tenant: { id: 'bench-tenant' } }, locale: 'en-US',
  };
}

/** Milliseconds from POST to the complete HTTP answer; throws on a non-2xx answer. */
export async function turn(endpoint: string, serviceUrl: string, text: string, who: Speaker = BENCH_SPEAKER): Promise<number> {
  const body = JSON.stringify(messageActivity(serviceUrl, text, who));
  const started = performance.now();
  const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (response.status >= 300) throw new Error(`turn failed: HTTP ${response.status} from ${endpoint}`);
  return elapsed;
}

