/**
 * Microsoft Graph v1.0 over @azure/core-rest-pipeline (the Azure SDK's own HTTP stack: retries with Retry-After,
 * timeouts, the `agent` trust hook), shared by every Graph adapter. Errors carry the operation and status, never
 * the token or a request body.
 */
import {
  createDefaultHttpClient, createHttpHeaders, createPipelineFromOptions, createPipelineRequest,
  type HttpClient, type Pipeline, type PipelineResponse,
} from '@azure/core-rest-pipeline';
import type { AccessTokenSource } from '../identity/access-token-source.port';
import type { Logger } from '../logging';
import { graphError, graphTransportError } from './graph-errors';
import { trustAgent } from './trust-agent';

export const GRAPH_URL = 'https://graph.microsoft.com';
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export interface GraphClientOptions {
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

export interface GraphCall {
  operation: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  /** Beyond authorization, accept and content-type (e.g. `prefer: create-if-missing`). */
  headers?: Record<string, string>;
}

export class GraphClient {
  private readonly pipeline: Pipeline;
  private readonly client: HttpClient = createDefaultHttpClient();
  private readonly graphUrl: string;

  constructor(private readonly options: GraphClientOptions, private readonly defaultTimeoutMs = 30_000) {
    this.graphUrl = (options.graphUrl ?? GRAPH_URL).replace(/\/+$/, '');
    this.pipeline = createPipelineFromOptions({
      agent: trustAgent(options.trust),
      retryOptions: { maxRetries: options.maxRetries ?? 3 },
      userAgentOptions: { userAgentPrefix: 'scbot' },
    });
  }

  /** The answer whatever its status; only a failure to get one throws. */
  async send(call: GraphCall): Promise<PipelineResponse> {
    let response: PipelineResponse;
    try {
      const token = await this.options.tokens.getToken();
      const request = createPipelineRequest({
        url: `${this.graphUrl}${call.path}`,
        method: call.method,
        headers: createHttpHeaders({ ...call.headers, authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/json' }),
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        timeout: this.options.timeoutMs ?? this.defaultTimeoutMs,
      });
      response = await this.pipeline.sendRequest(this.client, request);
    } catch (error) {
      throw graphTransportError(call.operation, error);
    }
    this.options.logger?.debug({ operation: call.operation, status: response.status }, 'graph call');
    return response;
  }

  /** A 2xx answer, or a typed GRAPH.* error. */
  async call(call: GraphCall): Promise<PipelineResponse> {
    const response = await this.send(call);
    if (response.status >= 200 && response.status < 300) return response;
    throw graphError(call.operation, response.status, response.bodyAsText ?? undefined, response.headers.get('retry-after'));
  }
}
