import { z } from 'zod';
import { plural } from '../../cards/format';
import { visibleText } from '../../cards/outside-text';
import { readAccess } from '../../commands/access.command';
import { pipelineName, USAGE_DAYS } from '../../domain/pipeline-access';
import { defineTool, READ_TOOL } from '../tool';
import { notAnswered } from './reply-text';
import { connectionArgs } from './show-connection.tool';

const NAME_MAX = 300;
const name = (value: string): string => visibleText(value, NAME_MAX);

/** `access` as a tool: who may use a connection, and who really did. */
export const accessConnectionTool = defineTool({
  name: 'access_connection',
  title: 'Who may use a service connection',
  description: `Who may use a service connection: open to all pipelines of the project or not, the pipelines authorized (and who authorized them), `
    + `the pipelines that used it in the last ${USAGE_DAYS} days (authorized or not), and its roles.`,
  input: connectionArgs,
  output: {
    id: z.string(),
    name: z.string(),
    project: z.string(),
    openToAllPipelines: z.boolean(),
    authorized: z.array(z.object({ id: z.number().int(), name: z.string(), by: z.string().optional(), on: z.string().optional() })),
    usedLately: z.array(z.object({ id: z.number().int().optional(), name: z.string(), lastUsed: z.string(), runs: z.number().int(), authorized: z.boolean() })),
    roles: z.array(z.object({ identity: z.string(), role: z.string(), access: z.string() })).optional().describe('Absent when the bot may not read them.'),
  },
  annotations: READ_TOOL,

  async run(input, { ctx }) {
    const read = await readAccess(input, ctx);
    if (!read.ok) return notAnswered(read.error, 'NOT_FOUND');
    const a = read.value;
    const authorizedIds = new Set(a.permissions.pipelines.map((p) => p.id));
    const value = {
      id: a.pin.connectionId, name: name(a.name), project: a.project, openToAllPipelines: a.permissions.allPipelines,
      authorized: a.permissions.pipelines.map((p) => ({ id: p.id, name: name(pipelineName(a.pipelines, p.id)), ...(p.by ? { by: name(p.by) } : {}), ...(p.on ? { on: p.on } : {}) })),
      usedLately: a.used.map((u) => ({ ...(u.id !== undefined ? { id: u.id } : {}), name: name(u.name), lastUsed: u.lastUsed, runs: u.runs, authorized: a.permissions.allPipelines || (u.id !== undefined && authorizedIds.has(u.id)) })),
      ...(a.roles ? { roles: a.roles.map((r) => ({ identity: name(r.uniqueName ?? r.identity), role: r.role, access: r.access })) } : {}),
    };
    const open = value.openToAllPipelines ? 'open to all pipelines' : `${plural(value.authorized.length, 'pipeline')} authorized`;
    return { ok: true, value, text: `${value.name} (${value.project}): ${open}; ${plural(value.usedLately.length, 'pipeline')} used it in the last ${USAGE_DAYS} days.` };
  },
});
