/**
 * The fingerprint check's read, in bulk: at the start of a run the plan's open items (pending, or left running by a
 * stopped run) are read with one list call per project and per IDS_PER_LIST ids (`endpointIds`, failed ones
 * included), instead of one GET per item. The list view and the details view name a shared connection by the
 * project's own name; the fingerprint leaves the top-level name out, so both compare like with like.
 */
import PQueue from 'p-queue';
import { errorCodeOf } from '../domain/errors';
import type { ServiceEndpoint } from '../domain/endpoint';
import type { PlanItem } from '../domain/plan';
import type { ServiceEndpoints } from '../devops/service-endpoints.port';
import type { Log } from '../log';

/** 50 GUIDs keep the list URL near 2,000 characters at most, well under what proxies and the service accept. */
export const IDS_PER_LIST = 50;

type Found = Map<string, ServiceEndpoint>;

export class BatchReads {
  /** Each open item's id (lower case) → the read of its chunk; undefined when that read failed. */
  private readonly reads = new Map<string, Promise<Found | undefined>>();

  /** Starts every chunk's read at once (at most `concurrency` in flight); items await only their own chunk. */
  constructor(private readonly devops: ServiceEndpoints, items: readonly PlanItem[], concurrency: number, private readonly logger?: Log) {
    const queue = new PQueue({ concurrency: Math.max(1, concurrency) });
    for (const [projectId, ids] of byProject(items)) {
      for (let start = 0; start < ids.length; start += IDS_PER_LIST) {
        const chunk = ids.slice(start, start + IDS_PER_LIST);
        const read = queue.add(() => this.read(projectId, chunk), { throwOnTimeout: true });
        for (const id of chunk) this.reads.set(id.toLowerCase(), read);
      }
    }
  }

  /**
   * The connection as read at the start of this run; null when the list no longer has it. An item the batch did
   * not cover, or whose chunk's read failed, is read on its own, so one failed list never fails a whole chunk.
   */
  async current(item: PlanItem): Promise<ServiceEndpoint | null> {
    const found = await this.reads.get(item.endpointId.toLowerCase());
    if (found) return found.get(item.endpointId.toLowerCase()) ?? null;
    return this.devops.get(item.projectId, item.endpointId);
  }

  private async read(projectId: string, ids: string[]): Promise<Found | undefined> {
    try {
      const listed = await this.devops.list(projectId, { endpointIds: ids, includeFailed: true });
      const wanted = new Set(ids.map((id) => id.toLowerCase()));
      return new Map(listed.filter((e) => wanted.has(e.id.toLowerCase())).map((e) => [e.id.toLowerCase(), e]));
    } catch (error) {
      this.logger?.warn({ err: error, code: errorCodeOf(error), projectId, ids: ids.length }, 'batch read failed; reading those items one by one');
      return undefined;
    }
  }
}

/** Plan order kept within each project; an id twice in one project is read once. */
function byProject(items: readonly PlanItem[]): Map<string, string[]> {
  const groups = new Map<string, Map<string, string>>();
  for (const item of items) {
    const ids = groups.get(item.projectId) ?? new Map<string, string>();
    ids.set(item.endpointId.toLowerCase(), item.endpointId);
    groups.set(item.projectId, ids);
  }
  return new Map([...groups].map(([project, ids]) => [project, [...ids.values()]]));
}
