/**
 * INFERRED — the one place to change when a live capture of the migration call says otherwise.
 *
 * The only public caller of `externalfederatedcredentialmigration` is an unmerged Azure CLI change (cli-ext PR #1508):
 * it posts `{"serviceConnectionInput": "sc://<org>/<project>/<name>"}` with a Bearer token at api-version
 * 7.2-preview.1, raises any non-2xx reply, and its test mocks the success reply as `{"status":"success"}`. How the
 * service answers when the identity lacks the new federated credential is undocumented; the portal then shows
 * issuer, subject and audience for the owner to add. The shapes below encode that reading.
 */
export interface MigrationTarget {
  issuer: string;
  subject: string;
  audience: string;
}

export const MIGRATION_WIRE = {
  /** The connection now uses the Entra issuer. */
  migrated: (target: MigrationTarget) => ({ status: 'success', ...target }),
  /** Manual fallback: nothing changed; add this federated credential to the identity, then call again. */
  manualActionRequired: (target: MigrationTarget) => ({ status: 'federatedCredentialRequired', ...target }),
};
