import { describe, expect, it } from 'vitest';
import type { CardJson } from '../../src/commands';
import { buildPlanView, PLAN_DETAIL_MAX, planSummaryText } from '../../src/cards/plan-preview-view';
import { renderCard } from '../../src/cards/render';
import type { Plan } from '../../src/domain/plan';
import { planConvert } from '../../src/operations/convert/convert.planner';
import { bulkConvert, bulkDelete, convertAllPlan, deleteDeepEverywhere, LONG, rotatePlan, UNICODE, worstCaseDelete } from './plan-card-fixture';
import { expectNoSecret, NOW, target } from './planners-fixture';
import { parseErrors, TEAMS_LIMIT_BYTES } from '../support/adaptive-cards';
import { midWordCutsIn, rawCodesIn, visibleTexts } from '../support/card-checks';



function render(plan: Plan): { card: CardJson; json: string } {
  const card = renderCard('plan-preview', buildPlanView(plan));
  const json = JSON.stringify(card);
  expect(json).not.toContain('${');
  expect(parseErrors(card)).toEqual([]);
  expect(Buffer.byteLength(json, 'utf8')).toBeLessThan(TEAMS_LIMIT_BYTES);
  expectNoSecret(json);
  return { card, json };
}

const allSkipped = (): Plan => planConvert({ id: 'P-NONE', command: 'convert all in Platform', now: NOW, targets: [target('sc-wif-entra'), target('sc-cert-platform')] });
const nothing = (): Plan => planConvert({ id: 'P-EMPTY', command: 'convert all in Nowhere', now: NOW, targets: [] });

const cases: [string, () => Plan][] = [
  ['rotate one (typical)', () => rotatePlan()],
  ['convert all over the demo seed', convertAllPlan],
  ['delete everywhere + deep', deleteDeepEverywhere],
  ['everything skipped', allSkipped],
  ['no connection at all', nothing],
  ['500 conversions', () => bulkConvert(500)],
  ['500 deep deletes with long names', () => bulkDelete(500, (i) => `${LONG}${i}`)],
  ['500 conversions with unicode names', () => bulkConvert(500, (i) => `${UNICODE} ${i}`)],
  ['500 worst-case deletes (every warning, long unicode names)', () => worstCaseDelete(500)],
  ['1 worst-case delete', () => worstCaseDelete(1)],
  // The plan holds every item (stored in parts); the card shows a bounded selection, well under Teams' 100 KB.
  ['2,000 conversions', () => bulkConvert(2_000)],
  ['2,000 worst-case deletes', () => worstCaseDelete(2_000)],
];

describe('plan preview card', () => {
  for (const [label, make] of cases) {
    it(`${label}: expands, parses with adaptivecards, fits Teams, carries no secret`, () => {
      render(make());
    });
  }

  it('shows one rotation readably: the steps up front; what changes, the secret source and the calls behind Show details', () => {
    const { card, json } = render(rotatePlan());
    const seen = visibleTexts(card);
    expect(seen).toContain('Plan: Rotate the secret of sc-prod');
    expect(seen).toContain('You asked: `rotate sc-prod`');
    expect(seen).toContain('What will happen');
    expect(seen.filter((t) => /^\d\. /.test(t))).toEqual([
      expect.stringMatching(/^1\. Ask Microsoft Entra for a new secret on app `[0-9a-f-]+`, valid until 2027-05-21\.$/),
      '2. Check that the new secret signs in.',
      '3. Switch sc-prod to Manual, so Azure DevOps stops managing the app registration: its secrets, role assignments and clean-up become yours.',
      expect.stringMatching(/^4\. Save the new secret in sc-prod and check the connection is ready\./),
    ]);
    expect(seen).toContain('1 connection to change');
    expect(seen).toContain('Plan P-ROTATE1 — awaiting approval (approval workflow not yet enabled)');
    // The plan id once; the diff tool's lines only behind Show details.
    expect(seen.filter((t) => t.includes('P-ROTATE1'))).toHaveLength(1);
    expect(seen.join('\n')).not.toMatch(/data\.creationMode|Calls: |REST calls|⚠️ creationMode|⚠️ The new secret expires/);
    expect(json).toContain('data.creationMode: `Automatic` → `Manual`');
    expect(json).toMatch(/new secret from Microsoft Graph addPassword on app [0-9a-f-]+, expires 2027-05-21/);
    expect(json).toContain('Calls: POST → POST → PUT → (GET) → (POST)');
    expect(json).toContain('REST calls this plan makes: 4, and up to 2 more only if needed');
    expect(json).not.toContain('🛑');
    expect(rawCodesIn(card)).toEqual([]);
    expect(midWordCutsIn(card)).toEqual([]);
  });

  it('a rotation of a connection convert would accept suggests Convert instead, pinned to the connection', () => {
    const plan = rotatePlan();
    const { card } = render(plan);
    expect(visibleTexts(card).join('\n')).toContain('sc-prod can be converted to workload identity federation instead');
    const convert = (card.actions as Array<{ title: string; data?: { command: string; connectionId: string } }>).find((a) => a.title === 'Convert instead');
    expect(convert?.data).toMatchObject({ command: 'convert sc-prod in Payments', connectionId: plan.items[0]!.endpointId });
    // One that cannot be converted (Manual) gets no such line.
    expect(JSON.stringify(render(rotatePlan('sc-staging')).card)).not.toContain('Convert instead');
  });

  it('puts DEEP_DELETE and DELETE_EVERYWHERE at the very top, in an attention container (default text colour: readable)', () => {
    const { card } = render(deleteDeepEverywhere());
    const top = (card.body as { style?: string; items?: { text: string; color: string }[] }[])[0]!;
    expect(top.style).toBe('attention');
    expect(top.items!.map((i) => [i.text.slice(0, 20), i.color])).toEqual([['🛑 Deep delete asked', undefined], ['🛑 Will be deleted e', undefined]]);
  });

  it('counts loud warnings across a bulk plan once', () => {
    expect(buildPlanView(bulkDelete(30, (i) => `c${i}`)).loud).toEqual([{ text: expect.stringMatching(/\(30 connections\)$/) }]);
  });

  it('groups identical REST calls of a bulk plan and counts them', () => {
    const view = buildPlanView(convertAllPlan());
    // Call lines carry outside text (project names in paths), so `_` at a word edge is escaped like any markup.
    expect(view.calls.map((c) => c.text)).toEqual([
      '2 × devops GET {project}/\\_apis/serviceendpoint/endpoints?endpointIds=… — Re-read the connections right before writing (up to 50 per call); one that changed since this preview is skipped.',
      '3 × devops PUT \\_apis/serviceendpoint/endpoints/{id}?operation=ConvertAuthenticationScheme — Convert to workload identity federation (Azure DevOps adds the federated credential to its app).',
      '3 × devops GET {project}/\\_apis/serviceendpoint/endpoints/{id} — only if the PUT answer does not already show it ready: Confirm the connection is ready.',
      '3 × devops PUT \\_apis/serviceendpoint/endpoints/{id}?operation=ConvertAuthenticationScheme — only if the connection is not ready after the conversion: Convert back to ServicePrincipal while the revert window allows, and report it.',
    ]);
    expect(view.totals).toBe(`3 connections to change · ${convertAllPlan().skipped.length} skipped`);
    expect(view.callsTitle).toBe('REST calls this plan makes: 5, and up to 6 more only if needed');
  });

  it('folds a 500-connection plan: a line per connection, the field diffs behind Show details, skips grouped by reason', () => {
    const view = buildPlanView(bulkConvert(500));
    expect(view.items.length).toBeGreaterThan(0);
    expect(view.items.length).toBeLessThanOrEqual(PLAN_DETAIL_MAX);
    expect([view.itemsVisible, view.compactVisible, view.hasDetails]).toEqual([false, true, true]);
    expect(view.detailsTargets).toEqual(['changes', 'calls']);
    expect(view.compact.split('\n\n')[0]).toMatch(/^sc-000 · /);
    expect(view.hasCompact).toBe(true);
    // A few words per warning, never its code; a fact (revertible for 7 days) is no warning.
    expect(view.compact.split('\n\n')[0]).toMatch(/^sc-\d{3} · Payments · [0-9a-f-]{36} · (2 changes · ⚠️ used recently|1 change)$/);
    expect(view.moreText).toMatch(/^… and \d+ more connections, all in this plan\.$/);
    expect(view.bulkSteps.map((s) => s.text)).toEqual([
      '1. Switch each connection to workload identity federation: Azure DevOps adds a federated credential to its app registration, and pipelines stop using the secret.',
      '2. Check it is ready; if it is not, switch it straight back to the secret.',
    ]);
    expect(view.skipped.split('\n\n').length).toBeLessThan(10);
    expect(view.skipped).toMatch(/^• \*\*\d+ skipped\*\* — /);
  });

  it('says plainly when there is nothing to do, and why', () => {
    const skipped = render(allSkipped()).json;
    expect(skipped).toContain('Nothing to change: every connection was skipped (reasons below).');
    expect(skipped).toMatch(/skipped\*\* — created manually[^"]*sc-cert-platform \(Platform\)/);
    expect(skipped).toContain('Plan P-NONE — nothing to approve');
    expect(render(nothing()).json).toContain('Nothing to change: no connection matches.');
  });

  it('keeps names verbatim, even ones that look like template expressions', () => {
    const json = JSON.stringify(renderCard('plan-preview', buildPlanView(bulkConvert(3, (i) => `odd \${name} ${i}`))));
    expect(json).toContain('**odd ${name} 0**');
    expect(json).toContain('odd ${name} 1 (Payments)');
  });

  it('summarises the plan in one line', () => {
    expect(planSummaryText(rotatePlan())).toBe('Plan P-ROTATE1: rotate sc-prod, awaiting approval.');
    expect(planSummaryText(allSkipped())).toBe('Plan P-NONE: convert 0 connections (2 skipped), nothing to change.');
  });
});
