import type { TokenCredential } from '@azure/identity';
import type { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { BotFrameworkEndpointSettings } from '../src/config';

/**
 * How botbuilder authenticates: inbound Bot Connector tokens, and the bot's own token on replies.
 * Kept apart from server.ts so the "all override keys or none" rule lives in one typed place.
 */

/** The outbound credentials factory botbuilder expects (its abstract class is not exported by `botbuilder`). */
export type CredentialsFactory = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1]>;
type ServiceClientCredentials = Awaited<ReturnType<CredentialsFactory['createCredentials']>>;

/**
 * Bot Framework endpoints outside the public cloud (configuration: botbuilder's setting names, all or none; the tests
 * point them at local stand-ins). All keys are required: given any one of them, botframework-connector uses only
 * the supplied values, so a missing issuer would make every token fail and a missing metadata URL would fetch
 * `undefined`.
 */
export type BotFrameworkEndpoints = BotFrameworkEndpointSettings;

export interface BotAuth {
  appId?: string;
  appPassword?: string;
  appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId?: string;
  /** Tests only: every Bot Framework endpoint, pointed at local stand-ins. */
  endpoints?: BotFrameworkEndpoints;
  /** The bot's outbound credentials; default: built by botbuilder from appId / appPassword / appType. */
  credentialsFactory?: CredentialsFactory;
}

/** The settings object ConfigurationBotFrameworkAuthentication reads (its keys are botbuilder's names). */
export function authSettings(auth: BotAuth): Record<string, string> {
  const settings: Record<string, string> = {};
  if (auth.appId) settings.MicrosoftAppId = auth.appId;
  if (auth.appPassword) settings.MicrosoftAppPassword = auth.appPassword;
  if (auth.appType) settings.MicrosoftAppType = auth.appType;
  if (auth.tenantId) settings.MicrosoftAppTenantId = auth.tenantId;
  if (auth.endpoints) {
    const { ValidateAuthority, ...urls } = auth.endpoints;
    for (const [key, value] of Object.entries(urls)) {
      if (!value) throw new Error(`Bot Framework endpoint ${key} is empty: set all of them or none`);
      settings[key] = value;
    }
    settings.ValidateAuthority = String(ValidateAuthority);
  }
  return settings;
}

/**
 * Outbound credentials from an @azure/identity TokenCredential (one identity stack for everything): the token
 * for `<audience>/.default` goes on each Bot Connector request. @azure/identity caches and renews it.
 */
export function tokenCredentialsFactory(appId: string, credential: TokenCredential): CredentialsFactory {
  return {
    isValidAppId: async (candidate: string) => candidate === appId,
    isAuthenticationDisabled: async () => false,
    createCredentials: async (_appId: string, audience: string | undefined): Promise<ServiceClientCredentials> => {
      const scope = `${(audience ?? 'https://api.botframework.com').replace(/\/+$/, '')}/.default`;
      return {
        async signRequest(webResource) {
          const token = await credential.getToken(scope);
          if (!token) throw new Error('No token for the Bot Connector');
          webResource.headers.set('authorization', `Bearer ${token.token}`);
          return webResource;
        },
      };
    },
  };
}
