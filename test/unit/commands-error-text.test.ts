import { describe, expect, it } from 'vitest';
import { ERROR_TEXT, errorText, replyForError } from '../../src/commands';
import { errorCodeOf } from '../../src/domain/errors';
import { AppError, ERROR_CODES } from '../../src/domain/errors';
import { memoryLogger } from './commands-fixture';

const expected: Record<(typeof ERROR_CODES)[number], RegExp> = {
  'DEVOPS.THROTTLED': /^Azure DevOps is throttling my requests right now\. .* Try again in a minute\./,
  'DEVOPS.UNAUTHORIZED': /^I could not sign in to Azure DevOps\. .* check the bot's Azure DevOps identity\./,
  'DEVOPS.FORBIDDEN': /^My identity is not allowed to do that in Azure DevOps\. .* grant the bot access/,
  'DEVOPS.NOT_FOUND': /^Azure DevOps could not find that project or connection\. .* Check the name with `list`/,
  'DEVOPS.CONFLICT': /^The connection changed while I was working on it\. .* Run the command again/,
  'DEVOPS.BAD_REQUEST': /^Azure DevOps rejected the request\. .* Check the arguments/,
  'DEVOPS.UNAVAILABLE': /^Azure DevOps is not answering properly right now\. .* Try again in a few minutes\./,
  'DEVOPS.TIMEOUT': /^Azure DevOps did not answer in time\. .* Try again in a few minutes\./,
  'IDENTITY.UNAVAILABLE': /^I could not get a token for my identity\. .* check the bot's credentials\./,
  'CONFIG.INVALID': /^I am not configured correctly\. .* check the bot's settings\./,
  'GRAPH.FORBIDDEN': /^My identity does not own that app registration in Microsoft Entra ID\. .* add the bot as an owner/,
  'GRAPH.NOT_FOUND': /^Microsoft Entra ID has no app registration \(or secret\) with that id\. .* Check the connection with `show`/,
  'GRAPH.UNAVAILABLE': /^Microsoft Graph is not answering properly right now\. .* Try again in a few minutes\./,
  'ARM.FORBIDDEN': /^My identity is not allowed to change that managed identity in Azure\. .* Managed Identity Contributor/,
  'ARM.NOT_FOUND': /^Azure Resource Manager has no such managed identity or resource\. .* Check the connection with `show`/,
  'ARM.UNAVAILABLE': /^Azure Resource Manager is not answering properly right now\. .* Try again in a few minutes\./,
  'VAULT.NOT_FOUND': /^Key Vault has no such vault or secret\. .* Check the vault and secret names/,
  'VAULT.FORBIDDEN': /^My identity is not allowed to read that Key Vault secret\. .* Key Vault Secrets User role\./,
  'VAULT.UNAVAILABLE': /^Key Vault is not answering properly right now\. .* Try again in a few minutes\./,
  'SECRET.NOT_VERIFIED': /^The new secret did not authenticate with Microsoft Entra ID, so I changed nothing\. .* try again\./,
  'TEAMS.THROTTLED': /^Microsoft Teams is throttling my messages right now\. .* Try again in a minute\./,
  'TEAMS.REFUSED': /^Microsoft Teams refused my message to that conversation\. .* still installed in that conversation\./,
  'TEAMS.UNAVAILABLE': /^Microsoft Teams is not answering properly right now\. .* Try again in a few minutes\./,
  INTERNAL: /^Something went wrong on my side\. .* send the reference to an administrator\./,
};

describe('error translator', () => {
  it('has wording for every error code', () => {
    expect(Object.keys(ERROR_TEXT).sort()).toEqual([...ERROR_CODES].sort());
  });

  for (const code of ERROR_CODES) {
    it(`${code}: says what happened, echoes the command, the next step and the reference`, () => {
      const text = errorText(code, 'show sc-prod', 'R-ABCDEFGH');
      expect(text).toMatch(expected[code]);
      expect(text).toContain('(while running `show sc-prod`)');
      expect(text.endsWith('Reference: R-ABCDEFGH')).toBe(true);
    });
  }

  it('cannot break out of the echoed command with backticks', () => {
    expect(errorText('INTERNAL', 'show `x`', 'R-1')).toContain('(while running `show \'x\'`)');
  });

  it('maps anything that is not an AppError to INTERNAL', () => {
    expect(errorCodeOf(new TypeError('boom'))).toBe('INTERNAL');
    expect(errorCodeOf('a string')).toBe('INTERNAL');
    expect(errorCodeOf(new AppError('DEVOPS.THROTTLED', 'slow down'))).toBe('DEVOPS.THROTTLED');
  });

  it('logs the code and reference id, shows neither stack nor message to the user', () => {
    const { logger, lines } = memoryLogger();
    const error = new TypeError('Cannot read properties of undefined (reading \'SEEDSECRET-x\')');
    const reply = replyForError(error, 'list', logger);
    expect(reply.kind).toBe('text');
    expect(reply.text).not.toContain('SEEDSECRET');
    expect(reply.text).not.toMatch(/TypeError|at .*\.ts/);
    const referenceId = /R-[2-9A-Z]{8}/.exec(reply.text)?.[0];
    const line = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(line).toMatchObject({ code: 'INTERNAL', referenceId, command: 'list', level: 50 });
    expect(JSON.stringify(line)).not.toContain('"stack"');
  });
});
