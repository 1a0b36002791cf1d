/**
 * SCBOT_POLICY_FILE: YAML text → a validated Policy, or problems that each name a line and a field. The version is
 * a hash of the file's bytes, so audit can say exactly which file decided. Nothing here reads the disk
 * (policy-source.ts does): parsing is a function of the text, which keeps it easy to test.
 */
import { createHash } from 'node:crypto';
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Pair } from 'yaml';
import type { z } from 'zod';
import { err, ok, type Result } from '../domain/errors';
import { ANYONE, type PolicyConfig } from '../domain/policy';
import { NOBODY, type Policy, type PolicyFreeze, type PolicyRule } from '../domain/policy-rules';
import { rulesFromSettings } from '../domain/policy-from-settings';
import { policyFileSchema, type PolicyFileJson } from './policy-file-schema';

export interface PolicyProblem {
  /** 1-based; absent when the problem is the file as a whole. */
  line?: number;
  /** Where in the file, e.g. `rules[1] (prod-needs-a-lead).approvals`. */
  field: string;
  message: string;
}

/** A policy file bigger than this is refused unread: real ones are a few kilobytes. */
export const MAX_POLICY_BYTES = 1_000_000;

export function problemText(p: PolicyProblem): string {
  return `${p.line === undefined ? '' : `line ${p.line}, `}${p.field || 'the file'}: ${p.message}`;
}

export function policyVersionOf(bytes: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

type Path = ReadonlyArray<PropertyKey>;

/** The line of the node at `path`, or of the nearest ancestor that exists (a missing key points at its map). */
function lineOf(doc: Document, lines: LineCounter, path: Path, key?: string): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (!node?.range) continue;
    if (key !== undefined && n === path.length && isMap(node)) {
      const pair = node.items.find((p: Pair) => (p.key as { value?: unknown } | null)?.value === key);
      const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
      if (range) return lines.linePos(range[0]).line;
    }
    return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/** `rules[1] (prod-needs-a-lead).approvers.groups[0]`: the rule's name helps more than its index. */
function fieldOf(json: unknown, path: Path): string {
  let out = '';
  let at: unknown = json;
  for (const part of path) {
    if (typeof part === 'number') {
      at = Array.isArray(at) ? at[part] : undefined;
      const name = (at as { name?: unknown } | undefined)?.name;
      out += `[${part}]${typeof name === 'string' && out.match(/^(rules|freezes)$/) ? ` (${name})` : ''}`;
    } else {
      at = at && typeof at === 'object' ? (at as Record<string, unknown>)[String(part)] : undefined;
      out += `${out ? '.' : ''}${String(part)}`;
    }
  }
  return out;
}

function zodProblems(error: z.ZodError, json: unknown, doc: Document, lines: LineCounter): PolicyProblem[] {
  return error.issues.flatMap((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => {
      const line = lineOf(doc, lines, issue.path, key);
      const field = fieldOf(json, key === undefined ? issue.path : [...issue.path, key]);
      const message = key === undefined ? issue.message : 'is not a field of this format (check the spelling)';
      return { ...(line === undefined ? {} : { line }), field, message };
    });
  });
}

const all = (list: readonly string[] | undefined) => list ?? [ANYONE];

function toRule(r: PolicyFileJson['rules'][number]): PolicyRule {
  return {
    name: r.name, projects: all(r.projects), connections: all(r.connections), operations: all(r.operations),
    conversations: all(r.conversations), approvalConversations: r.approvalConversations ?? [],
    // Left out, requesters and approvers mean nobody: a rule without requesters only adds approvals.
    requesters: r.requesters ?? NOBODY, approvers: r.approvers ?? NOBODY, approvals: r.approvals,
    ...(r.escalate ? { escalate: r.escalate } : {}), devOpsRole: r.devOpsRole,
  };
}

function toFreeze(f: PolicyFileJson['freezes'][number]): PolicyFreeze {
  return {
    name: f.name, from: new Date(f.from), to: new Date(f.to), projects: all(f.projects), connections: all(f.connections),
    operations: all(f.operations), except: f.except,
  };
}

/** Parses and validates one policy file against the operations this build knows. */
export function parsePolicyFile(text: string, operations: readonly string[]): Result<Policy, PolicyProblem[]> {
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES) return err([{ field: '', message: `is larger than ${MAX_POLICY_BYTES} bytes` }]);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    return err(doc.errors.map((e) => ({ line: lines.linePos(e.pos[0]).line, field: '', message: `not valid YAML (${e.code.toLowerCase().replace(/_/g, ' ')})` })));
  }
  let json: unknown;
  try {
    json = doc.toJS({ maxAliasCount: 50 });
  } catch {
    return err([{ field: '', message: 'uses more aliases than a policy file needs (at most 50)' }]);
  }
  if (!isMap(doc.contents) && !isSeq(doc.contents) && json === null) return err([{ field: '', message: 'is empty: write at least `version: 1`' }]);
  const parsed = policyFileSchema(operations).safeParse(json);
  // In file order: the operator reads them top to bottom beside the file.
  if (!parsed.success) return err(zodProblems(parsed.error, json, doc, lines).sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  return ok({ version: policyVersionOf(text), origin: 'file', rules: parsed.data.rules.map(toRule), freezes: parsed.data.freezes.map(toFreeze) });
}

/** Today's SCBOT_* settings as a policy (no file): one rule for changes, one for reads; versioned by their content. */
export function policyFromSettings(config: PolicyConfig): Policy {
  const rules = rulesFromSettings(config);
  return { version: `settings:${policyVersionOf(JSON.stringify(rules))}`, origin: 'settings', rules, freezes: [] };
}
