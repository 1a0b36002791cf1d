/**
 * AppSecrets over Microsoft Graph v1.0 with @azure/core-rest-pipeline (the Azure SDK's own HTTP stack: retries
 * with Retry-After, timeouts, the `agent` trust hook). Apps are addressed by alternate key `(appId='…')`, so each
 * operation is exactly one Graph call, with no lookup of the object id first.
 */
import {
  createDefaultHttpClient, createHttpHeaders, createPipelineFromOptions, createPipelineRequest,
  type HttpClient, type Pipeline, type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { AppError } from '../domain/errors';
import type { AccessTokenSource } from '../identity/access-token-source.port';
import type { Logger } from '../logging';
import type { AppSecrets, NewSecret, PasswordCredentialInfo } from './secret-source.port';
import { graphError, graphTransportError } from './graph-errors';
import { trustAgent } from './trust-agent';

export const GRAPH_URL = 'https://graph.microsoft.com';
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export interface GraphAppSecretsOptions {
  /** A token source for GRAPH_SCOPE (RefreshingTokenSource over the bot's credential). */
  tokens: AccessTokenSource;
  /** Default https://graph.microsoft.com; the local cloud's Graph stand-in in local mode. */
  graphUrl?: string;
  trust?: { caCertificatePem: string };
  /** Pipeline retries on 429/5xx/network (honouring Retry-After); default 3. */
  maxRetries?: number;
  timeoutMs?: number;
  logger?: Logger;
}

interface GraphCall {
  operation: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

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
  private readonly pipeline: Pipeline;
  private readonly client: HttpClient = createDefaultHttpClient();
  private readonly graphUrl: string;

  constructor(private readonly options: GraphAppSecretsOptions) {
    this.graphUrl = (options.graphUrl ?? GRAPH_URL).replace(/\/+$/, '');
    this.pipeline = createPipelineFromOptions({
      agent: trustAgent(options.trust),
      retryOptions: { maxRetries: options.maxRetries ?? 3 },
      userAgentOptions: { userAgentPrefix: 'scbot' },
    });
  }

  async addPassword(appId: string, options: { displayName: string; endDateTime: string }): Promise<NewSecret & { keyId: string }> {
    const body = { passwordCredential: { displayName: options.displayName, endDateTime: options.endDateTime } };
    const reply = await this.call({ operation: 'addPassword', method: 'POST', path: `${appPath(appId)}/addPassword`, body });
    const added = JSON.parse(reply.bodyAsText ?? '{}') as { keyId?: string; secretText?: string; endDateTime?: string };
    if (!added.keyId || !added.secretText) throw graphError('addPassword', 502, undefined);
    return { keyId: added.keyId, value: added.secretText, expiresAt: added.endDateTime };
  }

  async removePassword(appId: string, keyId: string): Promise<void> {
    await this.call({ operation: 'removePassword', method: 'POST', path: `${appPath(appId)}/removePassword`, body: { keyId } });
  }

  async listPasswords(appId: string): Promise<PasswordCredentialInfo[]> {
    const reply = await this.call({ operation: 'listPasswords', method: 'GET', path: `${appPath(appId)}?$select=id,appId,passwordCredentials` });
    const app = JSON.parse(reply.bodyAsText ?? '{}') as { passwordCredentials?: Array<Record<string, unknown>> };
    return (app.passwordCredentials ?? []).map(pickPassword);
  }

  private async call(call: GraphCall): Promise<PipelineResponse> {
    let response: PipelineResponse;
    try {
      const token = await this.options.tokens.getToken();
      const request = createPipelineRequest({
        url: `${this.graphUrl}${call.path}`,
        method: call.method,
        headers: createHttpHeaders({ authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/json' }),
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        timeout: this.options.timeoutMs ?? 30_000,
      });
      response = await this.pipeline.sendRequest(this.client, request);
    } catch (error) {
      throw graphTransportError(call.operation, error);
    }
    this.options.logger?.debug({ operation: call.operation, status: response.status }, 'graph call');
    if (response.status >= 200 && response.status < 300) return response;
    throw graphError(call.operation, response.status, response.bodyAsText ?? undefined, response.headers.get('retry-after'));
  }
}
