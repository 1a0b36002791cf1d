/**
 * INFERRED — how the answer of `POST _apis/public/serviceendpoint/externalfederatedcredentialmigration` is read.
 * The CLI change (PR #1508) only raises non-2xx replies and returns the JSON; its test mocks `{"status":"success"}`.
 * What the service sends for the manual fallback is undocumented: we read a `status` naming a required federated
 * credential together with `issuer` and `subject` (and `audience`). Any other 2xx counts as "moved", which the
 * step then checks by reading the connection back, so a wrong guess here fails loudly instead of silently.
 */
import { FEDERATION_AUDIENCE } from '../domain/issuer';
import type { MigrationAnswer } from './federation-migration.port';

export const MIGRATION_PATH = '_apis/public/serviceendpoint/externalfederatedcredentialmigration';
export const MIGRATION_API_VERSION = '7.2-preview.1';

export function migrationBody(oldSubject: string): { serviceConnectionInput: string } {
  return { serviceConnectionInput: oldSubject };
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

export function readMigrationAnswer(body: unknown): MigrationAnswer {
  const reply = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const status = (text(reply.status) ?? '').toLowerCase();
  const issuer = text(reply.issuer);
  const subject = text(reply.subject);
  if (status.includes('federatedcredentialrequired') && issuer && subject) {
    return { kind: 'credential-required', issuer, subject, audience: text(reply.audience) ?? FEDERATION_AUDIENCE };
  }
  return { kind: 'moved' };
}
