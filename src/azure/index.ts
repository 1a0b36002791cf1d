export type { AppSecrets, NewSecret, PasswordCredentialInfo, SecretVerifier, VaultSecrets } from './secret-source.port';
export { GraphAppSecrets, GRAPH_SCOPE, GRAPH_URL, type GraphAppSecretsOptions } from './graph-app-secrets';
export { KeyVaultSecrets, DEFAULT_VAULT_URL_TEMPLATE, type KeyVaultSecretsOptions } from './key-vault-secrets';
export { TokenSecretVerifier, requireVerifiedSecret, type TokenSecretVerifierOptions } from './token-secret-verifier';
export type { AppRegistration, AppRegistrations, AzureRoleAssignment, FederatedCredential, ManagedIdentities, ManagedIdentity, NewApp, RoleAssignments } from './federated-identities.port';
export { ArmRoleAssignments, ROLE_ASSIGNMENT_API } from './arm-role-assignments';
export { GraphAppRegistrations } from './graph-app-registrations';
export { ArmManagedIdentities, MANAGED_IDENTITY_API } from './arm-managed-identities';
export { ARM_SCOPE, ARM_URL } from './arm-client';
