/**
 * Issue 27, forgiving input: "did you mean" corrects the verb and its arguments together (`lst faild` → `list failed`,
 * `shwo sc-prd` → `show sc-prod`), keeps every word that is right or not clearly one thing, and never suggests a name
 * the conversation may not see. Names come from the inventory, filled here by its own refresh.
 */
import { describe, expect, it } from 'vitest';
import { createCommandRegistry, tokenize, type Reply } from '../../src/commands';
import type { CommandContext } from '../../src/commands/command';
import { MAX_DISTANCE_INPUT, nearestUnique, SUGGEST_BUDGET } from '../../src/commands/closest';
import { CORRECTED_WORDS_MAX } from '../../src/commands/did-you-mean';
import { commandContext } from './commands-fixture';

const registry = createCommandRegistry();
/** At most one name's work past the budget: the budget is checked before each name (as in closest-cost.test.ts). */
const OVERSHOOT = 1 + (2 * Math.floor(MAX_DISTANCE_INPUT / 3) + 1) * MAX_DISTANCE_INPUT;

async function said(text: string, overrides: Partial<CommandContext> = {}): Promise<Reply> {
  const ctx = commandContext(overrides);
  await ctx.inventory.fresh();
  return registry.dispatch(tokenize(text), ctx);
}

/** The commands of the reply's buttons. */
const buttons = (reply: Reply): string[] => [...new Set([...JSON.stringify(reply).matchAll(/"command":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string))];

describe('"did you mean" fixes the verb and its arguments in one suggestion', () => {
  it('lst faild → list failed; shwo sc-prd → show sc-prod; a project in its slot → the project', async () => {
    const list = await said('lst faild');
    expect(list.text).toContain('Did you mean `list failed`?');
    expect(buttons(list)).toEqual(['list failed', 'help']);
    const show = await said('shwo sc-prd');
    expect(show.text).toContain('Did you mean `show sc-prod`?');
    expect(buttons(show)).toEqual(['show sc-prod', 'help']);
    expect(buttons(await said('rotat sc-dve in paymnts'))[0]).toBe('rotate sc-dev in Payments');
    // A two-word verb's second word is a keyword of its usage.
    expect(buttons(await said('migrte isuer sc-prd'))[0]).toBe('migrate issuer sc-prod');
  });

  it('keeps verbatim what is right, quoted, free text or not clearly one thing', async () => {
    expect(buttons(await said('shwo SC-PROD in Payments'))[0]).toBe('show SC-PROD in Payments');
    expect(buttons(await said('shwo "sc-prd" in "My Project"'))[0]).toBe('show "sc-prd" in "My Project"');
    expect(buttons(await said('shwo prod'))[0]).toBe('show prod');
    expect(buttons(await said('lst all type azurermm page 2'))[0]).toBe('list all type azurermm page 2');
    // `create` names a new connection: never corrected into an existing one.
    expect(buttons(await said('craete sc-prd in Payments'))[0]).toBe('create sc-prd in Payments');
    // Two names equally close: neither is chosen for the person.
    expect(nearestUnique('sc-ab', ['sc-ax', 'sc-ay'])).toBeUndefined();
    expect(nearestUnique('sc-ab', ['sc-ax', 'sc-xy'])).toBe('sc-ax');
    expect(nearestUnique('in', ['on'])).toBeUndefined();
  });

  it('never suggests a connection the conversation may not see', async () => {
    const hidden = { project: () => true, connection: (t: { connection: { name: string } }) => t.connection.name !== 'sc-prod' };
    const reply = await said('shwo sc-prd', { visibility: hidden });
    expect(buttons(reply)[0]).toBe('show sc-prd');
    expect(JSON.stringify(reply)).not.toContain('sc-prod');
  });

  it('costs bounded work: a budget over every word, and words past the first few kept as typed', async () => {
    const names = Array.from({ length: 50_000 }, (_, i) => `sc-conn-${i}-westeurope`);
    const work = { spent: 0 };
    for (let i = 0; i < 20; i += 1) nearestUnique(`sc-conn-${i}-westeurop`, names, work);
    expect(work.spent).toBeLessThanOrEqual(SUGGEST_BUDGET + OVERSHOOT);
    const tail = Array.from({ length: CORRECTED_WORDS_MAX + 3 }, () => 'faild').join(' ');
    const [first] = buttons(await said(`lst ${tail}`));
    expect(first?.split(' ').slice(1)).toEqual([...Array(CORRECTED_WORDS_MAX).fill('failed'), 'faild', 'faild', 'faild']);
  });
});
