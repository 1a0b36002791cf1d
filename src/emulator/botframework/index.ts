export * from './openid-stand-in';
export * from './token-minter';
