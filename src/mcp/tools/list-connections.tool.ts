import { z } from 'zod';
import { LIST_PAGE_SIZE } from '../../cards/connection-list-view';
import { plural } from '../../cards/format';
import { listConnections } from '../../commands/list.command';
import { defineTool, READ_TOOL } from '../tool';
import { notAnswered } from './reply-text';

const FILTERS = ['usable', 'failed', 'disabled', 'all'] as const;

const row = z.object({
  id: z.string().optional(),
  name: z.string(),
  project: z.string(),
  type: z.string(),
  scheme: z.string(),
  mode: z.string().describe('Automatic or Manual, as Azure DevOps created it; "-" when unknown.'),
  state: z.string().describe('Ready, Failed, InProgress or NotReady.'),
  disabled: z.boolean(),
  sharedWith: z.number().int().describe('How many projects share the connection (1: not shared).'),
  note: z.string().optional().describe('Who disabled it, or who changed it outside the bot, when known.'),
});

/** `list` as a tool: the same filters and projects, the rows as data, a page at a time. */
export const listConnectionsTool = defineTool({
  name: 'list_connections',
  title: 'List service connections',
  description: 'List Azure DevOps service connections. filter: usable (default: failed ones hidden and counted), failed, disabled (with who disabled them), all. '
    + `Optionally one project and one connection type (e.g. azurerm). ${LIST_PAGE_SIZE} per page.`,
  input: {
    filter: z.enum(FILTERS).default('usable'),
    project: z.string().min(1).max(200).optional().describe('A project name or id; all projects the bot looks at when absent.'),
    type: z.string().min(1).max(100).optional().describe('A service connection type, e.g. azurerm, github, kubernetes.'),
    page: z.number().int().min(1).max(100_000).default(1),
  },
  output: {
    filter: z.enum(FILTERS),
    page: z.number().int(),
    pageCount: z.number().int(),
    total: z.number().int(),
    hiddenFailed: z.number().int().describe('Failed connections a usable list left out.'),
    projectCount: z.number().int(),
    connections: z.array(row),
  },
  annotations: READ_TOOL,

  async run(input, { ctx }) {
    const args = { filter: input.filter, ...(input.project ? { project: input.project } : {}), ...(input.type ? { type: input.type } : {}) };
    const listed = await listConnections(args, ctx);
    if (!listed.ok) return notAnswered(listed.error, 'NOT_LISTED');
    const { rows, hiddenFailed, projectCount } = listed.value;
    const pageCount = Math.max(1, Math.ceil(rows.length / LIST_PAGE_SIZE));
    const page = Math.min(input.page, pageCount);
    const connections = rows.slice((page - 1) * LIST_PAGE_SIZE, page * LIST_PAGE_SIZE).map((r) => ({
      ...(r.id ? { id: r.id } : {}), name: r.name, project: r.project, type: r.type, scheme: r.scheme, mode: r.mode, state: r.state,
      disabled: r.disabled === true, sharedWith: r.sharedWith, ...(r.note ? { note: r.note } : {}),
    }));
    const hidden = input.filter === 'usable' && hiddenFailed > 0 ? `; ${plural(hiddenFailed, 'failed connection')} not shown (filter failed)` : '';
    const text = `${plural(rows.length, input.filter === 'usable' ? 'connection' : `${input.filter} connection`)} in ${plural(projectCount, 'project')}${hidden}; page ${page} of ${pageCount}.`;
    return { ok: true, text, value: { filter: input.filter, page, pageCount, total: rows.length, hiddenFailed, projectCount, connections } };
  },
});
