export * from './keyvault-emulator';
export * from './vault-store';
