/**
 * Fault injection for the rotation matrix (issue 10, finding 2): wrappers around the real ports that, once, either
 * FAIL at a step (it throws, or answers "no") or CRASH right after it (the step's effect happened, then nothing
 * after it ever does: the call never returns, as if the process died there). A crashed run is abandoned; the test
 * resumes the plan with a clean executor once the item lease lapsed, the way a restarted bot would.
 */
import { AppError } from '../../src/domain/errors';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import type { ServiceEndpoints } from '../../src/devops/service-endpoints.port';
import { BOT_SECRETS_COLLECTION, CONNECTION_SECRETS_COLLECTION } from '../../src/execution/secret-ledger';
import type { AppSecrets, SecretVerifier } from '../../src/azure/secret-source.port';
import type { Store, Versioned } from '../../src/store/store.port';

export const STEPS = ['addPassword', 'ledger', 'verify', 'put', 'readiness', 'promote', 'retire'] as const;
export type FaultStep = (typeof STEPS)[number];
export type FaultMode = 'fail' | 'crash';

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/** One armed fault; fires at most once. */
export class Fault {
  private fired = false;
  constructor(readonly step: FaultStep, readonly mode: FaultMode) {}

  /** True (and disarmed) when this call is the one the fault hits. */
  hits(step: FaultStep, mode?: FaultMode): boolean {
    if (this.fired || step !== this.step || (mode && mode !== this.mode)) return false;
    this.fired = true;
    return true;
  }

  get hasFired(): boolean {
    return this.fired;
  }
}

/** Graph: addPassword's answer lost (the secret exists) or a crash after it; retirement's removal failing or crashing. */
export function faultyAppSecrets(real: AppSecrets, fault: Fault): AppSecrets {
  return {
    addPassword: async (appId, options) => {
      const created = await real.addPassword(appId, options);
      if (fault.hits('addPassword', 'fail')) throw new AppError('GRAPH.UNAVAILABLE', 'addPassword: the answer was lost');
      if (fault.hits('addPassword', 'crash')) return never();
      return created;
    },
    removePassword: async (appId, keyId) => {
      if (fault.hits('retire', 'fail')) throw new AppError('GRAPH.UNAVAILABLE', 'removePassword: Graph answered 503.');
      await real.removePassword(appId, keyId);
      if (fault.hits('retire', 'crash')) return never();
    },
    listPasswords: (appId) => real.listPasswords(appId),
  };
}

export function faultyVerifier(real: SecretVerifier, fault: Fault): SecretVerifier {
  return {
    verify: async (tenantId, clientId, secret) => {
      if (fault.hits('verify', 'fail')) return false;
      const ok = await real.verify(tenantId, clientId, secret);
      return fault.hits('verify', 'crash') ? never() : ok;
    },
  };
}

/** Azure DevOps: the PUT refused (400) or a crash after it; a PUT whose answer says the connection is not ready. */
export function faultyDevops(real: ServiceEndpoints, fault: Fault): ServiceEndpoints {
  const wrapped = Object.create(real) as ServiceEndpoints;
  wrapped.update = async (endpoint: ServiceEndpoint, operation?: string) => {
    if (fault.hits('put', 'fail')) throw new AppError('DEVOPS.BAD_REQUEST', 'Azure DevOps answered 400 while updating the connection', { status: 400 });
    const answer = await real.update(endpoint, operation);
    if (fault.hits('put', 'crash')) return never();
    if (fault.hits('readiness', 'fail')) return { ...answer, isReady: false, operationStatus: { state: 'Failed', statusMessage: 'Failed to obtain the JSON Web Token (JWT).' } };
    return answer;
  };
  return wrapped;
}

/** The store: the ledger write after addPassword and the promotion's writes; "crash after readiness" stops before promotion. */
export function faultyStore(real: Store, fault: Fault): Store {
  return {
    get: async <T>(collection: string, key: string): Promise<Versioned<T> | undefined> => {
      if (collection === CONNECTION_SECRETS_COLLECTION && fault.hits('readiness', 'crash')) return never();
      return real.get<T>(collection, key);
    },
    put: async <T>(collection: string, key: string, value: T, expectedVersion?: string): Promise<Versioned<T>> => {
      const step: FaultStep | undefined = collection === BOT_SECRETS_COLLECTION && !(value as { retireAt?: string }).retireAt ? 'ledger'
        : collection === CONNECTION_SECRETS_COLLECTION ? 'promote' : undefined;
      if (step && fault.hits(step, 'fail')) throw new AppError('STORE.UNAVAILABLE' as never, `${collection}: the store answered 503`);
      const written = await real.put(collection, key, value, expectedVersion);
      if (step && fault.hits(step, 'crash')) return never();
      return written;
    },
    delete: (collection, key, expectedVersion) => real.delete(collection, key, expectedVersion),
    list: (collection, prefix) => real.list(collection, prefix),
    keys: (collection, prefix) => real.keys(collection, prefix),
  };
}
