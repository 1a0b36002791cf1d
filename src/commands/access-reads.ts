/**
 * Reads the access commands share: the project's pipelines once per turn (however many connections the turn
 * looks at), and a connection's last 90 days of use, paged but bounded.
 */
import type { ExecutionRecord, ServiceEndpoint } from '../domain/endpoint';
import { type PipelineRef, type PipelineUse, pipelinesUsedSince, USAGE_DAYS } from '../domain/pipeline-access';
import type { Token } from './tokenizer';
import { nameOf } from './args';
import type { CommandContext } from './command';
import type { AccessTarget } from '../operations/access/access.planner';
import { projectOf } from './mutating';
import { DAY_MS } from '../domain/time';

const PAGE = 100;
/** 400 runs cover 90 days of all but the busiest connections; the cost stays four calls at most. */
const MAX_PAGES = 4;

/** One pipelines read per project for the whole turn (a `restrict all` over 30 connections reads each project once). */
export class TurnPipelines {
  private readonly reads = new Map<string, Promise<PipelineRef[]>>();

  constructor(private readonly ctx: CommandContext) {}

  of(projectId: string): Promise<PipelineRef[]> {
    const key = projectId.toLowerCase();
    let read = this.reads.get(key);
    if (!read) {
      read = this.ctx.pipelines.pipelines(projectId);
      this.reads.set(key, read);
    }
    return read;
  }
}

/** Execution records of the last `days`, newest first, paging until one is older or the bound is reached. */
export async function historySince(ctx: CommandContext, project: string, endpointId: string, days = USAGE_DAYS): Promise<ExecutionRecord[]> {
  const since = ctx.clock.now().getTime() - days * DAY_MS;
  const records: ExecutionRecord[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await ctx.endpoints.executionHistory(project, endpointId, { top: PAGE, ...(token ? { continuationToken: token } : {}) });
    records.push(...answer.records);
    const oldest = answer.records.at(-1);
    const oldestAt = Date.parse(oldest?.finishTime ?? oldest?.startTime ?? '');
    if (!answer.continuationToken || answer.records.length === 0 || oldestAt < since) break;
    token = answer.continuationToken;
  }
  return records;
}

export async function usedLately(ctx: CommandContext, project: string, endpointId: string): Promise<PipelineUse[]> {
  return pipelinesUsedSince(await historySince(ctx, project, endpointId), ctx.clock.now());
}

/** Everything an access plan or the access card needs about one connection in one project. */
export async function readAccessTarget(ctx: CommandContext, pipelines: TurnPipelines, project: string, endpoint: ServiceEndpoint): Promise<AccessTarget> {
  const ref = projectOf(endpoint, project);
  const [permissions, used, defs] = await Promise.all([
    ctx.pipelines.permissions(ref.id, endpoint.id),
    usedLately(ctx, project, endpoint.id),
    pipelines.of(ref.id),
  ]);
  return { endpoint, project: ref, permissions, used, pipelines: defs };
}

/** The words before and after the first bare keyword (`to`, `for`, `with`, `from`); a quoted one is a name. */
export function splitAt(tokens: readonly Token[], keyword: string): { before: Token[]; after: Token[] | undefined } {
  const at = tokens.findIndex((t) => !t.quoted && t.value.toLowerCase() === keyword);
  return at < 0 ? { before: [...tokens], after: undefined } : { before: tokens.slice(0, at), after: tokens.slice(at + 1) };
}

export const joined = (tokens: readonly Token[]): string => nameOf(tokens);

/** `a, b c, d` → ["a", "b c", "d"]. */
export function commaList(tokens: readonly Token[]): string[] {
  return joined(tokens).split(',').map((s) => s.trim()).filter(Boolean);
}
