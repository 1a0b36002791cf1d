import { randomUUID } from 'node:crypto';

/**
 * Federated identity credentials of one app registration, with Entra's rules: at most 20 per app, names unique
 * (and immutable), issuer + subject unique. Refusals are values so the Graph stand-in can shape its own errors.
 */

export interface FederatedCredentialInput {
  id?: string;
  name: string;
  issuer: string;
  subject: string;
  audiences?: string[];
  description?: string | null;
}

export interface FederatedCredentialView {
  id: string;
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
  description: string | null;
}

export type FederatedCredentialRefusal =
  | { kind: 'invalid'; message: string }
  | { kind: 'limit'; message: string }
  | { kind: 'duplicate-name'; message: string }
  | { kind: 'duplicate-subject'; message: string };

export const MAX_FEDERATED_CREDENTIALS = 20;
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/;

function invalidInput(input: FederatedCredentialInput): string | null {
  if (!input.name || !NAME_PATTERN.test(input.name)) {
    return 'The name must be 3-120 characters: letters, digits, dashes and underscores, starting with a letter or digit.';
  }
  if (!input.issuer || !/^https:\/\//i.test(input.issuer)) return 'Issuer must be an https URL.';
  if (!input.subject) return 'Subject is required.';
  const audiences = input.audiences ?? [TOKEN_EXCHANGE_AUDIENCE];
  if (audiences.length !== 1) return 'Exactly one audience is allowed.';
  return null;
}

export class FederatedCredentials {
  private readonly items: FederatedCredentialView[] = [];

  list(): FederatedCredentialView[] {
    return this.items.map((f) => ({ ...f, audiences: [...f.audiences] }));
  }

  /** By id or by name, as Graph's `/federatedIdentityCredentials/{id or name}` allows. */
  get(idOrName: string): FederatedCredentialView | null {
    const key = idOrName.toLowerCase();
    const found = this.items.find((f) => f.id.toLowerCase() === key || f.name.toLowerCase() === key);
    return found ? { ...found, audiences: [...found.audiences] } : null;
  }

  add(input: FederatedCredentialInput): FederatedCredentialView | FederatedCredentialRefusal {
    const problem = invalidInput(input);
    if (problem) return { kind: 'invalid', message: problem };
    if (this.items.some((f) => f.name.toLowerCase() === input.name.toLowerCase())) {
      return { kind: 'duplicate-name', message: `A federated identity credential named '${input.name}' already exists on this application.` };
    }
    if (this.items.some((f) => f.issuer === input.issuer && f.subject === input.subject)) {
      return { kind: 'duplicate-subject', message: 'A federated identity credential with the same issuer and subject already exists on this application.' };
    }
    if (this.items.length >= MAX_FEDERATED_CREDENTIALS) {
      return { kind: 'limit', message: `An application can have at most ${MAX_FEDERATED_CREDENTIALS} federated identity credentials.` };
    }
    const created: FederatedCredentialView = {
      id: input.id ?? randomUUID(),
      name: input.name,
      issuer: input.issuer,
      subject: input.subject,
      audiences: [...(input.audiences ?? [TOKEN_EXCHANGE_AUDIENCE])],
      description: input.description ?? null,
    };
    this.items.push(created);
    return { ...created, audiences: [...created.audiences] };
  }

  remove(idOrName: string): boolean {
    const found = this.get(idOrName);
    if (!found) return false;
    this.items.splice(this.items.findIndex((f) => f.id === found.id), 1);
    return true;
  }

  has(issuer: string, subject: string): boolean {
    return this.items.some((f) => f.issuer === issuer && f.subject === subject);
  }
}

export function isRefusal(value: FederatedCredentialView | FederatedCredentialRefusal): value is FederatedCredentialRefusal {
  return 'kind' in value;
}
