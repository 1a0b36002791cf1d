/**
 * A text-level reading of Bicep, for checks that need no compiler (none is installable here: docs/deploying.md).
 * It reads the declarations this project's templates use, one per line, and nothing cleverer.
 */
export interface BicepParam {
  name: string;
  type: string;
  hasDefault: boolean;
}

export interface BicepOutput {
  name: string;
  value: string;
}

/** Line comments only: `//` at a line's start or after a space, never the one in 'https://…'. */
const withoutComments = (text: string) => text.replace(/(^|\s)\/\/.*$/gm, '$1');

export function bicepParams(text: string): BicepParam[] {
  return [...withoutComments(text).matchAll(/^\s*param\s+(\w+)\s+(\w+)(\s*=)?/gm)].map((m) => ({ name: m[1] ?? '', type: m[2] ?? '', hasDefault: Boolean(m[3]) }));
}

export function bicepOutputs(text: string): BicepOutput[] {
  return [...withoutComments(text).matchAll(/^\s*output\s+(\w+)\s+\w+\s*=\s*(.+)$/gm)].map((m) => ({ name: m[1] ?? '', value: (m[2] ?? '').trim() }));
}

/** How often an identifier appears outside its own `param` line (0: declared and never used). */
export function usesOf(text: string, name: string): number {
  const body = withoutComments(text).replace(new RegExp(`^\\s*param\\s+${name}\\b.*$`, 'm'), '');
  return (body.match(new RegExp(`(?<![\\w.'])${name}(?![\\w'])`, 'g')) ?? []).length;
}

/** The keys of the first `<key>: {` block after `anchor` (e.g. a module's `params: {`), one level deep. */
export function blockKeys(text: string, anchor: RegExp, key: string): string[] {
  const source = withoutComments(text);
  const start = source.search(anchor);
  if (start < 0) return [];
  const open = source.indexOf(`${key}: {`, start);
  if (open < 0) return [];
  const keys: string[] = [];
  let depth = 0;
  for (const line of source.slice(open).split('\n')) {
    if (depth === 1) {
      const found = /^\s*(\w+):/.exec(line);
      if (found?.[1]) keys.push(found[1]);
    }
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depth <= 0) break;
  }
  return keys;
}

/** `{ name: 'X', value: <expression> }` entries of an appSettings list. */
export function appSettings(text: string): Array<{ name: string; value: string }> {
  return [...withoutComments(text).matchAll(/\{\s*name:\s*'([^']+)',\s*value:\s*(.+?)\s*\}/g)].map((m) => ({ name: m[1] ?? '', value: m[2] ?? '' }));
}
