import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/commands';
import { createCommand, createLine } from '../../src/operations/create/create.command';

const SUB = '5f1e0b2c-7a3d-4c8e-9b6f-2d4a8c1e3f50';
const APP = '11111111-2222-4333-8444-555555555555';
/** The words after the verb, as the registry hands them to the command. */
const parse = (text: string) => createCommand.parse(tokenize(text).slice(1));

describe('create: parsing', () => {
  it('reads every option, in any order, with a quoted role and a list of pipelines', () => {
    const parsed = parse(`create "sc prod — Zürich" role "Storage Blob Data Contributor" in Payments resource-group rg-ops subscription ${SUB} app ${APP} for payments-ci, nightly`);
    expect(parsed).toEqual({ ok: true, value: {
      name: 'sc prod — Zürich', project: 'Payments', subscriptionId: SUB, resourceGroup: 'rg-ops', identity: { kind: 'app', appId: APP },
      role: 'Storage Blob Data Contributor', pipelines: ['payments-ci', 'nightly'],
    } });
    expect(parse(`create sc-x in Payments subscription ${SUB} new app`)).toMatchObject({ ok: true, value: { identity: { kind: 'new-app' }, pipelines: [] } });
    expect(parse(`create sc-x in Payments subscription ${SUB} identity ${APP}`)).toMatchObject({ ok: true, value: { identity: { kind: 'identity', clientId: APP } } });
  });

  it.each([
    [`create in Payments subscription ${SUB} app ${APP}`, /Which name/],
    [`create sc-x subscription ${SUB} app ${APP}`, /Name the project and the subscription/],
    [`create sc-x in Payments app ${APP}`, /Name the project and the subscription/],
    [`create sc-x in Payments subscription ${SUB}`, /Name exactly one identity/],
    [`create sc-x in Payments subscription ${SUB} app ${APP} identity ${APP}`, /Name exactly one identity/],
    [`create sc-x in Payments subscription ${SUB} new identity`, /Say `new app`/],
    [`create sc-x in Payments subscription ${SUB} app ${APP} for`, /Name the pipelines after `for`/],
    [`create sc-x in Payments subscription ${SUB} app ${APP} role`, /`role` needs a value/],
  ])('%s → a usage answer', (text, message) => {
    const parsed = parse(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error.message).toMatch(message);
  });

  it('echoes the command so that it parses back to the same arguments (Try again, Plan again)', () => {
    const parsed = parse(`create "sc prod" in "Data Science" subscription ${SUB} resource-group rg-ops new app role Reader for a, b c`);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const line = createLine(parsed.value);
    expect(line).toBe(`create "sc prod" in "Data Science" subscription ${SUB} resource-group rg-ops new app role Reader for a, b c`);
    expect(parse(line)).toEqual(parsed);
  });
});
