// Microsoft's own clients pointed at a local cloud: the bot's client-secret credential from @azure/identity against
// the Entra stand-in, and an https agent that trusts the cloud's self-signed certificate (handed to each SDK's
// pipeline, as NODE_EXTRA_CA_CERTS is read before the certificate exists).
import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { ClientSecretCredential } from '@azure/identity';
import type { CloudEndpoints } from '../src/index';

export function trustingAgent(cloud: Pick<CloudEndpoints, 'trust'>): Agent {
  return new Agent({ ca: [...rootCertificates, cloud.trust.caCertificatePem], keepAlive: false });
}

/** The bot's own credential; another app's when `as` names it. */
export function botCredential(cloud: CloudEndpoints, as?: { clientId: string; clientSecret: string }): ClientSecretCredential {
  const id = cloud.identityConfig;
  return new ClientSecretCredential(id.tenantId, as?.clientId ?? id.clientId, as?.clientSecret ?? id.clientSecret, {
    authorityHost: id.authorityHost, disableInstanceDiscovery: true, agent: trustingAgent(cloud),
  });
}

/** The claims of a JWT, read without checking it (the test asks what the issuer put in, not whether to trust it). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}
