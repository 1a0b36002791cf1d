import type { PlanItem } from '../../domain/plan';
import type { AccessState } from '../../domain/pipeline-access';

/** restrict / authorize: pipeline access before and after, and the names of every pipeline id involved. */
export type AccessItem = PlanItem & { access?: { before: AccessState; after: AccessState; names: Record<string, string> } };
