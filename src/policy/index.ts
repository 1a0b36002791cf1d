export type { MembershipSource } from './membership-source.port';
export { GraphMembershipSource, policyNamesGroups, type GraphMembershipSourceOptions } from './graph-membership-source';
export { CachingMembershipSource, DEFAULT_MEMBERSHIP_TTL_MS } from './caching-membership-source';
export { decideWithMembership, placeOf, principalOf, type ActivityOrigin } from './principal';
export { gateCommand, refusalText } from '../commands/request-gate';
export { LOCAL_DEMO_POLICY, POLICY_SETTINGS, policyFromValues } from './policy-settings';
