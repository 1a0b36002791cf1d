/**
 * The data keys the service writes when it registers the app of an Automatic azurerm connection itself
 * (facts §7.1: spnObjectId, appObjectId, azureSpnRoleAssignmentId, azureSpnPermissions). They describe an app
 * Azure DevOps manages, so the service drops them once the connection is Manual.
 */
export const PROVISIONED_DATA_KEYS = ['azureSpnRoleAssignmentId', 'azureSpnPermissions', 'spnObjectId', 'appObjectId'] as const;
