export { loadSeed, parseSeed, DEMO_SEED_PATH } from './seed';
export type { Seed, SeedProject, SeedExecutionRecord } from './seed';
export { startDevOpsEmulator } from './devops/server';
export type { DevOpsEmulator, DevOpsEmulatorOptions } from './devops/server';
export type { FaultController, LostAnswer, RequestMatch, ScriptedResponse, RateLimitSettings } from './devops/faults';
export type { LifecycleController, LifecycleSettings, LifecycleOperation, ScriptedFailure, LifecycleSeed } from './devops/lifecycle';
export { DEFAULT_LIFECYCLE, INSTANT_LIFECYCLE } from './devops/lifecycle';
export type { RequestLog, RecordedRequest } from './devops/request-log';
export { EmulatorState } from './devops/state';
export type { Project, ExecutionRecordJson, StatusUpdate } from './devops/state';
export { VssError } from './devops/vss-error';
export { AZURE_DEVOPS_SERVICE, type AuditActor, type AuditController, type AuditEntryJson, type AuditRecordInput } from './devops/audit-trail';
export { appActor, changeAsOutsider, personActor, type OutsidePerson } from './devops/outside-changes';
export type { VssErrorBody } from './devops/vss-error';
export { ManualClock, systemClock, type Clock } from './clock';
export { callEmulator } from './test-kit';
export type { CallOptions, CallResult } from './test-kit';
export type { StandInLogger } from './logger';
export * from './wire/service-endpoint';
export { isConfidentialInput, withoutConfidential } from './wire/confidential';
export * from './entra/index';
export * from './graph/index';
export * from './keyvault/index';
export * from './arm/index';
export { startLocalCloud, type LocalCloud, type LocalCloudOptions, type AuthorizationCheck as LocalCloudAuthorizationCheck, type ClientSecretIdentity, type CloudEndpoints } from './local-cloud';
export {
  connectLocalCloud, readCloudDescriptor, writeCloudDescriptor, removeCloudDescriptor, DESCRIPTOR_VERSION,
  type CloudDescriptor, type ConnectedCloud, type ServedRequest,
} from './cloud-descriptor';
