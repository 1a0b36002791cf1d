import type { ErrorCode } from '../domain/errors';
import { visibleText } from './outside-text';

/** What happened and what to do next, per stable error code. The one place chat wording for failures lives. */
export const ERROR_TEXT: Record<ErrorCode, { what: string; next: string }> = {
  'DEVOPS.THROTTLED': { what: 'Azure DevOps is throttling my requests right now.', next: 'Try again in a minute.' },
  'DEVOPS.UNAUTHORIZED': { what: 'I could not sign in to Azure DevOps.', next: 'Ask an administrator to check the bot\'s Azure DevOps identity.' },
  'DEVOPS.FORBIDDEN': { what: 'My identity is not allowed to do that in Azure DevOps.', next: 'Ask a project administrator to grant the bot access to service connections.' },
  'DEVOPS.NOT_FOUND': { what: 'Azure DevOps could not find that project or connection.', next: 'Check the name with `list`, or say `help`.' },
  'DEVOPS.CONFLICT': { what: 'The connection changed while I was working on it.', next: 'Run the command again to see the current state.' },
  'DEVOPS.BAD_REQUEST': { what: 'Azure DevOps rejected the request.', next: 'Check the arguments (say `help`); if they look right, ask an administrator.' },
  'DEVOPS.UNAVAILABLE': { what: 'Azure DevOps is not answering properly right now.', next: 'Try again in a few minutes.' },
  'DEVOPS.TIMEOUT': { what: 'Azure DevOps did not answer in time.', next: 'Try again in a few minutes.' },
  'IDENTITY.UNAVAILABLE': { what: 'I could not get a token for my identity.', next: 'Ask an administrator to check the bot\'s credentials.' },
  'CONFIG.INVALID': { what: 'I am not configured correctly.', next: 'Ask an administrator to check the bot\'s settings.' },
  'GRAPH.FORBIDDEN': { what: 'My identity does not own that app registration in Microsoft Entra ID.', next: 'Ask an Entra administrator to add the bot as an owner of the app, or rotate it from Key Vault.' },
  'GRAPH.NOT_FOUND': { what: 'Microsoft Entra ID has no app registration (or secret) with that id.', next: 'Check the connection with `show`; the app may have been deleted.' },
  'GRAPH.UNAVAILABLE': { what: 'Microsoft Graph is not answering properly right now.', next: 'Try again in a few minutes.' },
  'ARM.FORBIDDEN': { what: 'My identity is not allowed to change that managed identity in Azure.', next: 'Ask its owner to give the bot Managed Identity Contributor (or Federated Credential Contributor) on it.' },
  'ARM.NOT_FOUND': { what: 'Azure Resource Manager has no such managed identity or resource.', next: 'Check the connection with `show`; the identity may have been deleted.' },
  'ARM.UNAVAILABLE': { what: 'Azure Resource Manager is not answering properly right now.', next: 'Try again in a few minutes.' },
  'VAULT.NOT_FOUND': { what: 'Key Vault has no such vault or secret.', next: 'Check the vault and secret names (`from keyvault <vault>/<secret>`).' },
  'VAULT.FORBIDDEN': { what: 'My identity is not allowed to read that Key Vault secret.', next: 'Ask the vault owner to grant the bot the Key Vault Secrets User role.' },
  'VAULT.UNAVAILABLE': { what: 'Key Vault is not answering properly right now.', next: 'Try again in a few minutes.' },
  'SECRET.NOT_VERIFIED': { what: 'The new secret did not authenticate with Microsoft Entra ID, so I changed nothing.', next: 'Check the secret is current for that app, then try again.' },
  'TEAMS.THROTTLED': { what: 'Microsoft Teams is throttling my messages right now.', next: 'Try again in a minute.' },
  'TEAMS.REFUSED': { what: 'Microsoft Teams refused my message to that conversation.', next: 'Check that the bot is still installed in that conversation.' },
  'TEAMS.UNAVAILABLE': { what: 'Microsoft Teams is not answering properly right now.', next: 'Try again in a few minutes.' },
  INTERNAL: { what: 'Something went wrong on my side.', next: 'Try again; if it keeps happening, send the reference to an administrator.' },
};

/** Chat text for a failed command: what happened, the command echoed, the next step, the reference id. */
export function errorText(code: ErrorCode, command: string, referenceId: string): string {
  const { what, next } = ERROR_TEXT[code];
  return `${what} (while running \`${echoedCommand(command)}\`) ${next} Reference: ${referenceId}`;
}

/**
 * A command line a reply repeats inside its own code span: what was typed is outside text, so hidden and look-alike
 * characters are shown (⟨U+202E⟩) and a backtick cannot close the span early. The caller has already masked secrets.
 */
export function echoedCommand(line: string): string {
  return visibleText(line, 200).replace(/`/g, "'");
}
