import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';

/**
 * An https agent trusting the public roots plus an extra CA (the local cloud's self-signed certificate), the same
 * mechanism as src/identity/credential-factory.ts: the SDK pipelines honour PipelineOptions `agent`. Certificate
 * checks are never switched off. Undefined without a CA, so the SDK keeps its default agent.
 */
export function trustAgent(trust: { caCertificatePem: string } | undefined): Agent | undefined {
  return trust ? new Agent({ ca: [...rootCertificates, trust.caCertificatePem], keepAlive: true }) : undefined;
}

/** The stable AADSTS code in an @azure/identity failure (it wraps MSAL's error into a message-only one). */
export function aadstsCodeOf(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : '';
  return /AADSTS\d+/.exec(message)?.[0];
}
