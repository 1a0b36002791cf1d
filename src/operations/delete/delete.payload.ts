import type { PlanItem } from '../../domain/plan';

/** A delete (or unshare) item: the projects the connection is removed from (all of them when deleted everywhere). */
export type DeleteItem = PlanItem & { projectIds?: string[]; deep?: boolean };
