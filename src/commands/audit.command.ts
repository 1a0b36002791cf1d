import type { Result } from '../domain/errors';
import { err, ok } from '../domain/errors';
import { auditSummaryText, buildAuditView } from '../cards/audit-view';
import type { Command, Reply, UsageError } from './command';
import { parseOptions } from './args';
import { echoPlain } from './echo-arg';

export const AUDIT_DEFAULT_LAST = 20;
export const AUDIT_MAX_LAST = 200;

export interface AuditArgs {
  /** A connection's name or id. */
  connection?: string;
  planId?: string;
  last: number;
}

function parseLast(raw: string | undefined): Result<number, UsageError> {
  if (raw === undefined) return ok(AUDIT_DEFAULT_LAST);
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1) return err({ message: '`last` needs a number, e.g. `last 50`.' });
  return Number(raw) > AUDIT_MAX_LAST ? err({ message: `\`last\` is at most ${AUDIT_MAX_LAST}.` }) : ok(Number(raw));
}

/** Read-only: who asked for, approved, rejected and executed which change, newest first. */
export const auditCommand: Command<AuditArgs> = {
  id: 'audit',
  usage: `audit [<name>] [plan <id>] [last <n>]`,
  summary: `Show the audit trail: who asked for and approved which change, and the outcome (last ${AUDIT_DEFAULT_LAST} events unless you say \`last <n>\`, at most ${AUDIT_MAX_LAST}).`,
  menuText: 'Who asked for which change, who approved it, and how it went.',
  group: 'audit',
  examples: ['audit', 'audit sc-prod last 50', 'audit plan P-7K2M9QXD'],
  mutates: false,

  parse(tokens) {
    const parsed = parseOptions(tokens, ['last', 'plan']);
    if (!parsed.ok) return parsed;
    const { options, rest } = parsed.value;
    if (rest.length > 1) return err({ message: `I don't understand \`${rest.slice(1).map((t) => t.value).join(' ')}\`: quote a name with spaces.` });
    const last = parseLast(options.get('last'));
    if (!last.ok) return last;
    const planId = options.get('plan');
    if (planId !== undefined && !/^P-[A-Z0-9]{8}$/i.test(planId)) return err({ message: '`plan` needs a plan id, e.g. `plan P-7K2M9QXD`.' });
    const connection = rest[0]?.value;
    return ok({ last: last.value, ...(connection !== undefined ? { connection } : {}), ...(planId !== undefined ? { planId: planId.toUpperCase() } : {}) });
  },

  async run(args, ctx): Promise<Reply> {
    const { connection, planId, last } = args;
    const events = await ctx.audit.query({ last, ...(connection !== undefined ? { connection } : {}), ...(planId !== undefined ? { planId } : {}) });
    const subject = [connection !== undefined ? echoPlain(connection) : undefined, planId ? `plan ${planId}` : undefined].filter(Boolean).join(', ') || undefined;
    const view = buildAuditView({ events, last, ...(subject ? { subject } : {}) });
    return { kind: 'card', text: auditSummaryText(view), view: { template: 'audit', model: view } };
  },
};
