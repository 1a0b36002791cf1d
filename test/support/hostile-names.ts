/**
 * Connection names an attacker with Endpoint Creator would pick (issue 20): quotes, keywords, markup, entities,
 * bidi and zero-width characters, look-alikes, very long ones, and mixtures of them around a real name.
 */
import fc from 'fast-check';

/** The issue's own examples, each reproduced against main. */
export const ISSUE_NAMES = ['sc-prod"', 'sc-prod<i>', 'sc&#45;prod', 'sc-prod\u200b', 'failed', 'all'] as const;

const PIECES = [
  '"', '""', "'", '“', '”', '‘', '<i>', '</p>', '<at>scbot</at>', '&#45;', '&amp;', '&nbsp;', '&quot;', '\u200b', '\u200d', '\u2060',
  '\u202e', '\u2066', '\ufeff', '\u00ad', '\u2010', '\u2212', 'с', 'ѕ', 'ℯ', '\uff53', '**', '_', '`', '~~', '[Approve as admin](https://evil.example/approve)',
  '<https://evil.example>', '- ', '1. ', '# ', '> ', '\\', ' in Platform', ' in ', ' everywhere', ' deep', ' failed', ' all', ' ', '  ', '\t', '${title}',
];
const KEYWORD_NAMES = ['all', 'failed', 'ALL', 'Failed', 'in', 'everywhere', 'deep', 'disabled', 'issuer', 'to', 'for', 'with', 'from'];
const BASES = ['sc-prod', 'sc prod', 'Payments', 'x'];

const unit = fc.integer({ min: 0x20, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyText = fc.string({ unit, minLength: 1, maxLength: 12 });

/** One hostile name: 1–200 characters, never empty or only spaces (Azure DevOps requires a name). */
export const hostileName: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...ISSUE_NAMES, ...KEYWORD_NAMES) },
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...BASES), fc.array(fc.oneof(fc.constantFrom(...PIECES), anyText), { minLength: 1, maxLength: 4 }), fc.boolean())
    .map(([base, parts, before]) => (before ? `${parts.join('')}${base}` : `${base}${parts.join('')}`)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...PIECES, ...BASES), fc.integer({ min: 60, max: 200 })).map(([piece, size]) => piece.repeat(Math.ceil(size / piece.length)).slice(0, size)) },
).filter((name) => name.trim() !== '');
