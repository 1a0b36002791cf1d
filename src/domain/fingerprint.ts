/**
 * A stable digest of a connection as read, so execution can refuse when it changed since the plan was made.
 * It detects change; it is not a security boundary (64-bit FNV-1a over canonical JSON is enough for that).
 */
import type { ServiceEndpoint } from './endpoint';
import { redactEndpoint } from './redaction';

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/** 64-bit FNV-1a over the UTF-8 bytes of a text, as 16 hex digits. */
export function fnv1a64(text: string): string {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK_64;
  }
  return hash.toString(16).padStart(16, '0');
}

/** JSON with object keys sorted at every depth and undefined members dropped, so equal data gives equal text. */
export function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The fields that describe what a change acts on. Identity refs and dates are left out: list and get answers
 * may differ in them without the connection having changed. Project references are sorted because the
 * service returns them in random order (azure-devops-api-facts.md §4).
 */
function comparable(endpoint: ServiceEndpoint): Record<string, unknown> {
  const e = redactEndpoint(endpoint);
  const refs = [...(e.serviceEndpointProjectReferences ?? [])]
    .map((r) => ({ id: r.projectReference.id.toLowerCase(), name: r.name }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    id: e.id.toLowerCase(), type: e.type, url: e.url, authorization: e.authorization, data: e.data,
    isReady: e.isReady, isDisabled: e.isDisabled, state: e.operationStatus?.state, refs,
  };
}

/** Fingerprint of a connection as read (secret values never contribute: they are redacted first). */
export function fingerprintEndpoint(endpoint: ServiceEndpoint): string {
  return fnv1a64(canonicalJson(comparable(endpoint)));
}
