/**
 * A small built-in endpoint type catalogue for GET/POST _apis/serviceendpoint/types. The real one is ~300 KB
 * (httpExamples/endpoints/ListEndpointTypes.json); a seed can supply its own under "endpointTypes".
 */
function scheme(name: string, displayName: string, inputs: string[]): Record<string, unknown> {
  return {
    scheme: name,
    displayName,
    inputDescriptors: inputs.map((id) => ({ id, name: id, inputMode: /key|password|token|certificate/i.test(id) ? 'passwordBox' : 'textBox', isConfidential: /key|password|token|certificate/i.test(id) })),
  };
}

function type(name: string, displayName: string, schemes: Record<string, unknown>[]): Record<string, unknown> {
  return { name, displayName, description: displayName, authenticationSchemes: schemes, inputDescriptors: [], dataSources: [], isHidden: false };
}

export const BUILT_IN_TYPES: ReadonlyArray<Record<string, unknown>> = [
  type('azurerm', 'Azure Resource Manager', [
    scheme('WorkloadIdentityFederation', 'Workload Identity federation', ['tenantid', 'serviceprincipalid']),
    scheme('ServicePrincipal', 'Service Principal', ['tenantid', 'serviceprincipalid', 'authenticationType', 'serviceprincipalkey', 'servicePrincipalCertificate']),
    scheme('ManagedServiceIdentity', 'Managed Identity', ['tenantid']),
    scheme('PublishProfile', 'Publish Profile', ['tenantid', 'publishProfile']),
  ]),
  type('github', 'GitHub', [scheme('PersonalAccessToken', 'Personal access token', ['accessToken']), scheme('OAuth', 'OAuth', ['AccessToken'])]),
  type('generic', 'Generic', [scheme('UsernamePassword', 'Username and password', ['username', 'password'])]),
  type('dockerregistry', 'Docker Registry', [
    scheme('UsernamePassword', 'Username and password', ['username', 'password', 'email', 'registry']),
    scheme('ServicePrincipal', 'Service Principal', ['tenantId', 'servicePrincipalId', 'servicePrincipalKey', 'loginServer']),
  ]),
];
