import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/commands';
import { CommandRegistry, createCommandRegistry, tokenize } from '../../src/commands';
import { ok } from '../../src/domain/errors';
import { closestMatches, editDistance } from '../../src/commands/closest';
import { commandContext } from './commands-fixture';
import { OPERATIONS } from '../../src/operations/operations';

const stub = (id: string, aliases: string[] = []): Command => ({
  id, aliases, usage: id, summary: `${id} things`, examples: [id], mutates: false,
  parse: () => ok({}), run: async () => ({ kind: 'text', text: `ran ${id}` }),
});

const dispatch = (registry: CommandRegistry, text: string) => registry.dispatch(tokenize(text), commandContext());

describe('command registry', () => {
  it('refuses a duplicate id or alias at start-up', () => {
    const registry = new CommandRegistry().register(stub('list', ['ls']));
    expect(() => registry.register(stub('list'))).toThrow(/already registered by "list"/);
    expect(() => registry.register(stub('dir', ['LS']))).toThrow(/"ls" of "dir" is already registered/);
    expect(() => registry.register(stub('twice', ['twice']))).toThrow(/repeats a verb/);
  });

  it('matches verbs exactly and case-insensitively, aliases too', async () => {
    const registry = new CommandRegistry().register(stub('list', ['ls']));
    expect(await dispatch(registry, 'LIST')).toEqual({ kind: 'text', text: 'ran list' });
    expect(await dispatch(registry, 'Ls')).toEqual({ kind: 'text', text: 'ran list' });
  });

  it('does not run `list` for "blacklist", and hints at the closest command', async () => {
    const reply = await dispatch(new CommandRegistry().register(stub('list')).register(stub('show')), 'blacklist everything');
    expect(reply.text).toMatch(/don't know the command `blacklist`/);
    expect(reply.text).toContain('Did you mean `list everything`?');
  });

  it('"did you mean" keeps the rest of the line, quoted as typed; one help button however it is reached', async () => {
    const registry = createCommandRegistry();
    const reply = await dispatch(registry, 'shwo sc-prd in "My Project"');
    expect(reply.text).toContain('Did you mean `show sc-prd in "My Project"`?');
    const json = JSON.stringify(reply);
    expect(json).toContain('"command":"show sc-prd in \\"My Project\\""');
    expect(json.match(/"title":"help"/g)).toHaveLength(1);
  });

  it('a line with a secret in it, even under an unknown verb, gets the exposed-secret warning and no suggestion', async () => {
    const reply = await dispatch(createCommandRegistry(), 'here is the PAT: 3kq9v7x2m5n8p4r6t1w0y3z7b5c9d2f4g6h8j1k3l5m7n9p2q4');
    expect(JSON.stringify(reply)).toContain('treat it as exposed and rotate it');
    expect(JSON.stringify(reply)).not.toContain('Did you mean');
    expect(JSON.stringify(reply)).not.toContain('3kq9v7x2m5n8p4r6t1w0y3z7b5c9d2f4g6h8j1k3l5m7n9p2q4');
  });

  it('suggests by edit distance and maps aliases back to their command', () => {
    const registry = new CommandRegistry().register(stub('show', ['describe'])).register(stub('list'));
    expect(registry.suggest('shwo')).toEqual(['show']);
    expect(registry.suggest('describ')).toEqual(['show']);
    expect(registry.suggest('zzzzzz')).toEqual([]);
  });

  it('answers bad arguments with the command usage', async () => {
    const reply = await dispatch(createCommandRegistry(), 'list sideways');
    expect(reply).toEqual({ kind: 'text', text: expect.stringContaining('Usage: `list [failed|disabled|all] [in <project>] [type <type>] [page <n>]`') });
    expect(reply.text).toContain('`sideways` is not a filter');
  });

  it('an empty message (a bare mention) and a greeting get the welcome; a typo of a command does not', async () => {
    const registry = createCommandRegistry();
    for (const said of ['', 'hello', 'Hi there!', 'what can you do?']) {
      const reply = await registry.dispatch(tokenize(said), commandContext());
      expect(reply.kind, said).toBe('card');
      expect(reply.text, said).toMatch(/^Hi! I keep your Azure DevOps service connections healthy/);
    }
    expect((await dispatch(registry, 'lst')).text).toMatch(/don't know the command `lst`/);
    // A registry without a greeting command still answers an empty message with help.
    const bare = new CommandRegistry().register(stub('help'));
    expect(await bare.dispatch([], commandContext())).toEqual({ kind: 'text', text: 'ran help' });
  });

  it('registers a second greeting command only by mistake', () => {
    const greeter = { ...stub('welcome'), greets: true as const };
    const registry = new CommandRegistry().register(greeter);
    expect(() => registry.register({ ...stub('hi'), greets: true })).toThrow(/"hi" greets, but "welcome" already does/);
  });

  it('generates help from the registry, grouped, with every usage behind the toggle', async () => {
    const registry = createCommandRegistry();
    const reply = await dispatch(registry, 'help');
    const json = JSON.stringify(reply);
    // The card has every usage (angle brackets drawn as ‹›); the summary text names every verb.
    const groups = (reply as { view: { model: { groups: { commands: { usage: string }[] }[] } } }).view.model.groups;
    const usages = groups.flatMap((g) => g.commands.map((c) => c.usage));
    expect(usages.sort()).toEqual(registry.commands().map((c) => c.usage.replace(/</g, '‹').replace(/>/g, '›')).sort());
    for (const command of registry.commands()) expect(reply.text).toContain(command.id);
    expect(json).toContain('help <command>');
    expect((await dispatch(registry, 'help show')).text).toContain('Usage: `show <name> [in <project>]`');
  });

  it('registers the read-only commands and the mutating ones (which only preview a plan so far)', () => {
    expect(createCommandRegistry().commands().map((c) => [c.id, c.mutates])).toEqual([
      ['help', false], ['welcome', false], ['list', false], ['show', false], ['audit', false], ['health', false], ['alerts', false], ['agents', false], ['access', false],
      // Then one per operation, in the list's order (src/operations/operations.ts), and the policy it runs under.
      ...OPERATIONS.flatMap((o) => o.commands.map((c) => [c.id, true])), ['policy', false],
    ]);
  });
});

describe('closest matches', () => {
  it('computes edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('SC-PROD', 'sc-prod')).toBe(0);
  });

  it('ranks close names first and accepts substrings', () => {
    expect(closestMatches('sc-prd', ['sc-dev', 'sc-prod', 'github'])).toEqual(['sc-prod']);
    expect(closestMatches('prod', ['sc-prod', 'sc-prod-eu', 'dev'])).toEqual(['sc-prod', 'sc-prod-eu']);
    expect(closestMatches('nothing-like-it', ['sc-prod'])).toEqual([]);
  });
});
