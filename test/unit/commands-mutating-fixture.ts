import type { ExecutionRecord, ServiceEndpoint } from '../../src/domain/endpoint';
import type { ListFilter, ServiceEndpoints } from '../../src/devops/service-endpoints.port';
import { InMemoryServiceEndpoints } from '../support/in-memory-service-endpoints';
import type { CommandContext } from '../../src/commands';
import { createCommandRegistry, tokenize } from '../../src/commands';
import { InMemoryPlanRepository } from '../support/in-memory-plan-repository';
import { memoryLogger, pickTurn } from './commands-fixture';
import { CANARY, ENDPOINTS, NOW, PROJECTS, target } from './planners-fixture';
import { testServices, testTurn } from '../support/command-services';

export interface Call {
  method: keyof ServiceEndpoints;
  args: unknown[];
}

/**
 * The demo seed behind the in-memory fake, wrapped to record every call and to count concurrent history
 * reads. `leaky` puts the canary back into what it returns, as a careless adapter might: the commands must
 * still never show it.
 */
export class RecordingEndpoints implements ServiceEndpoints {
  readonly calls: Call[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly inner: InMemoryServiceEndpoints;

  constructor(private readonly leaky = false) {
    const history: Record<string, ExecutionRecord[]> = {};
    for (const e of ENDPOINTS) history[e.id] = [...target(e).history];
    this.inner = new InMemoryServiceEndpoints(PROJECTS, ENDPOINTS, history);
  }

  private record<T>(method: keyof ServiceEndpoints, args: unknown[], result: Promise<T>): Promise<T> {
    this.calls.push({ method, args });
    return result;
  }

  private leak(e: ServiceEndpoint | null): ServiceEndpoint | null {
    if (!this.leaky || !e?.authorization?.parameters) return e;
    return { ...e, authorization: { ...e.authorization, parameters: { ...e.authorization.parameters, serviceprincipalkey: `${CANARY}-leaked` } } };
  }

  projects() { return this.record('projects', [], this.inner.projects()); }
  async list(project: string, filter?: ListFilter) {
    const all = await this.record('list', [project, filter], this.inner.list(project, filter));
    return all.map((e) => this.leak(e) as ServiceEndpoint);
  }
  async get(project: string, id: string) { return this.leak(await this.record('get', [project, id], this.inner.get(project, id))); }
  async getByName(project: string, name: string, options?: { includeFailed?: boolean }) {
    return this.leak(await this.record('getByName', [project, name, options], this.inner.getByName(project, name, options)));
  }
  create(endpoint: ServiceEndpoint) { return this.record('create', [endpoint.name], this.inner.create(endpoint)); }
  update(endpoint: ServiceEndpoint, operation?: string) { return this.record('update', [endpoint.id, operation], this.inner.update(endpoint)); }
  delete(id: string, projectIds: string[], options?: { deep?: boolean }) { return this.record('delete', [id, projectIds, options], this.inner.delete(id, projectIds)); }
  share(id: string, refs: Parameters<ServiceEndpoints['share']>[1]) { return this.record('share', [id, refs], this.inner.share(id, refs)); }

  async executionHistory(project: string, id: string, options?: { top?: number; continuationToken?: string }) {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    // Yield to the event loop so concurrent reads overlap, as real HTTP calls would (no timer, no sleep).
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.inFlight -= 1;
    return this.record('executionHistory', [project, id, options], this.inner.executionHistory(project, id, options));
  }

  count(method: keyof ServiceEndpoints): number {
    return this.calls.filter((c) => c.method === method).length;
  }
}

export function mutatingContext(overrides: Partial<CommandContext> & { leaky?: boolean } = {}) {
  const { leaky = false, ...rest } = overrides;
  const { logger, lines } = memoryLogger();
  const endpoints = new RecordingEndpoints(leaky);
  const plans = new InMemoryPlanRepository();
  const ctx: CommandContext = {
    ...testServices({ endpoints, plans, clock: { now: () => NOW }, logger, projects: rest.projects ?? [] }),
    ...testTurn({ user: { id: '29:user', name: 'Dana', aadObjectId: 'dddddddd-0000-4000-8000-0000000000d1' }, ...pickTurn(rest) }), ...rest,
  };
  return { ctx, endpoints, plans, lines };
}

const registry = createCommandRegistry();
export const run = (text: string, ctx: CommandContext) => registry.dispatch(tokenize(text), ctx);
