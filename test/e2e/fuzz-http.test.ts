import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type StartedApp as RunningApp } from '../support/test-app';
import { createLogger } from '../../src/logging';
import { ConnectorStandIn } from '@scbot/stand-ins/botframework';
import { personalMessage, postActivity } from '../support/activities';
import { demoEndpoints, NOW } from '../unit/commands-fixture';

/**
 * Property-based fuzzing of the HTTP edge: arbitrary bodies POSTed to /api/messages of the real server (local
 * mode: no app id, replies to a connector stand-in). Whatever arrives, the server answers quickly with a
 * short body and no stack, keeps serving (a valid `help` still works afterwards), and logs no stack.
 */
let app: RunningApp;
let connector: ConnectorStandIn;
const logLines: string[] = [];
const STACK = /\n\s+at |\.ts:\d|node_modules/;
const BODY_MAX = 400;
/** What the SDK or restify might print behind the logger's back. */
const printed: string[] = [];

beforeAll(async () => {
  for (const method of ['error', 'warn', 'log'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => { printed.push(args.map(String).join(' ')); });
  }
  const destination = new Writable({ write(chunk, _enc, done) { logLines.push(String(chunk)); done(); } });
  connector = new ConnectorStandIn();
  await connector.start();
  app = await startTestApp({ devops: demoEndpoints(), logger: createLogger({ level: 'debug', destination }), clock: { now: () => NOW } });
});

afterAll(async () => {
  vi.restoreAllMocks();
  await app?.close();
  await connector?.close();
});

async function post(body: string, contentType: string | undefined): Promise<{ status: number; text: string }> {
  const response = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: contentType ? { 'content-type': contentType } : {}, body });
  return { status: response.status, text: await response.text() };
}

/**
 * What every answer must look like: 2xx for something the bot could take, else 4xx, short, JSON, no stack.
 * The one 5xx allowed is the Bot Framework's protocol answer to an invoke the bot has no handler for (501,
 * empty body): Teams expects exactly that, and it says nothing about the server.
 */
function expectCalmAnswer({ status, text }: { status: number; text: string }, invoke = false): void {
  expect(status, text).toBeGreaterThanOrEqual(200);
  if (invoke && status === 501) expect(text).toBe('');
  else expect(status, text).toBeLessThan(500);
  expect(text.length).toBeLessThanOrEqual(BODY_MAX);
  expect(text).not.toMatch(STACK);
  // An invoke's answer is the handler's own status, body optional (the protocol, not an error page).
  if (status >= 400 && !(invoke && text === '')) expect(() => JSON.parse(text) as unknown).not.toThrow();
}

const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));
const oddText = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.constantFrom('help', 'list failed', '<at>scbot</at> show sc-prod', '&#99999999999;'),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'show '.padEnd(n, 'x')),
  // Half a megabyte of unclosed tags: quadratic in the tokenizer before the fix (the event loop froze for minutes).
  fc.constantFrom('<'.repeat(500_000), '<at x'.repeat(100_000)));
const TYPES = ['message', 'invoke', 'conversationUpdate', 'messageReaction', 'typing', 'event', 'installationUpdate', 'endOfConversation', 'MESSAGE', '', 'trace'];

/** A Teams-shaped activity with some fields dropped, retyped or replaced by arbitrary JSON. */
const oddActivity = fc.record({
  type: fc.oneof(fc.constantFrom(...TYPES), fc.string({ maxLength: 10 })),
  text: oddText,
  // Mostly whole activities (so the turn really runs), sometimes with one or two fields missing.
  drop: fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 2, arbitrary: fc.subarray(['conversation', 'from', 'recipient', 'serviceUrl', 'channelId', 'id', 'text', 'timestamp'], { maxLength: 2 }) }),
  replace: fc.dictionary(fc.constantFrom('conversation', 'from', 'recipient', 'entities', 'value', 'channelData', 'attachments', 'name', 'timestamp', 'membersAdded', 'locale', 'replyToId'), anyValue, { maxKeys: 3 }),
}).map(({ type, text, drop, replace }) => {
  const activity: Record<string, unknown> = { ...personalMessage(text, { serviceUrl: connector.serviceUrl }), type, ...replace };
  for (const key of drop) delete activity[key];
  return { body: JSON.stringify(activity), invoke: type === 'invoke' };
});

const garbage = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ''),
  fc.constantFrom('', '{', 'null', '[]', '{"type":1}', '{"type":"message"}', '{"type":"message","serviceUrl":"http://169.254.169.254/"}', '\u0000', '{"__proto__":{"type":"message"}}'),
);
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', undefined);

describe('fuzz: POST /api/messages', () => {
  it('garbage bodies get a short 4xx JSON answer, never a stack', async () => {
    await fc.assert(fc.asyncProperty(garbage, contentType, async (body, type) => {
      const answer = await post(body, type);
      expectCalmAnswer(answer);
    }), { numRuns: 100 });
  });

  it('odd activities get a calm answer', async () => {
    await fc.assert(fc.asyncProperty(oddActivity, async ({ body, invoke }) => {
      expectCalmAnswer(await post(body, 'application/json'), invoke);
    }), { numRuns: 100 });
  });

  it('a body over the size limit is refused with 413', async () => {
    const answer = await post(JSON.stringify(personalMessage('x'.repeat(2 * 1024 * 1024), { serviceUrl: connector.serviceUrl })), 'application/json');
    expect(answer.status).toBe(413);
    expect(answer.text).not.toMatch(STACK);
  });

  it('still answers `help` afterwards, and logged no stack', async () => {
    const conversationId = 'fuzz-after';
    const response = await postActivity(app.url, personalMessage('help', { serviceUrl: connector.serviceUrl, conversationId }));
    expect(response.status).toBe(200);
    const [reply] = await connector.nextReplies(conversationId, 1);
    expect(String(reply?.body.text ?? reply?.body.summary)).toContain('Commands:');
    expect(logLines.filter((line) => STACK.test(line) || line.includes('"stack"'))).toEqual([]);
    expect(printed.filter((line) => STACK.test(line))).toEqual([]);
    // Every reply the fuzzed turns produced was short and clear too.
    expect(connector.calls.length).toBeGreaterThan(1);
    for (const call of connector.calls) {
      expect(String(call.body.text ?? call.body.summary ?? '').length).toBeLessThanOrEqual(600);
      expect(JSON.stringify(call.body)).not.toMatch(STACK);
    }
  });
});
