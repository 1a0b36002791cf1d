/**
 * Which service principal the bot is, read from its own Graph access token: app-only tokens from Entra carry the
 * caller's service principal object id in `oid` (access token claims reference). INFERRED that Graph tokens stay
 * readable JWTs (Microsoft calls access tokens opaque to clients): when one is not, this answers undefined and the
 * check that uses it fails closed — a new app's owners then cannot be shown to be the bot alone.
 */
export function callerObjectId(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const oid = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { oid?: unknown }).oid;
    return typeof oid === 'string' ? oid.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}
