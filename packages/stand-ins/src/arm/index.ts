export * from './arm-emulator';
export { ArmStore, identityResourceId, type ManagedIdentity, type RoleAssignment } from './arm-store';
