import { err, ok } from '../../domain/errors';
import type { Result } from '../../domain/errors';
import type { RotateSource } from './rotate.planner';
import { isRefusal } from '../../domain/planning';
import { planRotate, rotateIneligibility } from './rotate.planner';
import type { Reply, UsageError, ChangeCommand } from '../../commands/command';
import { nameOf, parseOptions } from '../../commands/args';
import { commandLine, findTarget, planReply, projectOf, recentHistory, refusalReply } from '../../commands/mutating';
import { newPlanId } from '../../ids';
import { nameArg, projectArg } from '../../commands/declared-args';
import type { Token } from '../../commands/tokenizer';

export interface RotateArgs {
  name: string;
  project?: string;
  source: RotateSource;
  /** Lifetime of the new Graph secret; the configured default when absent. */
  expiresDays?: number;
}

export const MAX_SECRET_DAYS = 730;
const VAULT_REF = /^([A-Za-z0-9-]{3,24})\/([A-Za-z0-9-]{1,127})$/;
const isWord = (t: Token | undefined, ...words: string[]): boolean => t !== undefined && !t.quoted && words.includes(t.value.toLowerCase());

/** `from keyvault <vault>/<secret>` anywhere after the name; removed from the tokens so the rest parse as usual. */
function takeSource(tokens: readonly Token[]): Result<{ source: RotateSource; rest: Token[] }, UsageError> {
  const at = tokens.findIndex((t) => isWord(t, 'from'));
  if (at === -1) return ok({ source: { kind: 'graph' }, rest: [...tokens] });
  const usage = { message: 'Say `from keyvault <vault>/<secret>`, e.g. `from keyvault kv-payments/sc-prod-secret`.' };
  if (!isWord(tokens[at + 1], 'keyvault', 'key-vault', 'kv')) return err(usage);
  const match = VAULT_REF.exec(tokens[at + 2]?.value ?? '');
  if (!match) return err(usage);
  return ok({ source: { kind: 'keyvault', vault: match[1] as string, secretName: match[2] as string }, rest: [...tokens.slice(0, at), ...tokens.slice(at + 3)] });
}

function parseExpires(raw: string | undefined): Result<number | undefined, UsageError> {
  if (raw === undefined) return ok(undefined);
  const match = /^(\d{1,4})d?$/i.exec(raw);
  const days = match ? Number(match[1]) : Number.NaN;
  if (!(days >= 1 && days <= MAX_SECRET_DAYS)) return err({ message: `\`expires\` takes 1d to ${MAX_SECRET_DAYS}d, e.g. \`expires 90d\`.` });
  return ok(days);
}

function flagsOf(args: RotateArgs): string[] {
  const flags = args.source.kind === 'keyvault' ? ['from', 'keyvault', `${args.source.vault}/${args.source.secretName}`] : [];
  return args.expiresDays === undefined ? flags : [...flags, 'expires', `${args.expiresDays}d`];
}

export const rotateCommand: ChangeCommand<RotateArgs> = {
  id: 'rotate',
  usage: 'rotate <name> [in <project>] [from keyvault <vault>/<secret>] [expires <N>d]',
  args: [
    nameArg(true),
    projectArg(),
    { name: 'keyvault', kind: 'option', keyword: 'from keyvault', required: false, pattern: '^[A-Za-z0-9-]{3,24}/[A-Za-z0-9-]{1,127}$', description: 'Take the new secret from this Key Vault secret (<vault>/<secret>) instead of creating one with Graph.', example: 'kv-payments/sc-prod-secret' },
    { name: 'expires', kind: 'option', keyword: 'expires', required: false, pattern: '^[0-9]{1,4}d$', description: 'Lifetime of a secret the bot creates, in days (1d to 730d).', example: '90d' },
  ],
  summary: 'Give a ServicePrincipal connection a new client secret (Automatic ones become Manual): a preview, then a second person approves.',
  menuText: 'Give a connection a new client secret. You see a preview first; a second person approves.',
  examples: ['rotate sc-prod', 'rotate sc-staging from keyvault kv-payments/sc-staging expires 90d'],
  mutates: true,

  names: (args) => args.name,
  pick: (target) => rotateIneligibility(target) === undefined,
  parse(tokens) {
    // Before anything else: a secret must never reach a usage message, a log line or a plan.
    const source = takeSource(tokens);
    if (!source.ok) return source;
    const parsed = parseOptions(source.value.rest, ['in', 'expires']);
    if (!parsed.ok) return parsed;
    const name = nameOf(parsed.value.rest);
    if (name === '') return err({ message: 'Which connection? Give its name.' });
    const expires = parseExpires(parsed.value.options.get('expires'));
    if (!expires.ok) return expires;
    if (expires.value !== undefined && source.value.source.kind === 'keyvault') return err({ message: '`expires` applies to secrets I create; a Key Vault secret keeps the expiry set in the vault.' });
    return ok({ name, project: parsed.value.options.get('in'), source: source.value.source, ...(expires.value === undefined ? {} : { expiresDays: expires.value }) });
  },

  async run(args, ctx): Promise<Reply> {
    const found = await findTarget(ctx, 'rotate', args.name, args.project);
    if (!found.ok) return found.error;
    const { project, endpoint } = found.value;
    const bare = { endpoint, project: projectOf(endpoint, project), history: [] };
    // Refuse before reading history: a connection with nothing to rotate needs no further calls.
    const why = rotateIneligibility(bare);
    const history = why ? [] : await recentHistory(ctx, project, endpoint.id);
    const settings = ctx.changes;
    const outcome = planRotate({
      id: newPlanId(), command: commandLine('rotate', endpoint.name, args.project, flagsOf(args)), now: ctx.clock.now(),
      target: { ...bare, history }, source: args.source, lifetimeDays: args.expiresDays ?? settings.secretLifetimeDays, retireAfterHours: settings.retireAfterHours,
    });
    return isRefusal(outcome) ? refusalReply(outcome, 'rotate') : planReply(ctx, outcome, found.value);
  },
};
