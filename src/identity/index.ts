export type { AccessTokenSource } from './access-token-source.port';
export { createCredential, type CreateCredentialOptions } from './credential-factory';
export { AZURE_DEVOPS_SCOPE, RefreshingTokenSource, type RefreshingTokenSourceOptions } from './refreshing-token-source';
