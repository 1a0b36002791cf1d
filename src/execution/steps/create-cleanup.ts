import { errorCodeOf } from '../../domain/errors';
import { madeByPlan } from '../../domain/create-connection';
import type { CreatePlan, PlanItem } from '../../domain/plan';
import type { CreateProgress } from '../run-report';
import type { AppRegistrations, ManagedIdentities, RoleAssignments } from '../../secrets/federated-identities.port';
import type { StepContext } from './step';

export interface CleanUpPorts {
  apps: AppRegistrations;
  managedIdentities: ManagedIdentities;
  roles: RoleAssignments;
}

/**
 * What a failed create made, removed in reverse (role assignment → credential → connection → app). Each removal is
 * tried on its own; what could not be removed is answered, in words a person acts on, for the outcome to list.
 * Nothing is removed that this plan did not make: the connection only when it carries the plan's marker.
 */
export async function cleanUp(ctx: StepContext, item: PlanItem, plan: CreatePlan, state: CreateProgress, o: CleanUpPorts): Promise<string[]> {
  const leftovers: string[] = [];
  const attempt = async (what: string, remove: () => Promise<void>) => {
    try {
      await remove();
    } catch (error) {
      ctx.fail(error);
      leftovers.push(`${what} (${errorCodeOf(error)})`);
    }
  };
  const clientId = plan.identity.kind === 'app' ? plan.identity.appId : plan.identity.kind === 'managed-identity' ? plan.identity.clientId : state.app?.appId;
  if (state.role && plan.role) {
    const role = plan.role;
    await attempt(`role assignment ${role.assignmentName} (${role.name}) on ${plan.scope}`, () => o.roles.remove(plan.scope, role.assignmentName));
  }
  if (state.credential && clientId) {
    const name = plan.credential.name;
    await attempt(`federated credential '${name}' on ${plan.identity.kind === 'managed-identity' ? 'the managed identity' : `app ${clientId}`}`, () => (
      plan.identity.kind === 'managed-identity' ? o.managedIdentities.deleteFederatedCredential(plan.identity.resourceId, name) : o.apps.removeFederatedCredential(clientId, name)));
  }
  if (state.posting || state.endpointId) {
    await attempt(`service connection '${plan.name}' in ${item.projectName}`, async () => {
      // A lost POST answer leaves no id: the name and this plan's marker find the connection, if it was made.
      const id = state.endpointId ?? (await ctx.devops.getByName(item.projectId, plan.name, { includeFailed: true }).then((e) => (e && madeByPlan(e, ctx.planId) ? e.id : undefined)));
      if (id) await ctx.devops.delete(id, [item.projectId]);
    });
  }
  if (state.app) {
    const app = state.app;
    await attempt(`app registration ${app.appId}`, () => o.apps.deleteApp(app.objectId));
  }
  return leftovers;
}
