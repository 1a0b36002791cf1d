import { errorCodeOf, isAppError } from '../../domain/errors';
import { carriesKey } from './create-connection';
import type { CreateItem, CreatePlan } from './create.payload';
import type { CreateProgress } from '../../execution/run-report';
import type { AppRegistrations, ManagedIdentities, RoleAssignments } from '../../azure/federated-identities.port';
import type { StepContext } from '../../execution/step';

export interface CleanUpPorts {
  apps: AppRegistrations;
  managedIdentities: ManagedIdentities;
  roles: RoleAssignments;
}

/**
 * What a failed create may have made, removed in reverse (role assignment → credential → connection → app). A write
 * counts from the moment it was sent, not from its answer: one whose answer was lost may have committed, so it is
 * removed by its plan-fixed name (already gone is fine). Each removal is tried on its own; what could not be removed
 * is answered, in words a person acts on, for the outcome to list. Nothing is removed that this run did not make:
 * the connection only by the id it recorded or the run's key, the app only by the key. `keepConnection`: the
 * connection changed after this run made it, and is left as it is for a person to look at.
 */
export async function cleanUp(ctx: StepContext, item: CreateItem, plan: CreatePlan, state: CreateProgress, o: CleanUpPorts, keepConnection = false): Promise<string[]> {
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
  if ((state.role || state.roleSent) && plan.role) {
    const role = plan.role;
    await attempt(`role assignment ${role.assignmentName} (${role.name}) on ${plan.scope}`, () => o.roles.remove(plan.scope, role.assignmentName));
  }
  if ((state.credential || state.credentialSent) && clientId) {
    const name = plan.credential.name;
    await attempt(`federated credential '${name}' on ${plan.identity.kind === 'managed-identity' ? 'the managed identity' : `app ${clientId}`}`, () => (
      plan.identity.kind === 'managed-identity' ? o.managedIdentities.deleteFederatedCredential(plan.identity.resourceId, name) : o.apps.removeFederatedCredential(clientId, name)));
  }
  if (!keepConnection && (state.posting || state.endpointId)) {
    await attempt(`service connection '${plan.name}' in ${item.projectName}`, async () => {
      // A lost POST answer leaves no id: the name and this run's key find the connection, if it was made.
      const found = state.endpointId ? undefined : await ctx.devops.getByName(item.projectId, plan.name, { includeFailed: true });
      const id = state.endpointId ?? (found && state.key && carriesKey(found, ctx.planId, state.key) ? found.id : undefined);
      if (id) await gone(() => ctx.devops.delete(id, [item.projectId]));
    });
  }
  if (state.app || state.appSent) {
    await attempt(`app registration ${state.app?.appId ?? `'${plan.identity.kind === 'new-app' ? plan.identity.displayName : ''}'`}`, async () => {
      // A lost answer leaves no object id: the run's key finds the app, if Graph made it.
      const objectId = state.app?.objectId ?? (state.key ? (await o.apps.findByKey(state.key))?.objectId : undefined);
      if (objectId) await o.apps.deleteApp(objectId);
    });
  }
  return leftovers;
}

/** A removal that finds the thing already gone (removed by hand, or by a clean-up that ran before) has done its job. */
async function gone(remove: () => Promise<void>): Promise<void> {
  try {
    await remove();
  } catch (error) {
    if (!(isAppError(error) && error.code.endsWith('.NOT_FOUND'))) throw error;
  }
}
