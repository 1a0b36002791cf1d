/**
 * AppSecrets over Microsoft Graph v1.0 with @azure/core-rest-pipeline (the Azure SDK's own HTTP stack: retries
 * with Retry-After, timeouts, the `agent` trust hook). Apps are addressed by alternate key `(appId='…')`, so each
 * operation is exactly one Graph call, with no lookup of the object id first.
 */
import { AppError } from '../domain/errors';
import type { AppSecrets, NewSecret, PasswordCredentialInfo } from './secret-source.port';
import { graphError } from './graph-errors';
import { GraphClient, type GraphClientOptions } from './graph-client';

export { GRAPH_SCOPE, GRAPH_URL } from './graph-client';

export type GraphAppSecretsOptions = GraphClientOptions;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
}
