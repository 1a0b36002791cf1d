export * from './application-registry';
export * from './entra-emulator';
export * from './entra-errors';
export { audienceOfScope, type TokenRequestRecord } from './token-endpoint';
export type { AccessTokenClaims, VerifyAccessTokenOptions } from './token-issuer';
export { verifyRs256AccessToken, type AccessTokenRejection, type Rs256VerifyOptions } from './access-token-verifier';
export * from './federated-credentials';
export { generateLocalhostCertificate, type TlsCertificate } from './tls-certificate';
export * from './seed-applications';
