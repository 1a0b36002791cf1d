/**
 * Moving a workload identity federation connection from the Azure DevOps issuer to the Entra issuer.
 *
 * INFERRED: there is no documented REST call for the portal's "Update"; the only public caller is an unmerged Azure
 * CLI change (azure-devops-cli-extension PR #1508, connection-lifecycle facts §1.2). The adapter keeps the call in
 * one method (AzureDevOpsServiceEndpoints.migrateIssuer) and the reading of its answer in one function
 * (federation-migration-wire.ts), so a live capture changes two small places.
 */
export type MigrationAnswer =
  /** Azure DevOps says it moved the connection; the caller still verifies by reading it back. */
  | { kind: 'moved' }
  /**
   * The manual fallback: nothing changed; the identity needs a federated credential with exactly this issuer,
   * subject and audience (the portal shows the same three), then the call is made again ("Try again").
   */
  | { kind: 'credential-required'; issuer: string; subject: string; audience: string };

export interface FederationMigration {
  /** `oldSubject` is the connection's Azure DevOps subject, `sc://<org>/<project>/<name>`, as the CLI change sends it. */
  migrateIssuer(oldSubject: string): Promise<MigrationAnswer>;
}
