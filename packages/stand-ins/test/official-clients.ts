// Microsoft's own clients pointed at a local cloud: the bot's client-secret credential from @azure/identity against
// the Entra stand-in, and an https agent that trusts the cloud's self-signed certificate (handed to each SDK's
// pipeline, as NODE_EXTRA_CA_CERTS is read before the certificate exists).
import { lookup } from 'node:dns';
import { Agent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { AuthenticationHandler, Client, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import type { CloudEndpoints } from '../src/index';

/** `*.localhost` is loopback (RFC 6761 §6.3), where the Key Vault stand-in serves each vault; Node's resolver does not know. */
const loopbackLookup: LookupFunction = (hostname, options, callback) => {
  if (!/\.localhost$/i.test(hostname)) return lookup(hostname, options, callback);
  if (options.all) return callback(null, [{ address: '127.0.0.1', family: 4 }]);
  return callback(null, '127.0.0.1', 4);
};

export function trustingAgent(cloud: Pick<CloudEndpoints, 'trust'>): Agent {
  return new Agent({ ca: [...rootCertificates, cloud.trust.caCertificatePem], keepAlive: false, lookup: loopbackLookup });
}

/** The bot's own credential; another app's when `as` names it. */
export function botCredential(cloud: CloudEndpoints, as?: { clientId: string; clientSecret: string }): ClientSecretCredential {
  const id = cloud.identityConfig;
  return new ClientSecretCredential(id.tenantId, as?.clientId ?? id.clientId, as?.clientSecret ?? id.clientSecret, {
    authorityHost: id.authorityHost, disableInstanceDiscovery: true, agent: trustingAgent(cloud),
  });
}

/** Options an ARM management client (@azure/arm-*) needs to reach the local cloud's ARM with the bot's token. */
export function armClientOptions(cloud: CloudEndpoints) {
  return { endpoint: cloud.armUrl, credentialScopes: ['https://management.azure.com/.default'], agent: trustingAgent(cloud), retryOptions: { maxRetries: 0 } };
}

/** The claims of a JWT, read without checking it (the test asks what the issuer put in, not whether to trust it). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * The Graph JavaScript client's last middleware, sending over node:https with the cloud's CA: its own
 * HTTPMessageHandler calls the global fetch, which takes no agent. The other middleware (the official
 * AuthenticationHandler with @azure/identity) run unchanged before it.
 */
class TrustingHttpHandler implements Middleware {
  constructor(private readonly agent: Agent) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const init = context.options ?? {};
    const headers = Object.fromEntries(new Headers(init.headers as ConstructorParameters<typeof Headers>[0]).entries());
    context.response = await new Promise<Response>((resolve, reject) => {
      const req = httpsRequest(url, { method: init.method ?? 'GET', headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const replyHeaders = new Headers(Object.entries(res.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]])));
          resolve(new Response(chunks.length ? Buffer.concat(chunks) : null, { status: res.statusCode ?? 0, headers: replyHeaders }));
        });
      });
      req.on('error', reject);
      req.end(init.body === undefined || init.body === null ? undefined : String(init.body));
    });
  }
}

/** @microsoft/microsoft-graph-client for the local cloud's Graph, signed in with `credential`. */
export function graphClient(cloud: CloudEndpoints, credential: TokenCredential): Client {
  const auth = new AuthenticationHandler(new TokenCredentialAuthenticationProvider(credential, { scopes: ['https://graph.microsoft.com/.default'] }));
  auth.setNext(new TrustingHttpHandler(trustingAgent(cloud)));
  return Client.initWithMiddleware({ middleware: auth, baseUrl: `${cloud.graphUrl}/`, customHosts: new Set([new URL(cloud.graphUrl).hostname]) });
}
