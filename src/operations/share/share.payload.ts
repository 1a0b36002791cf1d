import type { PlanItem } from '../../domain/plan';

/** share: the project references the connection gains. */
export type ShareItem = PlanItem & { shareWith?: Array<{ projectReference: { id: string; name?: string }; name: string; description?: string | null }> };

/** unshare: the other projects it is removed from (the delete call with their ids only). */
export type UnshareItem = PlanItem & { projectIds?: string[] };
