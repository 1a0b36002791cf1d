export { ApprovalService, type ApprovalServiceOptions } from './approval-service';
export { ApprovalRecords, APPROVALS_COLLECTION } from './approval-records';
export { approvalCard, approvalState } from './approval-card';
export { changedSincePreview } from './stale-check';
export type { CommandCardReply, PlanRunner, Tap } from './types';
