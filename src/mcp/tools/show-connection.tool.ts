import { z } from 'zod';
import { DETAIL_EXECUTIONS } from '../../cards/connection-detail-view';
import { findTarget } from '../../commands/mutating';
import { defineTool, READ_TOOL } from '../tool';
import { connectionDetail, connectionDetailShape } from './connection-output';
import { notAnswered } from './reply-text';

export const connectionArgs = {
  name: z.string().min(1).max(300).describe('The connection\'s name, as list_connections shows it.'),
  project: z.string().min(1).max(200).optional().describe('The project, when the name exists in several.'),
};

/** `show` as a tool: one connection's scheme, identity, state, why it failed, sharing and recent runs. */
export const showConnectionTool = defineTool({
  name: 'show_connection',
  title: 'Show a service connection',
  description: 'One service connection in detail: type, scheme, identity (tenant, client id), state and why it failed, disabled or soon disabled, '
    + 'retiring issuer, the projects it is shared with and its last runs. Never a secret value.',
  input: connectionArgs,
  output: connectionDetailShape,
  annotations: READ_TOOL,

  async run(input, { ctx }) {
    const found = await findTarget(ctx, 'show', input.name, input.project);
    if (!found.ok) return notAnswered(found.error, 'NOT_FOUND');
    const { project, endpoint } = found.value;
    const history = await ctx.endpoints.executionHistory(project, endpoint.id, { top: DETAIL_EXECUTIONS });
    const value = connectionDetail(endpoint, project, history.records, ctx.clock.now());
    const failed = value.failure ? `; failed: ${value.failure.slice(0, 160)}` : '';
    return { ok: true, value, text: `${value.name} (${value.project}): ${value.type}, ${value.scheme}, ${value.state}${value.disabled ? ', disabled' : ''}${failed}` };
  },
});
