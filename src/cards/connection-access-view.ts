/**
 * `access <name>`: who may use a connection. Open to all pipelines or not, the pipelines authorized by name (who
 * authorized them, when), the pipelines that used it in the last 90 days (those not authorized are marked: with
 * open access off they would fail), and the per-connection roles. Pipeline names, never bare ids.
 */
import type { EndpointPermissions, PipelineRef, PipelineUse, RoleAssignment } from '../domain/pipeline-access';
import { pipelineName, USAGE_DAYS } from '../domain/pipeline-access';
import { quoteArg, type ConnectionPin } from '../domain/command-line';
import { commandAction, type CardAction } from './command-action';
import { formatUtc, plural, TONE_ICON } from './format';
import { inlineCode, outsideText } from './outside-text';

const ROWS_MAX = 15;
const NAME_MAX = 50;
const TITLE_MAX = 150;
const SHORT_MAX = 30;

export interface AccessViewInput {
  name: string;
  project: string;
  /** The connection and project ids the buttons are pinned to. */
  pin: Required<ConnectionPin>;
  permissions: EndpointPermissions;
  pipelines: readonly PipelineRef[];
  used: readonly PipelineUse[];
  /** undefined: the roles could not be read (the bot's identity lacks the permission). */
  roles: readonly RoleAssignment[] | undefined;
}

export interface AccessView {
  title: string;
  subtitle: string;
  openText: string;
  warnings: { text: string }[];
  authorizedTitle: string;
  hasAuthorized: boolean;
  authorized: { text: string }[];
  usedTitle: string;
  hasUsed: boolean;
  used: { text: string }[];
  rolesTitle: string;
  hasRoles: boolean;
  noRolesText: string;
  roles: { text: string }[];
  actions: CardAction[];
}

const by = (who?: string, on?: string): string => [who ? `by ${outsideText(who, NAME_MAX)}` : '', on ? outsideText(formatUtc(on) ?? '', SHORT_MAX) : ''].filter(Boolean).join(', ');

function capped<T>(rows: T[], more: (n: number) => T): T[] {
  return rows.length <= ROWS_MAX ? rows : [...rows.slice(0, ROWS_MAX), more(rows.length - ROWS_MAX)];
}

export function buildAccessView(input: AccessViewInput): AccessView {
  const { permissions } = input;
  const authorizedIds = new Set(permissions.pipelines.map((p) => p.id));
  const authorized = permissions.pipelines.map((p) => {
    const grant = by(p.by, p.on);
    return { text: `• **${outsideText(pipelineName(input.pipelines, p.id), NAME_MAX)}**${grant ? ` — ${grant}` : ''}` };
  });
  const used = input.used.map((u) => {
    const ok = permissions.allPipelines ? true : u.id !== undefined && authorizedIds.has(u.id);
    const mark = u.id !== undefined && !authorizedIds.has(u.id) ? (permissions.allPipelines ? ' · only through open access' : ' · not authorized') : '';
    return { text: `${ok ? '•' : TONE_ICON.warning} **${outsideText(u.name, NAME_MAX)}** — ${plural(u.runs, 'run')}, last ${outsideText(formatUtc(u.lastUsed) ?? '', SHORT_MAX)}${mark}` };
  });
  const roles = (input.roles ?? []).map((r) => ({ text: `• ${outsideText(r.identity, NAME_MAX)}${r.uniqueName && r.uniqueName !== r.identity ? ` (${outsideText(r.uniqueName, NAME_MAX)})` : ''} — **${outsideText(r.role, SHORT_MAX)}**, ${outsideText(r.access, SHORT_MAX)}` }));
  const open = permissions.allPipelines;
  const openGrant = open ? by(permissions.allPipelinesGrant?.by, permissions.allPipelinesGrant?.on) : '';
  const target = `${quoteArg(input.name)} in ${quoteArg(input.project)}`;
  return {
    title: `Access to ${outsideText(input.name, TITLE_MAX)}`,
    subtitle: `${outsideText(input.project, NAME_MAX)} · connection ${outsideText(input.pin.connectionId, NAME_MAX)} · ${plural(permissions.pipelines.length, 'pipeline')} authorized · ${plural(input.used.length, 'pipeline')} used it in ${USAGE_DAYS} days`,
    // Emphasis by icon, never by text colour (readable in light and dark themes).
    openText: open ? `${TONE_ICON.attention} Open to ALL pipelines of the project${openGrant ? ` (${openGrant})` : ''}` : `${TONE_ICON.good} Not open to all pipelines: only the pipelines below may use it.`,
    warnings: open ? [{ text: `Any pipeline in ${outsideText(input.project, NAME_MAX)}, present or future, can use this connection. Say ${inlineCode(`restrict ${target}`, TITLE_MAX)} to keep only the pipelines that use it.` }] : [],
    authorizedTitle: `Authorized pipelines (${permissions.pipelines.length})`,
    hasAuthorized: authorized.length > 0,
    authorized: capped(authorized, (n) => ({ text: `… and ${n} more` })),
    usedTitle: `Used in the last ${USAGE_DAYS} days (${input.used.length})`,
    hasUsed: used.length > 0,
    used: capped(used, (n) => ({ text: `… and ${n} more` })),
    rolesTitle: `Roles on the connection (${input.roles?.length ?? '?'})`,
    hasRoles: roles.length > 0,
    noRolesText: input.roles === undefined ? 'The roles could not be read (the bot needs Reader on the connection and the security scope).' : 'No role assignments.',
    roles: capped(roles, (n) => ({ text: `… and ${n} more` })),
    actions: [
      ...(open ? [{ title: 'Restrict', command: `restrict ${target}`, target: input.pin }] : []),
      { title: 'Show', command: `show ${target}`, target: input.pin },
    ].map(commandAction),
  };
}

export function accessSummaryText(view: AccessView): string {
  return `${view.title}: ${view.openText} ${view.subtitle}.`;
}
