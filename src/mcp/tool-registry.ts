import type { AnyMcpTool } from './tool';

const TOOL_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * The tools the MCP endpoint offers, in the order tools/list shows them. As the command registry does, a duplicate
 * or malformed name is a start-up error, never a silent override: two operations must not both become `propose_x`.
 */
export class ToolRegistry {
  private readonly byName = new Map<string, AnyMcpTool>();

  register(tool: AnyMcpTool): this {
    if (!TOOL_NAME.test(tool.name)) throw new Error(`MCP tool name "${tool.name}" must be snake_case (a-z, 0-9, _), at most 64 characters`);
    if (this.byName.has(tool.name)) throw new Error(`MCP tool "${tool.name}" is already registered`);
    if (tool.annotations.readOnlyHint && tool.annotations.destructiveHint) throw new Error(`MCP tool "${tool.name}" cannot be both read-only and destructive`);
    this.byName.set(tool.name, tool);
    return this;
  }

  tools(): readonly AnyMcpTool[] {
    return [...this.byName.values()];
  }

  find(name: string): AnyMcpTool | undefined {
    return this.byName.get(name);
  }
}
