/**
 * Arguments agents give a `propose_<operation>` tool (src/mcp/tools/propose.tool.ts), declared by the command they
 * stand for. Most operations act on one named connection: the same two arguments as typed (`<name> [in <project>]`).
 * Bulk forms (`convert all`, `delete failed`) are not offered to agents: a person asks for those.
 */
import { z } from 'zod';
import { declareAgentTool, type AgentToolDeclaration } from './command';
import { commandLine } from './mutating';

export const connectionInput = {
  name: z.string().min(1).max(300).describe('The connection\'s name, as list_connections shows it.'),
  project: z.string().min(1).max(200).optional().describe('The project, when the name exists in several.'),
};

/** `<verb> <name> [in <project>]` as a propose tool. */
export function oneConnectionTool(verb: string, description: string, destructive: boolean): AgentToolDeclaration {
  return declareAgentTool({ description, input: connectionInput, destructive, line: (i) => commandLine(verb, i.name, i.project) });
}
