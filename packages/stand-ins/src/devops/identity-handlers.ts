/**
 * `GET {org}/_apis/identities` (spec: ims/7.1 Identities - Read Identities; the service answers it on
 * vssps.dev.azure.com, which the resource area names; here every area lives on the organization URL). One of:
 * `searchFilter` + `filterValue`, `identityIds` (with or without dashes), `descriptors`; plus `queryMembership`
 * (None, Direct, Expanded, ExpandedUp, ExpandedDown). Answers `{ count, value }`; ids it does not know are left out.
 */
import { wrapped, type ApiAnswer, type ApiRequest, type HandlerEnv } from './http-types';
import type { QueryMembership } from './identities';
import { argumentError } from './vss-error';

const MEMBERSHIPS: readonly QueryMembership[] = ['none', 'direct', 'expanded', 'expandedup', 'expandeddown'];
const FILTERS = ['general', 'accountname', 'mailaddress', 'displayname'];

const csv = (value: string | null): string[] => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export function identitiesAnswer(env: HandlerEnv, req: ApiRequest): ApiAnswer | undefined {
  if (req.method !== 'GET' || req.rest.length !== 1 || req.project) return undefined;
  const directory = env.ctx.state.roles.identities;
  const membership = (req.query.get('queryMembership') ?? 'none').toLowerCase() as QueryMembership;
  if (!MEMBERSHIPS.includes(membership)) throw argumentError(`The value '${req.query.get('queryMembership')}' is not valid for queryMembership.`);
  const filter = req.query.get('searchFilter');
  const ids = csv(req.query.get('identityIds'));
  const descriptors = csv(req.query.get('descriptors'));
  let found;
  if (filter !== null) {
    if (!FILTERS.includes(filter.toLowerCase())) throw argumentError(`The value '${filter}' is not valid for searchFilter.`);
    found = directory.search(filter, req.query.get('filterValue') ?? '');
  } else if (ids.length > 0) {
    found = ids.flatMap((id) => directory.get(id) ?? []);
  } else if (descriptors.length > 0) {
    found = descriptors.flatMap((d) => directory.byDescriptor(d) ?? []);
  } else {
    throw argumentError('One of searchFilter, identityIds, descriptors or subjectDescriptors must be given.');
  }
  return { status: 200, body: wrapped(found.map((identity) => directory.wire(identity, membership))) };
}
