import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/commands';
import { echo, tokenize } from '../../src/commands';
import { looksLikeSecret, REDACTED, redactSecrets } from '../../src/commands/secret-guard';
import { entropy } from '../../src/commands/secret-patterns';
import { StoreAuditLog } from '../../src/audit/store-audit-log';
import { DENY_ALL_POLICY, type PolicyConfig } from '../../src/domain/policy';
import { EmbeddedStore } from '../../src/store/embedded-store';
import { mutatingContext, run } from './commands-mutating-fixture';

/**
 * The secret guard against what people really paste: generated tokens of every common format are caught, and
 * never come back in a reply, a log line or the audit trail (where the command line is stored masked). Ordinary
 * connection names, project ids (GUIDs) and key vault references are not flagged.
 */
const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = `${B62}+/`;
const B64URL = `${B62}-_`;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const ENTRA = `${B62}_.~-`;
const chars = (alphabet: string, min: number, max = min) =>
  fc.array(fc.integer({ min: 0, max: alphabet.length - 1 }), { minLength: min, maxLength: max }).map((ix) => ix.map((i) => alphabet[i]).join(''));
/** Random strings that are not degenerate ("aaaa…" is no token, and the shrinker would walk there). */
const random = (alphabet: string, min: number, max = min) => chars(alphabet, min, max).filter((s) => {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  return Math.max(...counts.values()) <= 3 + (2 * s.length) / alphabet.length;
});

/** `secret` is what must never be repeated; `pasted` is how it arrives (a connection string carries its key inside). */
const formats: Record<string, fc.Arbitrary<{ secret: string; pasted: string }>> = {
  'Azure DevOps PAT (legacy, 52 base32)': random(BASE32, 52).map((s) => ({ secret: s, pasted: s })),
  'Azure DevOps PAT (84 characters)': fc.tuple(random(B62, 76), random(B62, 4)).map(([a, b]) => `${a}AZDO${b}`).map((s) => ({ secret: s, pasted: s })),
  'GitHub token': fc.tuple(fc.constantFrom('ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'), random(B62, 36)).map(([p, s]) => `${p}${s}`).map((s) => ({ secret: s, pasted: s })),
  'GitHub fine-grained PAT': fc.tuple(random(B62, 22), random(B62, 59)).map(([a, b]) => `github_pat_${a}_${b}`).map((s) => ({ secret: s, pasted: s })),
  JWT: fc.tuple(random(B64URL, 16, 40), random(B64URL, 20, 120), random(B64URL, 43)).map(([h, p, s]) => `eyJ${h}.eyJ${p}.${s}`).map((s) => ({ secret: s, pasted: s })),
  'storage account key': random(B64, 86).map((s) => `${s}==`).map((s) => ({ secret: s, pasted: s })),
  'storage connection string': random(B64, 86).map((k) => ({ secret: k, pasted: `DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=${k}==;EndpointSuffix=core.windows.net` })),
  'SAS token': random(B64URL, 30, 44).map((k) => ({ secret: k, pasted: `https://contoso.blob.core.windows.net/c?sv=2022-11-02&ss=b&sp=r&sig=${k}%3D` })),
  'Service Bus connection string': random(B64, 43).map((k) => ({ secret: k, pasted: `Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=${k}=` })),
  'Entra client secret (Q~)': fc.tuple(random(B62, 3), fc.integer({ min: 0, max: 9 }), random(ENTRA, 34)).map(([a, d, b]) => `${a}${d}Q~${b}`).map((s) => ({ secret: s, pasted: s })),
  'Entra client secret (older, with ~)': random(ENTRA, 39).map((s) => `${s.slice(0, 20)}~${s.slice(20)}`).map((s) => ({ secret: s, pasted: s })),
  'PEM private key': fc.array(random(B64, 64), { minLength: 2, maxLength: 4 }).map((lines) => ({
    secret: lines[0] as string, pasted: `-----BEGIN PRIVATE KEY----- ${lines.join(' ')} -----END PRIVATE KEY-----`,
  })),
  '40-hex token': random('0123456789abcdef', 40).map((s) => ({ secret: s, pasted: s })),
  'password <value>': random(`${B62}!#$%`, 10, 16).map((s) => ({ secret: s, pasted: `password ${s}` })),
  'secret <value>': random(`${B62}!#$%`, 10, 16).map((s) => ({ secret: s, pasted: `secret ${s}` })),
  // "High entropy" is the promise: 4.2 bits per character and more (camel-case names stay near 4.0).
  'long high-entropy word': random(`${B62}+/=`, 32, 48).filter((s) => entropy(s) >= 4.2).map((s) => ({ secret: s, pasted: s })),
};

const EVE = '00000000-0000-4000-8000-0000000000e4';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const policy: PolicyConfig = { ...DENY_ALL_POLICY, requesters: { users: [], groups: [] }, conversations: ['19:changes@thread.tacv2'], tenants: [TENANT] };

/** A turn from someone who may not request changes: the refusal is audited with the command line. */
function strangerTurn() {
  const audit = new StoreAuditLog(new EmbeddedStore());
  const overrides: Partial<CommandContext> = {
    user: { id: '29:eve', name: 'Eve', aadObjectId: EVE },
    conversation: { id: '19:changes@thread.tacv2', type: 'channel' },
    place: { conversationId: '19:changes@thread.tacv2', tenantId: TENANT }, policy, audit,
  };
  return { ...mutatingContext(overrides), audit };
}

const PLACES = [
  (s: string) => `rotate sc-prod ${s}`, (s: string) => `rotate ${s}`, (s: string) => `show ${s}`, (s: string) => `show "${s}"`,
  (s: string) => `list in ${s}`, (s: string) => s, (s: string) => `<p>delete sc-prod ${s}</p>`, (s: string) => `convert sc-prod-${s}`,
];

describe('the secret guard: formats people paste', () => {
  for (const [name, format] of Object.entries(formats)) {
    it(`catches a ${name} and never repeats it in a reply, a log line or the audit trail`, async () => {
      await fc.assert(fc.asyncProperty(format, fc.constantFrom(...PLACES), async ({ secret, pasted }, place) => {
        expect(looksLikeSecret(pasted)).toBe(true);
        expect(redactSecrets(pasted)).not.toContain(secret);
        const input = place(pasted);
        expect(echo(tokenize(input))).not.toContain(secret);
        const { ctx, lines } = mutatingContext();
        const own = await run(input, ctx);
        const stranger = strangerTurn();
        const refused = await run(input, stranger.ctx);
        const events = await stranger.audit.query();
        for (const output of [JSON.stringify(own), lines.join('\n'), JSON.stringify(refused), stranger.lines.join('\n'), JSON.stringify(events)]) {
          expect(output).not.toContain(secret);
        }
      }), { numRuns: 25 });
    });
  }

  it('stores a refused command line in the audit trail with the secret masked, the rest kept', async () => {
    const { ctx, audit } = strangerTurn();
    await run('rotate sc-prod abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv', ctx);
    const [event] = await audit.query();
    expect(event?.command).toBe(`rotate sc-prod ${REDACTED}`);
  });

  it('answers `rotate sc-x <legacy PAT>` with the secret warning, not "I can\'t find a connection called <PAT>"', async () => {
    const pat = 'k3jz7q2mxw4v5bnc6dr7fsg2ht3ju4kv5lw6mx7nz2pa3qb4rc5s';
    const { ctx, endpoints } = mutatingContext();
    const reply = await run(`rotate sc-x ${pat}`, ctx);
    expect(reply.text).toMatch(/^That looks like a secret value/);
    expect(endpoints.calls).toEqual([]);
  });
});

const NAME_WORDS = ['sc', 'prod', 'dev', 'test', 'azure', 'aks', 'westeurope', 'payments', 'platform', 'data', 'ml', 'github', 'docker',
  'registry', 'sub', '01', '2024', 'Zürich', 'Prod', 'Team', 'kv', 'sql', 'admin', 'connection', 'service', 'principal', 'oidc'];

describe('the secret guard: what is not a secret', () => {
  it.each([
    'sc-prod', 'sc prod — Zürich', 'ml workspace', 'github-contoso', 'sc-prod-westeurope-aks-cluster-01',
    'AzureRM-Subscription-Production-WestEurope', 'my_service_connection_name_2024', 'MyCompanyProdSubscription01', 'ContosoPaymentsProductionWestEurope01',
    'PlatformTeamKubernetesCluster2024', 'AzureDevOpsServiceConnectionForProd', '72f988bf-86f1-41af-91ab-2d7cd011db47',
    'rotate sc-prod from keyvault kv-prod/sql-admin-password expires 90d', 'rotate sc-prod from keyvault kv/secret expires 7d',
    'show sc-prod in 11111111-1111-4111-8111-111111111111', 'audit plan P-7KQ2M9XA last 20', 'help secret', 'list all type azurerm page 2',
    // Names in other scripts: every character distinct (high entropy), but no token format uses them.
    'PaymentsὩ㏽슃ᅛᔳ歁貋讫웩雘ա蝼㝰풦㠁軶쪄', 'Zahlungsplattform決済基盤チーム本番環境東日本リージョン',
  ])('does not flag %s', (text) => {
    expect(looksLikeSecret(text)).toBe(false);
    expect(redactSecrets(text)).toBe(text);
  });

  it('still catches a generated token glued to characters of another script', () => {
    const token = 'Xk9mQ2vR7tLp4ZsW8nYb3HcJ6fDg';
    expect(looksLikeSecret(`決済${token}チーム`)).toBe(true);
    expect(redactSecrets(`決済${token}`)).not.toContain(token);
  });

  it('does not flag names built from words, or GUIDs', () => {
    const name = fc.tuple(fc.array(fc.constantFrom(...NAME_WORDS), { minLength: 1, maxLength: 7 }), fc.constantFrom('-', '_', ' ', '.'))
      .map(([words, sep]) => words.join(sep));
    fc.assert(fc.property(fc.oneof(name, fc.uuid()), (text) => {
      expect(looksLikeSecret(text)).toBe(false);
    }), { numRuns: 500 });
  });
});
