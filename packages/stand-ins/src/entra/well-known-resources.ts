/**
 * Resources the local cloud serves, as a token's `aud` names them. Microsoft's own APIs get v1.0 tokens whatever
 * endpoint issued them: Azure DevOps [obs: issue 25, `appid` and no `azp`], Microsoft Graph [obs: learn.microsoft.com
 * Q&A 831716, a Graph token stays v1.0, `iss` https://sts.windows.net/{tid}/, even with accessTokenAcceptedVersion 2],
 * ARM [obs: azure-cli PR 22778 decodes one: `appid`, `aud` https://management.core.windows.net/, sts.windows.net
 * issuer], the Bot Framework [obs: a decoded https://api.botframework.com token in a public Teams-bot write-up:
 * `ver` 1.0, `appid`, sts.windows.net issuer] and Key Vault (an `aud` that is a resource URI is itself a v1.0 trait: a v2.0 `aud` is a client id GUID).
 */
export const GRAPH_AUDIENCES = ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000'];

export const isGraphAudience = (audience: string): boolean => GRAPH_AUDIENCES.some((a) => a.toLowerCase() === audience.replace(/\/$/, '').toLowerCase());
