import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { startTestApp, type StartedApp as RunningApp } from '../support/test-app';
import { tokenCredentialsFactory, type BotFrameworkEndpoints } from '../../bot/auth-settings';
import { systemClock } from '../../src/domain/time';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import type { ServiceEndpoints } from '../../src/devops/service-endpoints.port';
import { serviceUrlPolicy } from '../../src/domain/service-url';
import { startBotFrameworkOpenIdStandIn, type BotFrameworkOpenIdStandIn } from '@scbot/stand-ins/botframework';
import { startEntraEmulator, type EntraEmulator } from '@scbot/stand-ins';
import { createCredential } from '../../src/identity';
import { createLogger } from '../../src/logging';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';

/**
 * The Azure-mode bot (an app id, so inbound authentication on) wired to local stand-ins for everything the Bot
 * Framework does: OpenID metadata + JWKS (inbound tokens), Entra (the bot's outbound token), the Bot Connector
 * (replies). botframework-connector caches metadata per URL for 24 h in a static map, so a test file starts this
 * once (beforeAll) and keeps it.
 */
export const APP_ID = '6f1c1a8e-1b1e-4a43-9a57-0d6b0c0e3b1a';
export const BOT_FRAMEWORK_SCOPE_AUDIENCE = 'https://api.botframework.com';

export interface AuthHarness {
  app: RunningApp;
  openId: BotFrameworkOpenIdStandIn;
  entra: EntraEmulator;
  connector: ConnectorStandIn;
  /** Calls the bot's turns made to the ServiceEndpoints port: 0 means no turn handler ran a command. */
  portCalls(): number;
  logLines: string[];
  close(): Promise<void>;
}

/** Counts every call on the port: the one observable thing the turn handler does for `list`. */
export function counting(inner: ServiceEndpoints): { endpoints: ServiceEndpoints; count: () => number } {
  let calls = 0;
  const endpoints = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls += 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { endpoints, count: () => calls };
}

function endpointsFor(openId: BotFrameworkOpenIdStandIn, entra: EntraEmulator): BotFrameworkEndpoints {
  return {
    ToBotFromChannelOpenIdMetadataUrl: openId.metadataUrl,
    ToBotFromChannelTokenIssuer: openId.issuer,
    ToBotFromEmulatorOpenIdMetadataUrl: openId.metadataUrl,
    ToChannelFromBotLoginUrl: `${entra.authorityHost}/${entra.tenantId}`,
    ToChannelFromBotOAuthScope: BOT_FRAMEWORK_SCOPE_AUDIENCE,
    // Never contacted by these tests (no sign-in cards); a reserved name, so a mistake fails loudly.
    OAuthUrl: 'https://token.botframework.invalid',
    ValidateAuthority: false,
    CallerId: 'urn:botframework:azure',
  };
}

export async function startAuthHarness(options: { serviceUrlHosts: string[] }): Promise<AuthHarness> {
  const clientSecret = randomBytes(24).toString('base64url');
  const openId = await startBotFrameworkOpenIdStandIn({ endorsements: ['msteams'] });
  const entra = await startEntraEmulator({ applications: [{ appId: APP_ID, passwordCredentials: [{ secretText: clientSecret }] }] });
  const connector = new ConnectorStandIn();
  await connector.start();
  const credential = createCredential(
    { kind: 'client-secret', tenantId: entra.tenantId, clientId: APP_ID, clientSecret, authorityHost: entra.authorityHost },
    { trust: { caCertificatePem: entra.caCertificatePem } },
  );
  const logLines: string[] = [];
  const destination = new Writable({ write(chunk, _enc, done) { logLines.push(String(chunk)); done(); } });
  const { endpoints, count } = counting(new InMemoryServiceEndpoints([]));
  const app = await startTestApp({ devops: endpoints, logger: createLogger({ level: 'debug', destination }), clock: systemClock }, {
    auth: { appId: APP_ID, appType: 'MultiTenant', endpoints: endpointsFor(openId, entra), credentialsFactory: tokenCredentialsFactory(APP_ID, credential) },
    // The connector stand-in is plain http on loopback: an Azure-mode test app must allow that explicitly.
    serviceUrls: serviceUrlPolicy(options.serviceUrlHosts, { allowHttp: true }),
  });
  return {
    app, openId, entra, connector, portCalls: count, logLines,
    close: async () => {
      await app.close();
      await connector.close();
      await entra.close();
      await openId.close();
    },
  };
}

/** POST an activity with an optional bearer token, as the Bot Connector does. */
export async function postWithToken(botUrl: string, activity: object, token?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return fetch(`${botUrl}/api/messages`, { method: 'POST', headers, body: JSON.stringify(activity) });
}
