/**
 * The command lines the bot writes (buttons, suggestions, plan again) come back through the tokenizer exactly:
 * a name from Azure DevOps is one quoted name whatever it holds, and a name spelled like a keyword is never one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCommandRegistry } from '../../src/commands';
import { nameOf } from '../../src/commands/args';
import { tokenize } from '../../src/commands/tokenizer';
import { inProject, KEYWORDS, quoteArg } from '../../src/domain/command-line';
import { hostileName, ISSUE_NAMES } from '../support/hostile-names';

/** What a button's command names: the verb, the name before `in` as the parsers read it, and the project. */
const readBack = (line: string) => {
  const [verb, ...rest] = tokenize(line, { verbatim: true });
  const at = rest.findIndex((t) => !t.quoted && t.value === 'in');
  return { verb: verb?.value, name: nameOf(rest.slice(0, at)), project: nameOf(rest.slice(at + 1)), bare: rest.slice(0, at).filter((t) => !t.quoted).map((t) => t.value) };
};

describe('command lines the bot writes', () => {
  it('quotes exactly the names that need it, doubling a quote inside', () => {
    expect(quoteArg('sc-prod')).toBe('sc-prod');
    expect(quoteArg('Payments')).toBe('Payments');
    expect(quoteArg('Data Science')).toBe('"Data Science"');
    expect(quoteArg('sc-prod"')).toBe('"sc-prod"""');
    expect(quoteArg('all')).toBe('"all"');
    expect(quoteArg('FAILED')).toBe('"FAILED"');
    expect(quoteArg('')).toBe('""');
  });

  it('reads back the issue\'s names as themselves, never as sc-prod or a keyword', () => {
    for (const name of [...ISSUE_NAMES, ' sc-prod ', '"', '""', 'a""b', '“sc-prod”', 'in', 'sc-prod in Platform']) {
      // One quoted token: no word of the name is left for a parser to read as a keyword.
      expect(readBack(`delete ${quoteArg(name)} in Payments`)).toEqual({ verb: 'delete', name, project: 'Payments', bare: [] });
    }
  });

  it('any name round-trips through a verbatim tokenize (fast-check)', () => {
    fc.assert(fc.property(fc.oneof(hostileName, fc.string({ maxLength: 40 })), (name) => {
      expect(readBack(`show ${quoteArg(name)} in ${quoteArg('Data Science')}`)).toMatchObject({ name, project: 'Data Science' });
    }), { numRuns: 500 });
  });

  it('typed text still gets the Teams clean-up; a button\'s command does not', () => {
    expect(tokenize('show sc&#45;prod').map((t) => t.value)).toEqual(['show', 'sc-prod']);
    expect(tokenize('show sc&#45;prod', { verbatim: true }).map((t) => t.value)).toEqual(['show', 'sc&#45;prod']);
    expect(tokenize('show "sc-prod<i>"', { verbatim: true }).map((t) => t.value)).toEqual(['show', 'sc-prod<i>']);
    expect(tokenize('show "sc-prod\u200b"', { verbatim: true }).map((t) => t.value)).toEqual(['show', 'sc-prod\u200b']);
  });

  it('every literal word of every usage line is a keyword, so a name spelled like one is quoted', () => {
    const words = createCommandRegistry().commands().flatMap((c) => c.usage
      .replace(/<[^>]*>/g, ' ').split(/[^a-z-]+/i).slice(1))
      .map((w) => w.toLowerCase()).filter((w) => /^[a-z][a-z-]+$/.test(w));
    const verbs = new Set(createCommandRegistry().commands().map((c) => c.id));
    expect(words.filter((w) => !verbs.has(w) && !KEYWORDS.has(w))).toEqual([]);
  });
});

describe('a bulk command\'s project, as every bulk command and its buttons write it', () => {
  it('quotes a project name only when the tokenizer needs it, so the line reads back as the same project', () => {
    expect(inProject(undefined)).toBe('');
    expect(inProject('Payments')).toBe(' in Payments');
    for (const project of ['My Project', 'in', 'a "quoted" team', 'Team (EU) & Ops']) {
      const tokens = tokenize(`convert all${inProject(project)}`).map((t) => t.value);
      expect(tokens).toEqual(['convert', 'all', 'in', project]);
    }
  });
});
