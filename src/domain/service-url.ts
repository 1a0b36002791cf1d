/**
 * Which Bot Connector endpoints (`activity.serviceUrl`) the bot may send replies to. The bot presents its own
 * bearer token to that URL, and the Bot Framework SDK trusts any serviceUrl a valid token names; so a host
 * allow-list is the one thing that keeps a token (or a reply) from going to a host we never meant.
 *
 * Pattern grammar (case-insensitive):
 *   host            exact host, default port of the scheme only (443 for https, 80 for http)
 *   host:8443       exact host, that port only
 *   host:*          exact host, any port (loopback stand-ins listen on random ports)
 *   *.example.com   any subdomain (one or more labels) of example.com, never example.com itself;
 *                   the wildcard is only ever the whole leading label, and needs at least two labels after it
 *   [::1]           an IPv6 literal, in brackets as in a URL
 */
import { err, ok, type Result } from './errors';

export interface HostPattern {
  /** Lower-case host, without the `*.` of a wildcard. */
  host: string;
  wildcard: boolean;
  /** undefined: the scheme's default port only; '*': any port; otherwise that port. */
  port?: number | '*';
}

export interface ServiceUrlPolicy {
  hosts: readonly HostPattern[];
  /** Plain http is acceptable only in local mode (loopback stand-ins); everywhere else https only. */
  allowHttp: boolean;
}

/** Teams' Bot Connector hosts: public cloud, GCC, GCC High, DoD (Microsoft's documented Teams service URLs). */
export const TEAMS_SERVICE_URL_HOSTS = [
  'smba.trafficmanager.net',
  '*.smba.trafficmanager.net',
  'smba.infra.gcc.teams.microsoft.com',
  'smba.infra.gov.teams.microsoft.us',
  'smba.infra.dod.teams.microsoft.us',
] as const;

/** Local mode: the Agents Playground and test stand-ins, on any port of the loopback interface. */
export const LOOPBACK_SERVICE_URL_HOSTS = ['127.0.0.1:*', 'localhost:*', '[::1]:*'] as const;

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/;

function parsePort(text: string | undefined): Result<HostPattern['port'], string> {
  if (text === undefined) return ok(undefined);
  if (text === '*') return ok('*');
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  return port >= 1 && port <= 65535 ? ok(port) : err(`bad port "${text}"`);
}

function validHost(host: string, wildcard: boolean): boolean {
  if (IPV6.test(host) || IPV4.test(host)) return !wildcard;
  const labels = host.split('.');
  // A wildcard needs a registrable-looking suffix: "*.com" would allow half the internet.
  if (wildcard && labels.length < 2) return false;
  return labels.every((label) => LABEL.test(label));
}

/** One pattern, or why it is not one (the message names the pattern, which is configuration, never a secret). */
export function parseHostPattern(raw: string): Result<HostPattern, string> {
  const text = raw.trim().toLowerCase();
  const match = /^(\*\.)?(\[[^\]]*\]|[^:/[\]]+)(?::([^:/]+))?$/.exec(text);
  if (!match) return err(`"${raw.trim()}" is not a host pattern (host, host:port, host:* or *.domain)`);
  const wildcard = match[1] !== undefined;
  const host = match[2] as string;
  if (!validHost(host, wildcard)) return err(`"${raw.trim()}" is not a valid host pattern`);
  const port = parsePort(match[3]);
  if (!port.ok) return err(`"${raw.trim()}": ${port.error}`);
  return ok(port.value === undefined ? { host, wildcard } : { host, wildcard, port: port.value });
}

/** A comma-separated list of patterns; every bad entry is reported. Blank entries are ignored. */
export function parseHostPatterns(list: string | readonly string[]): Result<HostPattern[], string[]> {
  const entries = (typeof list === 'string' ? list.split(',') : [...list]).map((e) => e.trim()).filter(Boolean);
  const patterns: HostPattern[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    const parsed = parseHostPattern(entry);
    if (parsed.ok) patterns.push(parsed.value);
    else problems.push(parsed.error);
  }
  if (problems.length > 0) return err(problems);
  if (patterns.length === 0) return err(['the list is empty']);
  return ok(patterns);
}

/** Build a policy from pattern strings that are known to be valid (constants, already-validated config). */
export function serviceUrlPolicy(patterns: readonly string[], options: { allowHttp: boolean }): ServiceUrlPolicy {
  const parsed = parseHostPatterns(patterns);
  if (!parsed.ok) throw new Error(`Invalid service URL host patterns: ${parsed.error.join('; ')}`);
  return Object.freeze({ hosts: Object.freeze(parsed.value), allowHttp: options.allowHttp });
}

function hostMatches(pattern: HostPattern, host: string): boolean {
  if (!pattern.wildcard) return host === pattern.host;
  // Label boundary: "*.b.com" matches "a.b.com", never "ab.com" or "b.com.evil.net".
  return host.endsWith(`.${pattern.host}`) && host.length > pattern.host.length + 1;
}

function portMatches(pattern: HostPattern, url: URL): boolean {
  if (pattern.port === '*') return true;
  // WHATWG URL leaves `port` empty when it is the scheme's default.
  const defaultPort = url.protocol === 'https:' ? 443 : 80;
  const port = url.port === '' ? defaultPort : Number(url.port);
  return port === (pattern.port ?? defaultPort);
}

/** True when replies may be sent to this serviceUrl under the policy. Anything unparsable is refused. */
export function isAllowedServiceUrl(serviceUrl: unknown, policy: ServiceUrlPolicy): boolean {
  if (typeof serviceUrl !== 'string' || serviceUrl.trim() === '') return false;
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:')) return false;
  // Credentials in the URL would be sent somewhere by the HTTP client: never a connector's shape.
  if (url.username !== '' || url.password !== '') return false;
  const host = url.hostname.toLowerCase();
  return policy.hosts.some((pattern) => hostMatches(pattern, host) && portMatches(pattern, url));
}

/** The host (and port) of a serviceUrl for a log line; never the path or query. */
export function serviceUrlHostForLog(serviceUrl: unknown): string {
  if (typeof serviceUrl !== 'string') return `(${typeof serviceUrl})`;
  try {
    return new URL(serviceUrl).host;
  } catch {
    return '(unparsable)';
  }
}
