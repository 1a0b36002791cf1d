import { describe, expect, it } from 'vitest';
import { daysUntilIssuerRetirement, issuerMoveIneligibility, type FederatedIdentity } from '../../src/domain/issuer';
import { isRefusal } from '../../src/domain/planning';
import { NEW_SUBJECT_PLACEHOLDER, planMigrateIssuer, planMigrateIssuerOne } from '../../src/operations/migrate-issuer/migrate-issuer.planner';
import type { Plan } from '../../src/domain/plan';
import { buildPlanView } from '../../src/cards/plan-preview-view';
import { PROJECT, spnEndpoint, TENANT } from './executor-fixture';
import { OLD_ISSUER, ORG_ID, wifEndpoint } from './migrate-issuer-fixture';
import type { IssuerItem } from '../../src/operations/migrate-issuer/migrate-issuer.payload';

const NOW = new Date('2026-12-01T22:00:00.000Z');
const app = (appId: string, signInAudience = 'AzureADMyOrg'): FederatedIdentity => ({ kind: 'app', appId, objectId: 'obj', signInAudience });
const target = (endpoint: ReturnType<typeof wifEndpoint>, identity: FederatedIdentity) => ({ endpoint, project: { ...PROJECT }, history: [], identity });
const clientOf = (e: ReturnType<typeof wifEndpoint>) => String(e.authorization?.parameters?.serviceprincipalid);

describe('issuer move eligibility', () => {
  const unknown: FederatedIdentity = { kind: 'unknown', clientId: 'c' };
  it.each([
    ['a secret-based connection', spnEndpoint('sc-spn'), unknown, /does not use workload identity federation \(scheme ServicePrincipal\)/],
    ['one already on Entra', wifEndpoint('sc-entra', { issuer: `https://login.microsoftonline.com/${TENANT}/v2.0` }), unknown, /already on the Entra issuer/],
    ['one on an unknown issuer', wifEndpoint('sc-odd', { issuer: 'https://token.example.com/x' }), unknown, /is not the Azure DevOps one/],
    ['Azure Government', wifEndpoint('sc-gov', { environment: 'AzureUSGovernment' }), unknown, /Azure Government connections keep the Azure DevOps issuer/],
    ['Azure China', wifEndpoint('sc-cn', { environment: 'AzureChinaCloud' }), unknown, /Azure China/],
    ['a multitenant app', wifEndpoint('sc-multi'), app('a', 'AzureADMultipleOrgs'), /multitenant app \(AzureADMultipleOrgs\)/],
    // Graph refused the read: the app may be multitenant, so it is not moved as if it were not (default deny).
    ['an app Graph would not let it read', wifEndpoint('sc-unread'), { kind: 'unreadable-app', clientId: 'c' } as FederatedIdentity, /won't let me read its app \(grant me Application\.ReadWrite\.OwnedBy\)/],
    ['a failed connection', wifEndpoint('sc-failed', { state: 'Failed' }), unknown, /not ready \(Failed\)/],
  ])('refuses %s, saying why', (_what, endpoint, identity, reason) => {
    expect(issuerMoveIneligibility(endpoint, identity)).toMatch(reason);
  });

  it('accepts both generations of the Azure DevOps issuer, with an app, a managed identity or an identity it cannot see', () => {
    expect(issuerMoveIneligibility(wifEndpoint('a'), app('a'))).toBeUndefined();
    expect(issuerMoveIneligibility(wifEndpoint('b', { issuer: `https://app.vstoken.visualstudio.com/${ORG_ID}` }), unknown)).toBeUndefined();
    expect(issuerMoveIneligibility(wifEndpoint('c'), { kind: 'managed-identity', clientId: 'c', resourceId: '/x', name: 'id' })).toBeUndefined();
  });

  it('counts the days to 2027-07-01, never below zero', () => {
    expect(daysUntilIssuerRetirement(new Date('2027-06-30T00:00:00Z'))).toBe(1);
    expect(daysUntilIssuerRetirement(NOW)).toBe(212);
    expect(daysUntilIssuerRetirement(new Date('2027-08-01T00:00:00Z'))).toBe(0);
  });
});

describe('planMigrateIssuer', () => {
  it('one connection on an app: issuer before/after, the credential it would create and every call', () => {
    const e = wifEndpoint('sc-legacy');
    const plan = planMigrateIssuerOne({ id: 'p1', command: 'migrate issuer sc-legacy', now: NOW, target: target(e, app(clientOf(e))) }) as Plan<IssuerItem>;
    expect(isRefusal(plan)).toBe(false);
    const [item] = plan.items;
    expect(item?.issuer).toEqual({
      oldSubject: 'sc://contoso/Alpha/sc-legacy', oldIssuer: OLD_ISSUER, newIssuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      audience: 'api://AzureADTokenExchange', credentialName: `scbot-entra-${e.id}`, identity: { kind: 'app', appId: clientOf(e) },
    });
    expect(item?.after?.authorization?.parameters).toMatchObject({
      workloadIdentityFederationIssuer: `https://login.microsoftonline.com/${TENANT}/v2.0`, workloadIdentityFederationSubject: NEW_SUBJECT_PLACEHOLDER, workloadIdentityFederationIssuerType: 'EntraID',
    });
    expect(item?.calls.map((c) => `${c.target}${c.condition ? ' (if)' : ''}`)).toEqual([
      'devops POST _apis/public/serviceendpoint/externalfederatedcredentialmigration?api-version=7.2-preview.1',
      `graph POST applications(appId='${clientOf(e)}')/federatedIdentityCredentials (if)`,
      'devops POST _apis/public/serviceendpoint/externalfederatedcredentialmigration?api-version=7.2-preview.1 (if)',
      `devops GET Alpha/_apis/serviceendpoint/endpoints/${e.id}`,
    ]);
    expect(item?.calls[1]?.purpose).toContain(`'scbot-entra-${e.id}'`);
    expect(item?.warnings.map((w) => w.code)).toEqual(['NEW_CREDENTIAL', 'OLD_CREDENTIAL_KEPT']);
    expect(plan.warnings[0]?.text).toContain('212 days');
    const view = buildPlanView(plan);
    expect(view.title).toBe('Plan: Move to the Entra issuer: sc-legacy');
    expect(view.items[0]?.changes).toContain(`\`${OLD_ISSUER}\` → \`https://login.microsoftonline.com/${TENANT}/v2.0\``);
    // Exactly what would be created, whole on the card: name, issuer, audience.
    expect(view.items[0]?.steps[1]?.text).toBe(`2. If Azure DevOps cannot add the new federated credential itself, add 'scbot-entra-${e.id}' (issuer https://login.microsoftonline.com/${TENANT}/v2.0, audience api://AzureADTokenExchange, subject exactly as Azure DevOps names it) to app registration \`${clientOf(e)}\`, then ask again.`);
    // The steps say it: the warning is not repeated below them.
    expect(view.items[0]?.warnings.map((w) => w.text).join('\n')).not.toContain('If Azure DevOps cannot');
    expect(view.calls.map((c) => c.text).join('\n')).toContain(`graph POST applications(appId='${clientOf(e)}')/federatedIdentityCredentials — only if Azure DevOps cannot create`);
  });

  it('a managed identity gets an ARM PUT; an identity the bot cannot see gets no write and a warning', () => {
    const mi = wifEndpoint('sc-mi');
    const hidden = wifEndpoint('sc-hidden');
    const resourceId = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-deploy';
    const plan = planMigrateIssuer({ id: 'p2', command: 'migrate issuer all', now: NOW, targets: [
      target(mi, { kind: 'managed-identity', clientId: clientOf(mi), resourceId, name: 'id-deploy' }), target(hidden, { kind: 'unknown', clientId: clientOf(hidden) }),
    ] });
    expect(plan.items[0]?.calls[1]?.target).toBe(`arm PUT ${resourceId}/federatedIdentityCredentials/scbot-entra-${mi.id}?api-version=2023-01-31`);
    expect(plan.items[0]?.warnings[1]?.text).toContain('managed identity id-deploy');
    expect(plan.items[0]?.warnings.map((w) => w.code)).toEqual(['NEW_CREDENTIAL', 'OLD_CREDENTIAL_KEPT']);
    expect(plan.items[1]?.calls.map((c) => c.method)).toEqual(['POST', 'GET']);
    expect(plan.items[1]?.warnings.map((w) => w.code)).toEqual(['OLD_CREDENTIAL_KEPT', 'IDENTITY_NOT_VISIBLE']);
  });

  it('bulk: eligible ones planned, every other one listed with its reason; a single ineligible one is refused', () => {
    const ok = wifEndpoint('sc-ok');
    const entra = wifEndpoint('sc-entra', { issuer: `https://login.microsoftonline.com/${TENANT}/v2.0` });
    const multi = wifEndpoint('sc-multi');
    const plan = planMigrateIssuer({ id: 'p3', command: 'migrate issuer all', now: NOW, targets: [
      target(ok, app(clientOf(ok))), target(entra, app(clientOf(entra))), target(multi, app(clientOf(multi), 'AzureADMultipleOrgs')),
    ] });
    expect(plan.items.map((i) => i.name)).toEqual(['sc-ok']);
    expect(plan.skipped.map((s) => [s.name, s.reason])).toEqual([
      ['sc-entra', 'already on the Entra issuer.'], ['sc-multi', 'multitenant app (AzureADMultipleOrgs): multitenant apps keep the Azure DevOps issuer.'],
    ]);
    const refused = planMigrateIssuerOne({ id: 'p4', command: 'migrate issuer sc-entra', now: NOW, target: target(entra, app(clientOf(entra))) });
    expect(refused).toMatchObject({ kind: 'refused', reason: 'cannot be moved to the Entra issuer: already on the Entra issuer.' });
  });

  it('the plan never holds a secret', () => {
    const e = wifEndpoint('sc-legacy');
    const plan = planMigrateIssuerOne({ id: 'p5', command: 'migrate issuer sc-legacy', now: NOW, target: target(e, app(clientOf(e))) });
    expect(JSON.stringify(plan)).not.toMatch(/secret[^a-z]/i);
  });
});
