import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/config';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

// The README and .env.example are how an operator configures the bot: they must name every setting it reads.
describe('configuration docs', () => {
  it.each(Object.keys(SETTINGS))('%s is in .env.example and the README table', (key) => {
    expect(read('.env.example')).toMatch(new RegExp(`^#?\\s*${key}=`, 'm'));
    expect(read('README.md')).toContain(`| \`${key}\` |`);
  });

  it('keeps the two-command quick start', () => {
    expect(read('README.md')).toContain('npm ci && npm start');
    expect(read('README.md')).toContain('npm ci && npm test');
  });
});
