/** Pure planners: what was read → a Plan (or a refusal). The executor uses the same body builders. */
export type { PlanTarget, Refusal } from './common';
export { NEW_SECRET_PLACEHOLDER, RECENT_USE_DAYS, toManual } from './common';
export type { RotateInput, RotateSource } from './rotate';
export { planRotate, rotateIneligibility, rotateItem } from './rotate';
export type { DeleteInput, DeleteOptions, DeleteTarget } from './delete';
export { deleteItem, planDelete, planDeleteFailed } from './delete';
export type { ConvertInput } from './convert';
export { CONVERT_OPERATION, convertIneligibility, convertItem, planConvert, planConvertOne, REVERT_WINDOW_DAYS, toFederation } from './convert';
export type { IssuerTarget, MigrateIssuerInput } from './migrate-issuer';
export { isFederated, migrateIssuerItem, planMigrateIssuer, planMigrateIssuerOne, NEW_SUBJECT_PLACEHOLDER } from './migrate-issuer';
export type { RevertInput } from './revert';
export { planRevert, toServicePrincipal } from './revert';

import type { Plan } from '../plan';
import type { Refusal } from './common';

export const isRefusal = (outcome: Plan | Refusal): outcome is Refusal => 'kind' in outcome && outcome.kind === 'refused';
export type { AccessTarget, AuthorizeInput, RestrictInput } from './access';
export { planAuthorize, planRestrict, restrictItem } from './access';
export type { EnableInput } from './enable';
export { planEnable } from './enable';
export type { ShareInput } from './share';
export { planShare, planUnshare } from './share';
export type { CreateInput } from './create';
export { createIneligibility, planCreate, plannedKey } from './create';
