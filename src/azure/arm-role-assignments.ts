/**
 * RoleAssignments over ARM (Microsoft.Authorization 2022-04-01): PUT a role assignment under a name the caller
 * chose (a GUID), DELETE it by name. Needs User Access Administrator or Owner on the scope.
 */
import { statusOf } from '../domain/errors';
import { ArmClient, type ArmClientOptions } from './arm-client';
import type { AzureRoleAssignment, RoleAssignments } from './federated-identities.port';
import { GUID } from '../domain/guid';

export const ROLE_ASSIGNMENT_API = '2022-04-01';
const SCOPE = /^\/subscriptions\/[0-9a-f-]{36}(\/resourceGroups\/[-\w.()]{1,90})?$/i;

function path(scope: string, name: string): string {
  // Both come from the plan; checked so nothing else is ever spliced into the URL.
  if (!SCOPE.test(scope) || !GUID.test(name)) throw new Error('not a role assignment scope or name');
  return `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}?api-version=${ROLE_ASSIGNMENT_API}`;
}

export class ArmRoleAssignments implements RoleAssignments {
  private readonly arm: ArmClient;

  constructor(options: ArmClientOptions) {
    this.arm = new ArmClient(options);
  }

  async assign(a: AzureRoleAssignment): Promise<'created' | 'exists'> {
    const body = { properties: { roleDefinitionId: a.roleDefinitionId, principalId: a.principalId, principalType: 'ServicePrincipal' } };
    try {
      // ARM reads a PUT of a name it holds as an update: 200 when nothing changes (a retry), 201 when new.
      const reply = await this.arm.call({ operation: 'createRoleAssignment', method: 'PUT', path: path(a.scope, a.name), body });
      return reply.status === 200 ? 'exists' : 'created';
    } catch (error) {
      // ARM's RoleAssignmentExists (409): the principal holds the role on the scope under another name (by hand).
      if (statusOf(error) === 409) return 'exists';
      throw error;
    }
  }

  async remove(scope: string, name: string): Promise<void> {
    try {
      await this.arm.call({ operation: 'deleteRoleAssignment', method: 'DELETE', path: path(scope, name) });
    } catch (error) {
      if (statusOf(error) === 404) return;
      throw error;
    }
  }
}
