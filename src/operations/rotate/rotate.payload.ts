import type { PlanItem, SecretPlan } from '../../domain/plan';

/** A rotate item: where its new secret comes from (never the value). */
export type RotateItem = PlanItem & { secret?: SecretPlan };
