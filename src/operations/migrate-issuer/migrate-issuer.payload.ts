import type { PlanItem } from '../../domain/plan';

/**
 * A move to the Entra issuer: what the executor needs beyond the connection. The new subject is not here: Azure
 * DevOps names it (the credential is created from its answer, never from a guess).
 */
export interface IssuerMovePlan {
  /** `sc://<org>/<project>/<name>`: the input of the migration call, and the old credential's subject. */
  oldSubject: string;
  oldIssuer: string;
  newIssuer: string;
  audience: string;
  /** The federated credential the bot creates if Azure DevOps cannot. */
  credentialName: string;
  /** Where that credential goes: the app (Graph), the user-assigned managed identity (ARM), or nowhere visible. */
  identity: { kind: 'app'; appId: string } | { kind: 'managed-identity'; clientId: string; resourceId: string } | { kind: 'unknown'; clientId: string };
}

/** A migrate-issuer item: the connection and its move (absent only in a plan no planner wrote: the step refuses it). */
export type IssuerItem = PlanItem & { issuer?: IssuerMovePlan };
