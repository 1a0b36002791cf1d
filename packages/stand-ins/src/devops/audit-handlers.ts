/**
 * HTTP ⇄ the audit log: `GET {org}/_apis/audit/auditlog` and `GET {org}/_apis/audit/actions` (Audit 7.1-preview.1),
 * served on the organization's own host, which the resource area `Audit` points at here (auditservice.dev.azure.com
 * on the service). Bare AuditLogQueryResult and `{count, value}` for the actions, as the reference's schema and
 * examples show them. A caller without "View audit log" gets 403; with auditing off the log answers what it held.
 */
import { AUDIT_ACTIONS } from './audit-actions';
import { wrapped, type ApiAnswer, type ApiRequest, type HandlerEnv } from './http-types';
import { VssError } from './vss-error';

function forbidden(): VssError {
  return new VssError(403, 'AuditLogPermissionException', 'VS403403: You do not have permission to view the audit log of this organization (View audit log).', 3000,
    'Microsoft.VisualStudio.Services.Audit.AuditLogPermissionException, Microsoft.VisualStudio.Services.Audit');
}

function badTime(name: string): VssError {
  return new VssError(400, 'ArgumentException', `The value of ${name} is not a valid date-time.`, 3000, 'System.ArgumentException, mscorlib');
}

function time(req: ApiRequest, name: string): Date | undefined {
  const raw = req.query.get(name);
  if (!raw) return undefined;
  const at = new Date(raw);
  if (Number.isNaN(at.getTime())) throw badTime(name);
  return at;
}

export function auditLogAnswer(env: HandlerEnv, req: ApiRequest): ApiAnswer {
  const { state, caller } = env.ctx;
  if (!state.audit.readable) throw forbidden();
  // The automatic disables due by now are in the log before anyone reads it.
  state.liveAll();
  const batch = Number(req.query.get('batchSize') ?? 0);
  const result = state.audit.query({
    startTime: time(req, 'startTime'), endTime: time(req, 'endTime'), batchSize: batch > 0 ? batch : undefined,
    continuationToken: req.query.get('continuationToken') ?? undefined, skipAggregation: req.query.get('skipAggregation')?.toLowerCase() === 'true',
  }, caller);
  return { status: 200, body: result };
}

export function auditActionsAnswer(env: HandlerEnv, req: ApiRequest): ApiAnswer {
  if (!env.ctx.state.audit.readable) throw forbidden();
  const area = req.query.get('areaName')?.toLowerCase();
  const actions = AUDIT_ACTIONS.filter((a) => !area || a.area.toLowerCase() === area).map(({ actionId, area: a, category }) => ({ area: a, category, actionId }));
  return { status: 200, body: wrapped(actions) };
}
