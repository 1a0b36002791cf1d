import type { IncomingMessage } from 'node:http';
import { WebApi } from 'azure-devops-node-api';
import { LocationsApi, type ILocationsApi } from 'azure-devops-node-api/LocationsApi.js';
import type { IHttpClient, IHttpClientResponse, IRequestHandler } from 'azure-devops-node-api/interfaces/common/VsoBaseInterfaces.js';

export type ResponseObserver = (message: IncomingMessage) => void;

interface HasRestClient {
  rest: { client: IHttpClient };
}

function hasRestClient(api: unknown): api is HasRestClient {
  const rest = (api as { rest?: { client?: { request?: unknown } } } | null)?.rest;
  return typeof rest?.client?.request === 'function';
}

const observed = new WeakSet<IHttpClient>();

/** 203, or any 2xx in HTML: the sign-in page an expired or foreign token gets (azure-devops-api-facts.md §5). */
export function isSignInPage(message: IncomingMessage): boolean {
  const status = message.statusCode ?? 0;
  const type = String(message.headers['content-type'] ?? '').toLowerCase();
  return status === 203 || (status >= 200 && status < 300 && type.startsWith('text/html'));
}

/**
 * Let `observer` see every raw response of a client API before typed-rest-client parses it. This is the one place
 * that sees response headers on success (Retry-After on a 200, rate-limit headers) and the only place a 2xx HTML
 * sign-in page can be told apart from "no content": RestClient.processResponse swallows the JSON parse error and
 * resolves with `result: null`, which getServiceEndpointDetails would turn into "no such connection".
 * The observer may throw to fail the request.
 */
export function observeResponses(api: unknown, observer: ResponseObserver): void {
  if (!hasRestClient(api)) throw new Error('azure-devops-node-api client without a rest client: unsupported version');
  const client = api.rest.client;
  if (observed.has(client)) return;
  observed.add(client);
  const original = client.request.bind(client);
  client.request = async (verb, requestUrl, data, headers): Promise<IHttpClientResponse> => {
    const response = await original(verb, requestUrl, data, headers);
    try {
      observer(response.message);
    } catch (error) {
      response.message.resume(); // drain the unread body so the socket is released
      throw error;
    }
    return response;
  };
}

/**
 * A WebApi whose discovery client (Location / ResourceAreas) uses the same options as every other client. The stock
 * getLocationsApi forces `allowRetries: true, maxRetries: 5` with its own sleeps; the adapter has one retry policy.
 */
export class ObservedWebApi extends WebApi {
  constructor(orgUrl: string, handler: IRequestHandler, socketTimeoutMs: number, private readonly observer: ResponseObserver) {
    super(orgUrl, handler, { allowRetries: false, maxRetries: 0, socketTimeout: socketTimeoutMs }, { productName: 'scbot', productVersion: '0.1.0' });
  }

  override async getLocationsApi(serverUrl?: string, handlers?: IRequestHandler[]): Promise<ILocationsApi> {
    const api = new LocationsApi((await serverUrl) || this.serverUrl, handlers ?? [this.authHandler], this.options, this.userAgent);
    observeResponses(api, this.observer);
    return api;
  }
}
