export * from './openid-stand-in';
export * from './token-minter';
export * from './connector-stand-in';
export * from './teams-rate-limits';
