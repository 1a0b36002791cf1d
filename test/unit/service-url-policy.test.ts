import { describe, expect, it } from 'vitest';
import {
  isAllowedServiceUrl, LOOPBACK_SERVICE_URL_HOSTS, parseHostPattern, parseHostPatterns, serviceUrlHostForLog,
  serviceUrlPolicy, TEAMS_SERVICE_URL_HOSTS,
} from '../../src/domain/service-url';

const teams = serviceUrlPolicy(TEAMS_SERVICE_URL_HOSTS, { allowHttp: false });
const local = serviceUrlPolicy(LOOPBACK_SERVICE_URL_HOSTS, { allowHttp: true });

describe('isAllowedServiceUrl with the Teams default', () => {
  it.each([
    'https://smba.trafficmanager.net/teams/',
    'https://smba.trafficmanager.net/emea/',
    'https://SMBA.TrafficManager.NET/amer/',
    'https://smba.trafficmanager.net:443/apac/',
    'https://emea.smba.trafficmanager.net/teams/',
    'https://smba.infra.gcc.teams.microsoft.com/teams',
    'https://smba.infra.gov.teams.microsoft.us/teams',
    'https://smba.infra.dod.teams.microsoft.us/teams',
  ])('allows %s', (url) => {
    expect(isAllowedServiceUrl(url, teams)).toBe(true);
  });

  it.each([
    ['plain http', 'http://smba.trafficmanager.net/teams/'],
    ['a suffix trick', 'https://smba.trafficmanager.net.evil.com/teams/'],
    ['a prefix trick', 'https://evilsmba.trafficmanager.net/teams/'],
    ['a look-alike parent', 'https://trafficmanager.net/teams/'],
    ['the host only in the path', 'https://evil.com/smba.trafficmanager.net/'],
    ['the host as user info', 'https://smba.trafficmanager.net@evil.com/'],
    ['user info on an allowed host', 'https://user:pass@smba.trafficmanager.net/teams/'],
    ['a trailing-dot host', 'https://smba.trafficmanager.net./teams/'],
    ['another port', 'https://smba.trafficmanager.net:8443/teams/'],
    ['another scheme', 'ftp://smba.trafficmanager.net/'],
    ['a javascript: URL', 'javascript:alert(1)//smba.trafficmanager.net'],
    ['a relative URL', '/teams/'],
    ['an empty string', ''],
    ['loopback', 'https://127.0.0.1/'],
    ['the Bot Framework web chat (not Teams)', 'https://webchat.botframework.com/'],
  ])('refuses %s', (_why, url) => {
    expect(isAllowedServiceUrl(url, teams)).toBe(false);
  });

  it.each([undefined, null, 42, {}, ['https://smba.trafficmanager.net/']])('refuses a serviceUrl that is not a string (%j)', (value) => {
    expect(isAllowedServiceUrl(value, teams)).toBe(false);
  });
});

describe('isAllowedServiceUrl in local mode', () => {
  it.each(['http://127.0.0.1:56150/', 'http://localhost:3978/', 'http://[::1]:9000/', 'https://LOCALHOST:1/'])('allows loopback %s on any port', (url) => {
    expect(isAllowedServiceUrl(url, local)).toBe(true);
  });

  it.each(['http://127.0.0.2:56150/', 'http://localhost.evil.com:3978/', 'https://smba.trafficmanager.net/teams/', 'http://0.0.0.0:80/', 'http://[::2]:1/'])('refuses %s', (url) => {
    expect(isAllowedServiceUrl(url, local)).toBe(false);
  });
});

describe('wildcards and ports', () => {
  const policy = (patterns: string[]) => serviceUrlPolicy(patterns, { allowHttp: false });

  it('a wildcard matches one or more leading labels at a label boundary, never the parent itself', () => {
    const p = policy(['*.botframework.com']);
    expect(isAllowedServiceUrl('https://europe.webchat.botframework.com/', p)).toBe(true);
    expect(isAllowedServiceUrl('https://webchat.botframework.com/', p)).toBe(true);
    expect(isAllowedServiceUrl('https://botframework.com/', p)).toBe(false);
    expect(isAllowedServiceUrl('https://evilbotframework.com/', p)).toBe(false);
    expect(isAllowedServiceUrl('https://webchat.botframework.com.evil.net/', p)).toBe(false);
  });

  it('an explicit port allows that port only; 443 written out equals the https default', () => {
    const p = policy(['connector.example.com:8443', 'other.example.com:443']);
    expect(isAllowedServiceUrl('https://connector.example.com:8443/', p)).toBe(true);
    expect(isAllowedServiceUrl('https://connector.example.com/', p)).toBe(false);
    expect(isAllowedServiceUrl('https://other.example.com/', p)).toBe(true);
    expect(isAllowedServiceUrl('https://other.example.com:444/', p)).toBe(false);
  });

  it('http is refused outside local mode even for a listed loopback host', () => {
    const p = policy(['127.0.0.1:*']);
    expect(isAllowedServiceUrl('http://127.0.0.1:3978/', p)).toBe(false);
    expect(isAllowedServiceUrl('http://127.0.0.1:3978/', serviceUrlPolicy(['127.0.0.1:*'], { allowHttp: true }))).toBe(true);
  });
});

describe('parseHostPattern', () => {
  it.each([
    ['smba.trafficmanager.net', { host: 'smba.trafficmanager.net', wildcard: false }],
    [' *.Botframework.COM ', { host: 'botframework.com', wildcard: true }],
    ['127.0.0.1:*', { host: '127.0.0.1', wildcard: false, port: '*' }],
    ['[::1]:3978', { host: '[::1]', wildcard: false, port: 3978 }],
  ])('reads %j', (raw, expected) => {
    expect(parseHostPattern(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    '*', '*.com', 'a.*.com', '*.*.example.com', 'evil*.example.com', 'https://smba.trafficmanager.net',
    'smba.trafficmanager.net/teams', 'host:0', 'host:70000', 'host:abc', '-bad.example.com', 'bad_.example.com',
    '*.127.0.0.1', '*.[::1]', 'a..b', '',
  ])('refuses %j', (raw) => {
    expect(parseHostPattern(raw).ok).toBe(false);
  });

  it('a list reports every bad entry and refuses an empty list', () => {
    const parsed = parseHostPatterns('smba.trafficmanager.net, *.com, ,https://x');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toHaveLength(2);
    expect(parseHostPatterns(' , ')).toEqual({ ok: false, error: ['the list is empty'] });
    expect(parseHostPatterns('a.example.com,b.example.com:*')).toMatchObject({ ok: true, value: [{ host: 'a.example.com' }, { port: '*' }] });
  });

  it('serviceUrlPolicy throws on a bad constant instead of allowing everything', () => {
    expect(() => serviceUrlPolicy(['*'], { allowHttp: false })).toThrow(/Invalid service URL host patterns/);
  });
});

describe('serviceUrlHostForLog', () => {
  it('keeps the host and port only', () => {
    expect(serviceUrlHostForLog('https://evil.example.com:8443/path?token=abc')).toBe('evil.example.com:8443');
    expect(serviceUrlHostForLog('not a url')).toBe('(unparsable)');
    expect(serviceUrlHostForLog(undefined)).toBe('(undefined)');
  });
});
