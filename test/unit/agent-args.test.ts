import { describe, expect, it } from 'vitest';
import { createCommandRegistry } from '../../src/commands';
import { tokenize } from '../../src/commands/tokenizer';

describe('propose tools stand for command lines', () => {
  const registry = createCommandRegistry();
  const declared = registry.commands().filter((c) => c.agentTool);

  it('are declared by the single-connection change commands only', () => {
    expect(declared.map((c) => c.id)).toEqual(['rotate', 'delete', 'convert', 'revert', 'enable']);
    expect(declared.every((c) => c.mutates)).toBe(true);
  });

  it.each([
    ['delete', { name: 'failed' }, 'delete "failed"'],
    ['convert', { name: 'all', project: 'Payments' }, 'convert "all" in Payments'],
    ['delete', { name: 'sc x', project: 'in' }, 'delete "sc x" in "in"'],
    ['rotate', { name: 'sc-prod', keyVaultSecret: 'kv-pay/sc-prod', project: 'Payments' }, 'rotate sc-prod from keyvault kv-pay/sc-prod in Payments'],
    ['rotate', { name: 'sc-prod', expiresDays: 90 }, 'rotate sc-prod expires 90d'],
  ])('%s %j → %s, parsed as one named connection (a name never turns into a bulk form)', (id, input, line) => {
    const command = registry.find(id)!;
    expect(command.agentTool!.line(input)).toBe(line);
    const [, ...rest] = tokenize(line);
    const args = command.parse(rest);
    expect(args.ok).toBe(true);
    expect(command.names?.(args.ok ? args.value : undefined)).toBe(input.name);
  });
});
