import { lookup as dnsLookup } from 'node:dns';
import { Agent } from 'node:https';
import type { LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';

/**
 * Names under `.localhost` are loopback (RFC 6761 §6.3): the local cloud serves each Key Vault at
 * `https://{vault}.vault.localhost:<port>`, as Azure serves `https://{vault}.vault.azure.net`. Node's resolver does
 * not apply the rule, so the agent that trusts the local cloud answers those names itself; any other name resolves
 * as usual.
 */
const loopbackLookup: LookupFunction = (hostname, options, callback) => {
  if (!/\.localhost\.?$/i.test(hostname)) return dnsLookup(hostname, options, callback);
  if (options.all) return callback(null, [{ address: '127.0.0.1', family: 4 }]);
  return callback(null, '127.0.0.1', 4);
};

/**
 * An https agent trusting the public roots plus an extra CA (the local cloud's self-signed certificate), the same
 * mechanism as src/identity/credential-factory.ts: the SDK pipelines honour PipelineOptions `agent`. Certificate
 * checks are never switched off. Undefined without a CA, so the SDK keeps its default agent.
 */
export function trustAgent(trust: { caCertificatePem: string } | undefined): Agent | undefined {
  return trust ? new Agent({ ca: [...rootCertificates, trust.caCertificatePem], keepAlive: true, lookup: loopbackLookup }) : undefined;
}

/** The stable AADSTS code in an @azure/identity failure (it wraps MSAL's error into a message-only one). */
export function aadstsCodeOf(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : '';
  return /AADSTS\d+/.exec(message)?.[0];
}
