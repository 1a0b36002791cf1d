// The restrict / authorize step re-reads permissions (the endpoint's fingerprint does not cover them).
import { describe, expect, it } from 'vitest';
import { InMemoryPipelineAccess } from '../support/in-memory-pipeline-access';
import type { ServiceEndpoint } from '../../src/domain/endpoint';
import { PipelineAccessStep } from '../../src/operations/access/access.step';
import type { StepContext } from '../../src/execution/step';
import type { AccessItem } from '../../src/operations/access/access.payload';

const ENDPOINT: ServiceEndpoint = { id: 'e1', name: 'sc-staging', type: 'azurerm' };
const ITEM: AccessItem = {
  endpointId: 'e1', name: 'sc-staging', projectId: 'p1', projectName: 'Payments', before: ENDPOINT, after: ENDPOINT, fingerprint: 'f', warnings: [],
  calls: [{ method: 'PATCH', target: 'devops PATCH Payments/_apis/pipelines/pipelinePermissions/endpoint/e1', purpose: 'x' }],
  access: { before: { allPipelines: true, pipelineIds: [12] }, after: { allPipelines: false, pipelineIds: [10, 11] }, names: {} },
};
const ctx = {} as StepContext;
const access = (allPipelines: boolean, ids: number[]) => new InMemoryPipelineAccess({ permissions: { 'p1|e1': { allPipelines, pipelines: ids.map((id) => ({ id })) } } });

describe('PipelineAccessStep', () => {
  it('PATCHes from the previewed access to the planned one: open access off, two added, one removed', async () => {
    const pipelines = access(true, [12]);
    expect(await new PipelineAccessStep(pipelines).run(ctx, ITEM, ENDPOINT)).toEqual({ status: 'done' });
    const now = await pipelines.permissions('p1', 'e1');
    expect([now.allPipelines, now.pipelines.map((p) => p.id)]).toEqual([false, [10, 11]]);
    expect(pipelines.calls.setPermissions).toBe(1);
  });

  it('does not overwrite access someone changed since the preview', async () => {
    const pipelines = access(true, [12, 13]);
    expect(await new PipelineAccessStep(pipelines).run(ctx, ITEM, ENDPOINT)).toEqual({ status: 'skipped', reason: { kind: 'changed-since-preview' } });
    expect(pipelines.calls.setPermissions).toBe(0);
  });

  it('makes no call when access is already as planned, and a resumed item settles from the re-read', async () => {
    const pipelines = access(false, [10, 11]);
    const step = new PipelineAccessStep(pipelines);
    expect(await step.run(ctx, ITEM, ENDPOINT)).toEqual({ status: 'done', reason: { kind: 'already-so' } });
    expect(await step.resume(ctx, ITEM, ENDPOINT)).toEqual({ status: 'done' });
    expect(await new PipelineAccessStep(access(true, [12])).resume(ctx, ITEM, ENDPOINT)).toBe('restart');
    expect(pipelines.calls.setPermissions).toBe(0);
  });
});
