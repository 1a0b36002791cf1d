/**
 * AppSecrets over Microsoft Graph v1.0 with @azure/core-rest-pipeline (the Azure SDK's own HTTP stack: retries
 * with Retry-After, timeouts, the `agent` trust hook). Apps are addressed by alternate key `(appId='…')`, so each
 * operation is exactly one Graph call, with no lookup of the object id first. The radar reads many apps at once:
 * `$filter=appId in (…)` names 15 apps per request (Graph's default limit for `in`) and a JSON batch carries 20
 * requests, so one call reads up to 300 apps.
 */
import { AppError } from '../domain/errors';
import type { AppSecrets, ManyPasswords, NewSecret, PasswordCredentialInfo } from './secret-source.port';
import { batchGets, type BatchAnswer } from './graph-batch';
import { graphError } from './graph-errors';
import { GraphClient, type GraphClientOptions } from './graph-client';
import { GUID } from '../domain/guid';

export { GRAPH_SCOPE, GRAPH_URL } from './graph-client';

export type GraphAppSecretsOptions = GraphClientOptions;

/** Graph's default limit of values in one `in` (learn.microsoft.com/graph/filter-query-parameter). */
const IN_MAX = 15;
const SELECT = '$select=id,appId,passwordCredentials';

function appPath(appId: string): string {
  // Client ids are GUIDs; refusing anything else keeps a name from ever being spliced into the URL.
  if (!GUID.test(appId)) throw new AppError('GRAPH.NOT_FOUND', 'There is no app registration with that client id (not a GUID).');
  return `/v1.0/applications(appId='${appId}')`;
}

function pickPassword(raw: Record<string, unknown>): PasswordCredentialInfo {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  // Field by field, so a secretText a server sent by mistake can never travel further.
  return { keyId: String(raw.keyId), displayName: str(raw.displayName), hint: str(raw.hint), startDateTime: str(raw.startDateTime), endDateTime: str(raw.endDateTime) };
}

export class GraphAppSecrets implements AppSecrets {
  private readonly graph: GraphClient;

  constructor(options: GraphAppSecretsOptions) {
    this.graph = new GraphClient(options);
  }

  async addPassword(appId: string, options: { displayName: string; endDateTime: string }): Promise<NewSecret & { keyId: string }> {
    const body = { passwordCredential: { displayName: options.displayName, endDateTime: options.endDateTime } };
    const reply = await this.graph.call({ operation: 'addPassword', method: 'POST', path: `${appPath(appId)}/addPassword`, body });
    const added = JSON.parse(reply.bodyAsText ?? '{}') as { keyId?: string; secretText?: string; endDateTime?: string };
    if (!added.keyId || !added.secretText) throw graphError('addPassword', 502, undefined);
    return { keyId: added.keyId, value: added.secretText, expiresAt: added.endDateTime };
  }

  async removePassword(appId: string, keyId: string): Promise<void> {
    await this.graph.call({ operation: 'removePassword', method: 'POST', path: `${appPath(appId)}/removePassword`, body: { keyId } });
  }

  async listPasswords(appId: string): Promise<PasswordCredentialInfo[]> {
    const reply = await this.graph.call({ operation: 'listPasswords', method: 'GET', path: `${appPath(appId)}?$select=id,appId,passwordCredentials` });
    const app = JSON.parse(reply.bodyAsText ?? '{}') as { passwordCredentials?: Array<Record<string, unknown>> };
    return (app.passwordCredentials ?? []).map(pickPassword);
  }

  /**
   * A list leaves out apps it may not show (or that do not exist) rather than refusing them, so those few are read
   * again one by one, still batched, for their own answer (GRAPH.FORBIDDEN, GRAPH.NOT_FOUND) like listPasswords.
   */
  async listPasswordsOf(appIds: readonly string[], maxCalls: number): Promise<ManyPasswords> {
    const read: ManyPasswords['read'] = new Map();
    const ids = [...new Set(appIds.map((id) => id.toLowerCase()))];
    for (const id of ids.filter((i) => !GUID.test(i))) read.set(id, new AppError('GRAPH.NOT_FOUND', 'There is no app registration with that client id (not a GUID).'));
    const valid = ids.filter((i) => GUID.test(i));
    const groups = Array.from({ length: Math.ceil(valid.length / IN_MAX) }, (_, i) => valid.slice(i * IN_MAX, (i + 1) * IN_MAX));
    const gets = groups.map((group, i) => ({ id: String(i), url: `/applications?$filter=${encodeURIComponent(`appId in (${group.map((a) => `'${a}'`).join(',')})`)}&${SELECT}` }));
    const listed = await batchGets(this.graph, 'listPasswords', gets, maxCalls);
    const missing: string[] = [];
    for (const [index, group] of groups.entries()) {
      const answer = listed.answers.get(String(index));
      if (!answer) continue;
      if ('error' in answer) for (const id of group) read.set(id, answer.error);
      else for (const id of group) if (!setFound(read, id, answer)) missing.push(id);
    }
    const one = await batchGets(this.graph, 'listPasswords', missing.map((id) => ({ id, url: `${appPath(id).replace(/^\/v1\.0/, '')}?${SELECT}` })), maxCalls - listed.calls);
    for (const [id, answer] of one.answers) read.set(id, 'error' in answer ? answer.error : passwordsOf(answer.body));
    const unread = [...listed.unsent.flatMap((index) => groups[Number(index)] ?? []), ...one.unsent];
    return { read, unread, calls: listed.calls + one.calls };
  }
}

function passwordsOf(app: unknown): PasswordCredentialInfo[] {
  return ((app as { passwordCredentials?: Array<Record<string, unknown>> } | null)?.passwordCredentials ?? []).map(pickPassword);
}

/** Takes app `id`'s passwords from a list answer; false when the list left it out. */
function setFound(read: ManyPasswords['read'], id: string, answer: Extract<BatchAnswer, { body: unknown }>): boolean {
  const apps = (answer.body as { value?: Array<{ appId?: string }> } | null)?.value ?? [];
  const app = apps.find((a) => a.appId?.toLowerCase() === id);
  if (app) read.set(id, passwordsOf(app));
  return app !== undefined;
}
