import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/config';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

// docs/configuration.md and .env.example are how an operator configures the bot: they must name every setting it reads.
describe('configuration docs', () => {
  it.each(Object.keys(SETTINGS))('%s is in .env.example and the docs/configuration.md table', (key) => {
    expect(read('.env.example')).toMatch(new RegExp(`^#?\\s*${key}=`, 'm'));
    expect(read('docs/configuration.md')).toContain(`| \`${key}\` |`);
  });

  it('keeps the two-command quick start, and CI runs exactly the README\'s test command', () => {
    expect(read('README.md')).toContain('npm ci && npm start');
    expect(read('README.md')).toContain('npm ci && npm test');
    const ci = read('.ci/run').split('\n').filter((line) => /^npm (ci|test)\b/.test(line.trim()));
    expect(ci).toEqual(['npm ci', 'npm test']);
  });

  it('the README is a product page, and every page it links to exists', () => {
    const readme = read('README.md');
    expect(readme.split('\n').length).toBeLessThanOrEqual(130);
    const links = [...readme.matchAll(/\]\((?!https?:|#)([^)#]+)[^)]*\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(existsSync(new URL(`../../${link}`, import.meta.url)), link).toBe(true);
  });

  it('the pages the reference moved to link only to files that exist', () => {
    for (const page of ['commands', 'configuration', 'permissions', 'safety', 'emulator', 'benchmarks', 'architecture', 'deploying']) {
      const text = read(`docs/${page}.md`);
      const links = [...text.matchAll(/\]\((?!https?:|#)([^)#]+)[^)]*\)/g)].map((m) => m[1]!);
      for (const link of links) expect(existsSync(new URL(`../../docs/${link}`, import.meta.url)), `${page}.md → ${link}`).toBe(true);
    }
  });
});
