/**
 * How Store records map onto Azure Table entities, kept pure so the awkward rules are unit-tested without a server.
 *
 * Keys: Table PartitionKey/RowKey forbid / \ # ? and control characters and cap length at 1 KiB. Every character
 * outside printable ASCII ' '..'}' (and the five above, '%' being our escape) becomes `%XX` (code unit <= 0xFF)
 * or `%uXXXX`. Each character maps to its own self-delimiting code, so `encode(key)` starts with `encode(prefix)`
 * exactly when `key` starts with `prefix`; and every encoded character sorts below '~', so the RowKey range
 * [encode(prefix), encode(prefix) + '~') holds exactly the keys with that prefix, whatever collation the service
 * uses for ASCII.
 *
 * Values: JSON with every non-ASCII character written as a \uXXXX escape (still valid JSON), so its length in
 * characters equals its size in UTF-8 bytes and half its size in UTF-16, and cutting it anywhere is safe. It is
 * split into string properties of at most 32,000 characters (the service allows 32K UTF-16 units per property).
 */

/** The service accepts 1 KiB per key; Azurite enforces 512 characters, which is 1 KiB in UTF-16. */
export const MAX_ENCODED_KEY_LENGTH = 512;
export const CHUNK_LENGTH = 32_000;
/** 15 chunks = 960 KB in UTF-16: under the 1 MiB entity limit with room for keys and property names. */
export const MAX_CHUNKS = 15;
export const MAX_VALUE_LENGTH = CHUNK_LENGTH * MAX_CHUNKS;

/** Raised before any request when a key or value cannot be stored; the message names the record, never its value. */
export class TableRecordLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableRecordLimitError';
  }
}

const hex = (code: number, width: number): string => code.toString(16).toUpperCase().padStart(width, '0');
const needsEscape = (code: number): boolean =>
  code < 0x20 || code > 0x7d || code === 0x2f || code === 0x5c || code === 0x23 || code === 0x3f || code === 0x25;

/** Encodes per UTF-16 code unit, so lone surrogates survive too. */
export function encodeKeyPart(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i += 1) {
    const code = raw.charCodeAt(i);
    if (!needsEscape(code)) out += raw[i];
    else out += code <= 0xff ? `%${hex(code, 2)}` : `%u${hex(code, 4)}`;
  }
  return out;
}

export function decodeKeyPart(encoded: string): string {
  return encoded.replace(/%(u[0-9A-F]{4}|[0-9A-F]{2})/g, (_, code: string) =>
    String.fromCharCode(parseInt(code.startsWith('u') ? code.slice(1) : code, 16)),
  );
}

/** Encodes and checks the length limit; `what` names the key in the error (a key is an id, not a secret). */
export function encodeKey(raw: string, what: string): string {
  const encoded = encodeKeyPart(raw);
  if (encoded.length > MAX_ENCODED_KEY_LENGTH) {
    throw new TableRecordLimitError(
      `${what} is too long for Azure Table storage: ${encoded.length} characters once encoded, max ${MAX_ENCODED_KEY_LENGTH}`,
    );
  }
  return encoded;
}

/** RowKey bounds for "starts with prefix": ge `low`, lt `high` (see the module comment for why '~'). */
export function prefixRange(prefix: string): { low: string; high: string } {
  const low = encodeKeyPart(prefix);
  return { low, high: `${low}~` };
}

export type ValueProperties = Record<string, string | number>;

const chunkName = (index: number): string => `v${index}`;

/** Non-ASCII → \uXXXX: only string contents can hold such characters in JSON.stringify output, so this stays valid. */
const asciiJson = (value: unknown): string | undefined =>
  JSON.stringify(value)?.replace(/[\u007f-\uffff]/g, (c) => `\\u${hex(c.charCodeAt(0), 4).toLowerCase()}`);

/** `chunks` = 0 records `undefined`, which JSON cannot express. */
export function valueToProperties(value: unknown, what: string): ValueProperties {
  const json = asciiJson(value);
  if (json === undefined) return { chunks: 0 };
  // JSON.stringify never returns an empty string, so there is always at least one chunk.
  if (json.length > MAX_VALUE_LENGTH) {
    throw new TableRecordLimitError(
      `value of ${what} is too large for Azure Table storage: ${json.length} characters of JSON, max ${MAX_VALUE_LENGTH}`,
    );
  }
  const properties: ValueProperties = {};
  let count = 0;
  for (let start = 0; start < json.length; start += CHUNK_LENGTH) {
    properties[chunkName(count)] = json.slice(start, start + CHUNK_LENGTH);
    count += 1;
  }
  properties.chunks = count;
  return properties;
}

export function propertiesToValue(entity: Record<string, unknown>, what: string): unknown {
  const count = entity.chunks;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_CHUNKS) {
    throw new Error(`stored record ${what} is not in the expected format (chunks)`);
  }
  if (count === 0) return undefined;
  let json = '';
  for (let index = 0; index < count; index += 1) {
    const chunk = entity[chunkName(index)];
    if (typeof chunk !== 'string') throw new Error(`stored record ${what} is missing part ${index}`);
    json += chunk;
  }
  return JSON.parse(json) as unknown;
}
