/**
 * The portal's "Verify" of a connection: Azure DevOps signs in as the connection and calls Azure with it, through
 * the endpoint proxy (`POST {project}/_apis/serviceendpoint/endpointproxy?endpointId=…`, azure-devops-api facts §2
 * op 13). The service answers 200 even when the check failed; the verdict is in the answer's `statusCode`.
 */
export type Verification = { ok: true } | { ok: false; message: string };

export interface ConnectionVerification {
  verify(project: string, endpointId: string): Promise<Verification>;
}
