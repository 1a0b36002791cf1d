import { randomUUID } from 'node:crypto';

/** Microsoft Graph's error envelope: `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`. */
export class GraphError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'GraphError';
  }

  body(now: Date): object {
    const requestId = randomUUID();
    return {
      error: {
        code: this.code,
        message: this.message,
        innerError: { date: now.toISOString().replace(/\.\d+Z$/, ''), 'request-id': requestId, 'client-request-id': requestId },
      },
    };
  }
}

export const graphErrors = {
  noToken: () => new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.'),
  badToken: () => new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'),
  denied: () => new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  notFound: (id: string) =>
    new GraphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`),
  noRoute: (path: string) => new GraphError(400, 'BadRequest', `Resource not found for the segment '${path}'.`),
  unsupportedQuery: () => new GraphError(400, 'Request_UnsupportedQuery', "Unsupported query. Only $filter=appId eq '{appId}', appId in ('{appId}', …) or displayName eq '{name}' is supported here."),
  tooManyValues: (count: number, max: number) =>
    new GraphError(400, 'Request_UnsupportedQuery', `Too many child clauses specified in search filter expression containing 'OR' operators: ${count}. Max allowed: ${max}.`),
  badBody: (message: string) => new GraphError(400, 'Request_BadRequest', message),
  conflict: (message: string) => new GraphError(409, 'Request_MultipleObjectsWithSameKeyValue', message),
  methodNotAllowed: () => new GraphError(405, 'Request_BadRequest', 'The HTTP method is not allowed for this resource.'),
  serviceUnavailable: () => new GraphError(503, 'serviceNotAvailable', 'The service is temporarily unavailable. Please retry later.'),
};
