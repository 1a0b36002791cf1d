export { Executor } from './executor';
export type { ExecutorOptions, RunOptions } from './executor';
export type { RunReport, RunItem, ItemReason, ItemState, ItemStatus, FinalStatus, StepProgress } from './run-report';
export { ItemStates, ITEMS_COLLECTION } from './item-states';
export { BatchReads, IDS_PER_LIST } from './batch-reads';
export { SecretLedger, BOT_SECRETS_COLLECTION, CONNECTION_SECRETS_COLLECTION } from './secret-ledger';
export type { BotSecret, RetiredSecret } from './secret-ledger';
export { StorePlanRepository, PLANS_COLLECTION } from '../plans/store-plan-repository';
