/**
 * The seed's identity sections, read by the local cloud (seed.ts keeps unknown sections as they are):
 *   applications: [{ objectId, appId, displayName, owners: [servicePrincipal objectIds],
 *                    passwordCredentials: [{ keyId, displayName, secretText, startDateTime, endDateTime }],
 *                    keyCredentials?, federatedIdentityCredentials?, servicePrincipalId? }]
 *   bot:          { appId, objectId (its service principal object id), tenantId, displayName?, graphPermissions?,
 *                   requestedAccessTokenVersion? }
 *   keyVaults:    { "<vault>": { "<secretName>": { value, expires?, contentType? } } }
 * Validated here with zod so a typo fails loudly when the local cloud starts.
 */
import { z } from 'zod';
import type { ApplicationInput } from './application-registry';
import type { SeedKeyVaults } from '../keyvault/vault-store';

const guid = z.guid();
const iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO date');
const password = z.object({
  keyId: guid.optional(), displayName: z.string().optional(), secretText: z.string().min(1),
  startDateTime: iso.optional(), endDateTime: iso.optional(),
});
const keyCredential = z.object({
  keyId: guid.optional(), displayName: z.string().optional(), certificatePem: z.string().optional(),
  publicKeyPem: z.string().optional(), startDateTime: iso.optional(), endDateTime: iso.optional(),
});
const federated = z.object({
  id: guid.optional(), name: z.string().min(1), issuer: z.string().min(1), subject: z.string().min(1),
  audiences: z.array(z.string()).optional(), description: z.string().optional(),
});
/** Microsoft Graph application permissions (app role values), e.g. Application.ReadWrite.OwnedBy. */
const graphPermissions = z.array(z.string().regex(/^[A-Za-z]+(\.[A-Za-z]+)+$/, 'a Graph permission such as Application.ReadWrite.OwnedBy'));
const tokenVersion = z.union([z.literal(1), z.literal(2)]);
/** What the product's README asks an operator to grant the bot on Graph. */
export const DEFAULT_BOT_GRAPH_PERMISSIONS = ['Application.ReadWrite.OwnedBy'];

const application = z.object({
  objectId: guid, appId: guid, displayName: z.string().min(1), servicePrincipalId: guid.optional(),
  signInAudience: z.enum(['AzureADMyOrg', 'AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount']).optional(),
  owners: z.array(guid).default([]),
  passwordCredentials: z.array(password).default([]),
  keyCredentials: z.array(keyCredential).default([]),
  federatedIdentityCredentials: z.array(federated).default([]),
  graphPermissions: graphPermissions.default([]),
  requestedAccessTokenVersion: tokenVersion.optional(),
});
const bot = z.object({
  appId: guid, objectId: guid, tenantId: guid, displayName: z.string().optional(),
  graphPermissions: graphPermissions.default(DEFAULT_BOT_GRAPH_PERMISSIONS), requestedAccessTokenVersion: tokenVersion.optional(),
});
const vaults = z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/, 'a Key Vault name'),
  z.record(z.string().regex(/^[A-Za-z0-9-]{1,127}$/, 'a secret name'), z.object({ value: z.string(), expires: iso.optional(), contentType: z.string().optional() })));

const sections = z.object({
  applications: z.array(application).default([]),
  bot: bot.optional(),
  keyVaults: vaults.default({}),
});

export type SeedApplication = z.infer<typeof application>;
export type SeedBot = z.infer<typeof bot>;

export interface IdentitySeed {
  applications: ApplicationInput[];
  bot?: SeedBot;
  keyVaults: SeedKeyVaults;
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => (seen.has(v.toLowerCase()) ? true : (seen.add(v.toLowerCase()), false)));
}

/** Reads `applications`, `bot` and `keyVaults` from a parsed seed. Throws an Error listing every problem. */
export function parseIdentitySeed(seed: Record<string, unknown>): IdentitySeed {
  const parsed = sections.safeParse({ applications: seed.applications, bot: seed.bot, keyVaults: seed.keyVaults });
  if (!parsed.success) throw new Error(`Invalid emulator seed (applications/bot/keyVaults):\n${z.prettifyError(parsed.error)}`);
  const { applications, keyVaults } = parsed.data;
  const clashes = [...duplicates(applications.map((a) => a.appId)), ...duplicates(applications.map((a) => a.objectId))];
  if (parsed.data.bot && applications.some((a) => a.appId.toLowerCase() === parsed.data.bot?.appId.toLowerCase())) clashes.push(parsed.data.bot.appId);
  if (clashes.length > 0) throw new Error(`Invalid emulator seed: duplicate application ids ${clashes.join(', ')}`);
  return {
    applications: applications.map((a) => ({
      id: a.objectId, appId: a.appId, displayName: a.displayName, servicePrincipalId: a.servicePrincipalId, owners: a.owners,
      ...(a.signInAudience ? { signInAudience: a.signInAudience } : {}),
      passwordCredentials: a.passwordCredentials, keyCredentials: a.keyCredentials, federatedIdentityCredentials: a.federatedIdentityCredentials,
      graphPermissions: a.graphPermissions, ...(a.requestedAccessTokenVersion ? { requestedAccessTokenVersion: a.requestedAccessTokenVersion } : {}),
    })),
    bot: parsed.data.bot,
    keyVaults,
  };
}
