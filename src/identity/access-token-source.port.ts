/**
 * A bearer token for one audience, always valid for at least a few minutes when returned.
 * Implementations cache and refresh ahead of expiry; callers ask before every request.
 */
export interface AccessTokenSource {
  getToken(): Promise<string>;
}
