/**
 * SignInNameSource over Microsoft Graph v1.0: GET /users/{id}?$select=userPrincipalName,mail (User.Read.All, which
 * group lookups already need). Remembered briefly per person, like groups: a preview and its taps come in bursts.
 */
import type { LRUCache } from 'lru-cache';
import { clockedLru } from '../clocked-lru';
import type { Clock } from '../domain/time';
import { graphError } from '../azure/graph-errors';
import { GraphClient, type GraphClientOptions } from '../azure/graph-client';
import type { SignInNameSource } from './sign-in-names.port';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TTL_MS = 60_000;
const MAX_ENTRIES = 1_000;

export class GraphSignInNames implements SignInNameSource {
  private readonly graph: GraphClient;
  private readonly seen: LRUCache<string, string[]>;

  constructor(options: GraphClientOptions, clock: Clock) {
    this.graph = new GraphClient(options, 15_000);
    this.seen = clockedLru({ clock, ttlMs: TTL_MS, max: MAX_ENTRIES });
  }

  async namesOf(aadObjectId: string): Promise<string[]> {
    // Object ids come from activities (attacker-shaped): anything but a GUID is never spliced into a URL.
    if (!GUID.test(aadObjectId)) return [];
    const key = aadObjectId.toLowerCase();
    const hit = this.seen.get(key);
    if (hit) return [...hit];
    const names = await this.read(aadObjectId);
    this.seen.set(key, names);
    return [...names];
  }

  private async read(aadObjectId: string): Promise<string[]> {
    const response = await this.graph.send({ operation: 'getUser', method: 'GET', path: `/v1.0/users/${aadObjectId}?$select=userPrincipalName,mail` });
    if (response.status === 404) return [];
    if (response.status < 200 || response.status >= 300) throw graphError('getUser', response.status, response.bodyAsText ?? undefined, response.headers.get('retry-after'));
    const body = JSON.parse(response.bodyAsText ?? '{}') as { userPrincipalName?: unknown; mail?: unknown };
    return [body.userPrincipalName, body.mail].filter((n): n is string => typeof n === 'string' && n.length > 0);
  }
}
