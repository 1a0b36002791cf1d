export * from './openid-stand-in';
export * from './token-minter';
export * from './connector-stand-in';
