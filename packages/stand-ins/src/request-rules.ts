/**
 * Faults a test arms per request, shared by the stand-ins: rules that each fire once on the Nth matching request,
 * and the "lost answer" — the write committed, then the caller sees a dropped connection or a gateway error instead
 * of the answer: what a timeout, a reset or a 5xx after the service committed looks like to a client, and what a
 * client must never read as "nothing happened".
 */
import type { ServerResponse } from 'node:http';

export interface RequestMatch {
  method?: string;
  /** Tested against the URL path only (no query string). */
  path?: RegExp;
  /** 1-based: the fault fires on the Nth request that matches, once. Default 1. */
  nth?: number;
}

export interface LostAnswer {
  /** Answer this status (a gateway error, e.g. 502 or 504) instead of the real one; absent: reset the connection. */
  status?: number;
}

interface Rule<A> {
  match: RequestMatch;
  action: A;
  seen: number;
}

/** Armed actions; each fires once, on the Nth request its match counts. */
export class OnceRules<A> {
  private rules: Array<Rule<A>> = [];

  add(match: RequestMatch, action: A): void {
    this.rules.push({ match, action, seen: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  /** Counts the request against every rule and returns the first action due now. */
  take(method: string, path: string): A | undefined {
    let due: Rule<A> | undefined;
    for (const rule of this.rules) {
      const { method: m, path: p, nth = 1 } = rule.match;
      if (m && m.toUpperCase() !== method.toUpperCase()) continue;
      if (p && !p.test(path)) continue;
      rule.seen += 1;
      if (!due && rule.seen === nth) due = rule;
    }
    if (due) this.rules = this.rules.filter((r) => r !== due);
    return due?.action;
  }
}

/** Instead of the committed answer: the status given (with a bare gateway error body), or a reset connection. */
export function loseAnswer(res: ServerResponse, how: LostAnswer): void {
  if (how.status === undefined) {
    res.socket?.destroy();
    return;
  }
  const text = JSON.stringify({ error: { code: 'GatewayTimeout', message: 'The gateway did not receive the answer in time.' } });
  res.writeHead(how.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}
