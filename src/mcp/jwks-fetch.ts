import { get } from 'node:https';
import type { Agent } from 'node:https';

/** A key set is a few KB; anything much larger is not one. */
const MAX_JWKS_BYTES = 256 * 1024;

type JoseFetch = (url: string, options: { headers: Headers; method: string; redirect: 'manual'; signal: AbortSignal }) => Promise<Response>;

/**
 * jose's key-set fetch (its `customFetch` hook) over an https agent that trusts an extra CA: the local Entra
 * stand-in's self-signed certificate, made after Node read NODE_EXTRA_CA_CERTS (src/secrets/trust-agent.ts). Outside
 * local mode jose's own fetch is used. Certificate checks are never switched off; redirects are not followed.
 */
export function fetchTrusting(agent: Agent): JoseFetch {
  return (url, options) => new Promise<Response>((resolve, reject) => {
    const request = get(url, { agent, headers: Object.fromEntries(options.headers), signal: options.signal }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_JWKS_BYTES) request.destroy(new Error('key set too large'));
        else chunks.push(chunk);
      });
      // jose reads only a 200's body; any other status is answered without one (Response refuses bodies on some).
      const status = response.statusCode ?? 502;
      response.on('end', () => resolve(status === 200 ? new Response(Buffer.concat(chunks), { status }) : new Response(null, { status: status >= 200 && status <= 599 ? status : 502 })));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}
