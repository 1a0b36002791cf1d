/**
 * Which fixes an alert may offer: the ones the bot's planners would accept for the connection as the scan read it.
 * The checks are the planners' own (rotate, convert, the issuer move), never a copy: an alert that offers Migrate for
 * a multitenant app's connection, which `migrate issuer` then refuses, is a button a person cannot trust.
 * The issuer move also depends on who is behind the connection (a multitenant app keeps the Azure DevOps issuer):
 * one Graph read per app, only for connections on the retiring issuer that pass every other check.
 */
import { isAppError } from '../domain/errors';
import { usesRetiringIssuer, type ServiceEndpoint } from '../domain/endpoint';
import type { Finding, GatedFix } from '../domain/findings';
import { issuerMoveIneligibility, param, type FederatedIdentity } from '../domain/issuer';
import type { PlanTarget } from '../domain/planning';
import { rotateIneligibility } from '../domain/rotation-eligibility';
import { convertIneligibility } from '../operations/convert/convert.planner';
import type { AppRegistrations } from '../azure/federated-identities.port';

export type Refused = Partial<Record<GatedFix, string>>;

/** The fixes each kind of finding offers that depend on the connection (the others, Show and Delete, always work). */
const GATED: Readonly<Partial<Record<Finding['kind'], readonly GatedFix[]>>> = {
  failed: ['rotate'], 'secret-expiring': ['rotate', 'convert'], 'secret-expired': ['rotate', 'convert'], 'retiring-issuer': ['migrate'],
};

const targetOf = (endpoint: ServiceEndpoint, project: string): PlanTarget => ({ endpoint, project: { id: '', name: project }, history: [] });

/** Why each gated fix would be refused from the connection alone (undefined when all would be accepted). */
export function refusedFixes(endpoint: ServiceEndpoint, project: string): Refused | undefined {
  const target = targetOf(endpoint, project);
  const unknown: FederatedIdentity = { kind: 'unknown', clientId: param(endpoint, 'serviceprincipalid') ?? '' };
  const reasons: Refused = {
    rotate: rotateIneligibility(target), convert: convertIneligibility(target),
    ...(usesRetiringIssuer(endpoint) ? { migrate: issuerMoveIneligibility(endpoint, unknown) } : {}),
  };
  const found = Object.entries(reasons).filter(([, why]) => why !== undefined);
  return found.length ? Object.fromEntries(found) : undefined;
}

/** The finding with the refusals of the fixes it would offer (other refusals are no concern of its card). */
export function withRefusals(finding: Finding, refused: Refused | undefined): Finding {
  const own = (GATED[finding.kind] ?? []).filter((fix) => refused?.[fix] !== undefined);
  if (own.length === 0) return finding;
  return { ...finding, refused: Object.fromEntries(own.map((fix) => [fix, refused?.[fix]])) };
}

/**
 * Who is behind connections on the retiring issuer, as `migrate issuer` reads it: an app Graph can read, or Graph
 * refusing to let the bot read apps at all; anything else (a managed identity, an app not found) does not decide.
 * One read per app per scan, within the calls the scan has left.
 */
export class IssuerIdentities {
  private readonly known = new Map<string, FederatedIdentity | undefined>();
  calls = 0;

  constructor(private readonly apps: Pick<AppRegistrations, 'find'>) {}

  /** The issuer-move refusal once the identity is known; `budget` false leaves the connection as it was. */
  async refine(endpoint: ServiceEndpoint, refused: Refused | undefined, budget: () => boolean): Promise<Refused | undefined> {
    if (!usesRetiringIssuer(endpoint) || refused?.migrate !== undefined) return refused;
    const clientId = (param(endpoint, 'serviceprincipalid') ?? '').toLowerCase();
    if (!clientId) return refused;
    if (!this.known.has(clientId)) {
      if (!budget()) return refused;
      this.known.set(clientId, await this.read(clientId));
    }
    const identity = this.known.get(clientId);
    const why = identity ? issuerMoveIneligibility(endpoint, identity) : undefined;
    return why ? { ...refused, migrate: why } : refused;
  }

  private async read(clientId: string): Promise<FederatedIdentity | undefined> {
    this.calls += 1;
    try {
      const app = await this.apps.find(clientId);
      return app ? { kind: 'app', ...app } : undefined;
    } catch (error) {
      if (isAppError(error) && error.code === 'GRAPH.FORBIDDEN') return { kind: 'unreadable-app', clientId };
      // Not found, throttled, down: this scan cannot tell, and the preview will.
      if (isAppError(error)) return undefined;
      throw error;
    }
  }
}
