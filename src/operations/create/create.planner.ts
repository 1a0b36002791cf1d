/**
 * create (connection-lifecycle facts §3): a workload identity federation `azurerm` connection, creationMode Manual,
 * for an existing app registration, a user-assigned managed identity or a new app; the federated credential made
 * from the subject Azure DevOps names; optionally an Azure role on the scope; the named pipelines authorized.
 * The order is the documented one: identity → connection → credential → role assignment; then pipelines, Verify.
 */
import { armScope, azureRole, createBody, createdCredentialName, createMarker, identityLabel, isGuid, isResourceGroupName, roleDefinitionPath } from './create-connection';
import { entraIssuer, FEDERATION_AUDIENCE } from '../../domain/issuer';
import type { Plan, PlannedCall, PlanWarning } from '../../domain/plan';
import type { CreateItem, CreatePlan } from './create.payload';
import { DEVOPS_ENDPOINT, type Refusal } from '../../domain/planning';

export const ROLE_ASSIGNMENT_API = '2022-04-01';
export const ENDPOINT_PROXY_CALL = 'devops POST {project}/_apis/serviceendpoint/endpointproxy?endpointId={id}&api-version=7.2-preview.1';

export interface CreateInput {
  id: string;
  command: string;
  now: Date;
  project: { id: string; name: string };
  name: string;
  tenantId: string;
  subscriptionId: string;
  resourceGroup?: string;
  identity: CreatePlan['identity'];
  /** The role's name as typed, and the assignment's GUID (the command derives it; the domain has no crypto). */
  role?: { name: string; assignmentName: string };
  pipelines: ReadonlyArray<{ id: number; name: string }>;
}

/** A key for the planned connection in the item states and the outcome (there is no service id before the POST). */
export const plannedKey = (name: string): string => `new:${name.toLowerCase()}`;

function refused(input: CreateInput, reason: string): Refusal {
  return { kind: 'refused', endpointId: plannedKey(input.name), name: input.name, reason };
}

/** Why this create cannot be planned, in the order a user would fix it; undefined when it can. */
export function createIneligibility(input: CreateInput): string | undefined {
  if (!isGuid(input.subscriptionId)) return `"${input.subscriptionId}" is not a subscription id (a GUID such as 00000000-0000-0000-0000-000000000000).`;
  if (input.resourceGroup !== undefined && !isResourceGroupName(input.resourceGroup)) return `"${input.resourceGroup}" is not a resource group name (1–90 letters, digits, _ - . ( ), not ending in a dot).`;
  if (!isGuid(input.tenantId)) return 'I do not know the tenant the connection belongs to (set AZURE_TENANT_ID).';
  if (input.identity.kind === 'app' && !isGuid(input.identity.appId)) return `"${input.identity.appId}" is not an app (client) id.`;
  if (input.identity.kind === 'managed-identity' && !isGuid(input.identity.clientId)) return `"${input.identity.clientId}" is not a managed identity client id.`;
  if (input.role && !azureRole(input.role.name)) return `"${input.role.name}" is not a built-in Azure role I can assign (Reader, Contributor, Owner, User Access Administrator, AcrPush, Storage Blob Data Contributor, Key Vault Secrets User).`;
  return undefined;
}

function createPlanOf(input: CreateInput): CreatePlan {
  const scope = armScope(input.subscriptionId, input.resourceGroup);
  const marker = createMarker(input.id);
  const role = input.role ? azureRole(input.role.name) : undefined;
  return {
    name: input.name, marker, description: `Created by scbot ${marker}`, tenantId: input.tenantId, subscriptionId: input.subscriptionId.toLowerCase(),
    ...(input.resourceGroup ? { resourceGroup: input.resourceGroup } : {}), scope, identity: input.identity,
    credential: { name: createdCredentialName(input.name, input.id), issuer: entraIssuer(input.tenantId), audience: FEDERATION_AUDIENCE },
    ...(role && input.role ? { role: { name: role.name, definitionId: roleDefinitionPath(input.subscriptionId, role.id), assignmentName: input.role.assignmentName } } : {}),
    pipelines: input.pipelines.map((p) => ({ id: p.id, name: p.name })),
  };
}

function credentialCall(plan: CreatePlan): PlannedCall {
  const purpose = `Create federated credential '${plan.credential.name}' with the issuer and subject Azure DevOps names, audience ${plan.credential.audience}.`;
  if (plan.identity.kind === 'managed-identity') return { method: 'PUT', target: `arm PUT ${plan.identity.resourceId}/federatedIdentityCredentials/${plan.credential.name}?api-version=2023-01-31`, purpose };
  const app = plan.identity.kind === 'app' ? plan.identity.appId : '{new app}';
  return { method: 'POST', target: `graph POST applications(appId='${app}')/federatedIdentityCredentials`, purpose };
}

function callsFor(plan: CreatePlan, project: { name: string }): PlannedCall[] {
  const onFailure = 'if a later step fails (clean-up, in reverse)';
  const calls: PlannedCall[] = [
    {
      method: 'GET', target: `devops GET ${project.name}/${DEVOPS_ENDPOINT}?endpointNames=${plan.name}`,
      purpose: 'Check that no connection has this name (one this run made — by the id it recorded, or a key only it knows — is taken up again, exactly as planned; any other is left alone).',
    },
  ];
  if (plan.identity.kind === 'new-app') {
    calls.push(
      {
        method: 'PATCH', target: "graph PATCH applications(uniqueName='{key}')",
        purpose: `Create app registration '${plan.identity.displayName}' (single tenant) under a key only this run knows (asked again, it makes no second app); used only while the bot is its one owner.`,
      },
      { method: 'POST', target: 'graph POST servicePrincipals', purpose: 'Create its service principal.' },
    );
  }
  calls.push(
    { method: 'POST', target: `devops POST ${DEVOPS_ENDPOINT}?api-version=7.2-preview.4`, purpose: 'Create the connection: azurerm, WorkloadIdentityFederation, creationMode Manual.' },
    { method: 'GET', target: `devops GET ${project.name}/${DEVOPS_ENDPOINT}/{id}`, purpose: 'Wait until it is Ready (or Failed).', condition: 'if the create answer does not already show it ready' },
    credentialCall(plan),
  );
  if (plan.role) calls.push({ method: 'PUT', target: `arm PUT ${plan.scope}/providers/Microsoft.Authorization/roleAssignments/${plan.role.assignmentName}?api-version=${ROLE_ASSIGNMENT_API}`, purpose: `Assign ${plan.role.name} on the scope.` });
  if (plan.pipelines.length) calls.push({ method: 'PATCH', target: `devops PATCH ${project.name}/_apis/pipelines/pipelinePermissions/endpoint/{id}?api-version=7.1-preview.1`, purpose: `Authorize ${plan.pipelines.map((p) => p.name).join(', ')} (never all pipelines).` });
  calls.push(
    { method: 'POST', target: ENDPOINT_PROXY_CALL.replace('{project}', project.name), purpose: 'Verify, as the portal\'s Verify button does (TestConnection).' },
    { method: 'DELETE', target: `devops DELETE ${DEVOPS_ENDPOINT}/{id}`, purpose: 'Delete the connection, its credential, role assignment and new app.', condition: onFailure },
  );
  return calls;
}

function warningsFor(plan: CreatePlan): PlanWarning[] {
  const identity = identityLabel(plan.identity);
  const out: PlanWarning[] = [{
    code: 'NEW_CONNECTION',
    text: `Creates federated credential '${plan.credential.name}' on ${identity}: issuer ${plan.credential.issuer}, audience ${plan.credential.audience}, subject exactly as Azure DevOps names it.`,
  }];
  if (plan.identity.kind === 'new-app') out.push({ code: 'NEW_APP', text: `Creates app registration '${plan.identity.displayName}' and its service principal, owned by the bot; deleting the connection later does not delete it.` });
  out.push(plan.role
    ? { code: 'ROLE_ASSIGNMENT', text: `Assigns ${plan.role.name} to ${identity} on ${plan.scope}.` }
    : { code: 'NO_ROLE', text: `No Azure role is assigned: pipelines can sign in but reach nothing in ${plan.scope} until someone grants a role.` });
  out.push({ code: 'GAINS_ACCESS', text: plan.pipelines.length ? `Only ${plan.pipelines.map((p) => p.name).join(', ')} may use it; it is never open to all pipelines.` : 'No pipeline may use it yet (never all pipelines): authorize them with `authorize <name> for <pipeline>`.' });
  return out;
}

/** One plan item for one new connection, or why not. */
export function planCreate(input: CreateInput): Plan<CreateItem> | Refusal {
  const why = createIneligibility(input);
  if (why) return refused(input, why);
  const create = createPlanOf(input);
  const body = createBody(create, input.project, create.identity.kind === 'new-app' ? '(the new app\'s client id)' : (create.identity.kind === 'app' ? create.identity.appId : create.identity.clientId));
  const item: CreateItem = {
    endpointId: plannedKey(input.name), name: input.name, projectId: input.project.id, projectName: input.project.name,
    before: body, after: body, create, calls: callsFor(create, input.project), fingerprint: 'absent', warnings: warningsFor(create),
  };
  return { id: input.id, operation: 'create', command: input.command, createdAt: input.now.toISOString(), items: [item], skipped: [], warnings: [] };
}
