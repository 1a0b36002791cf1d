import { z } from 'zod';
import { plural } from '../../cards/format';
import { visibleText } from '../../cards/outside-text';
import type { Finding } from '../../domain/findings';
import { MCP_CONVERSATION } from '../caller-turn';
import { defineTool, READ_TOOL } from '../tool';

const PAGE_SIZE = 50;
const SEVERITIES = ['critical', 'warning', 'info'] as const;

const finding = z.object({
  key: z.string().describe('Stable across scans.'),
  kind: z.string().describe('failed, secret-expiring, secret-expired, unused, retiring-issuer, revert-deadline, will-be-disabled, disabled or open-to-all.'),
  severity: z.enum(SEVERITIES),
  connectionId: z.string(),
  name: z.string(),
  project: z.string(),
  detail: z.string(),
  since: z.string().optional(),
  dueAt: z.string().optional(),
  suggestedAction: z.string().describe('The command that starts the fix in Teams: rotate, convert, delete, enable, restrict, migrate, revert or show.'),
});

const wanted = (f: Finding, input: { severity?: string; kind?: string; project?: string }): boolean =>
  (input.severity === undefined || f.severity === input.severity)
  && (input.kind === undefined || f.kind === input.kind.toLowerCase())
  && (input.project === undefined || f.project.toLowerCase() === input.project.toLowerCase());

/** The alerts radar's open findings, as of its last scan (the tool never starts one). */
export const listFindingsTool = defineTool({
  name: 'list_findings',
  title: 'List the open findings',
  description: 'The problems the alerts radar found in its last scan, most severe first: failed connections, secrets expiring or expired, '
    + 'unused or soon disabled connections, the retiring issuer, revert deadlines, connections open to all pipelines. Each names the fix.',
  input: {
    severity: z.enum(SEVERITIES).optional(),
    kind: z.string().min(1).max(40).optional(),
    project: z.string().min(1).max(200).optional(),
    page: z.number().int().min(1).max(100_000).default(1),
  },
  output: {
    scannedAt: z.string().optional().describe('When the last scan started; absent when none ran yet.'),
    scanFailed: z.boolean().describe('The last scan failed as a whole: these findings are from the one before.'),
    page: z.number().int(),
    pageCount: z.number().int(),
    total: z.number().int(),
    findings: z.array(finding),
  },
  annotations: READ_TOOL,

  async run(input, { ctx }) {
    const { lastScan } = await ctx.alerts.status(MCP_CONVERSATION.id);
    const order = (f: Finding) => SEVERITIES.indexOf(f.severity);
    const all = (lastScan?.findings ?? []).filter((f) => wanted(f, input)).sort((a, b) => order(a) - order(b) || a.project.localeCompare(b.project) || a.name.localeCompare(b.name));
    const pageCount = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
    const page = Math.min(input.page, pageCount);
    const findings = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((f) => ({
      key: f.key, kind: f.kind, severity: f.severity, connectionId: f.endpointId, name: visibleText(f.name, 300), project: f.project,
      detail: visibleText(f.detail, 300), ...(f.since ? { since: f.since } : {}), ...(f.dueAt ? { dueAt: f.dueAt } : {}), suggestedAction: f.suggestedAction,
    }));
    const when = lastScan ? `as of the scan of ${lastScan.startedAt}${lastScan.ok ? '' : ' (the last scan failed; these are from the one before)'}` : 'no scan has run yet (say `alerts scan` in Teams)';
    return {
      ok: true, text: `${plural(all.length, 'open finding')} ${when}; page ${page} of ${pageCount}.`,
      value: { ...(lastScan ? { scannedAt: lastScan.startedAt } : {}), scanFailed: lastScan ? !lastScan.ok : false, page, pageCount, total: all.length, findings },
    };
  },
});
