import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHUNK_LENGTH, MAX_VALUE_LENGTH, TableRecordLimitError, decodeKeyPart, encodeKey, encodeKeyPart, prefixRange,
  propertiesToValue, valueToProperties,
} from '../../src/store/azure/table-codec';

/** Any UTF-16 code unit, so lone surrogates and every control character are generated too. */
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
/** Mostly characters that matter to the encoding, so prefixes and collisions actually happen. */
const edgeUnit = fc.constantFrom('a', 'b', '/', '\\', '#', '?', '%', '~', '}', ' ', '\u0000', '\u007f', '\u00ff', '\u0100', '\ud83d', '\ude00', 'u', '2', 'F');
const anyKey = fc.oneof(fc.string({ unit: anyUnit }), fc.string({ unit: edgeUnit }), fc.string({ unit: 'binary' }));
/** What the Table service refuses in PartitionKey/RowKey: / \\ # ? and control characters. */
const isForbidden = (c: string): boolean => '/\\#?'.includes(c) || c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f);

describe('table key encoding', () => {
  it('round-trips any string, including lone surrogates and control characters', () => {
    fc.assert(fc.property(anyKey, (key) => decodeKeyPart(encodeKeyPart(key)) === key));
  });

  it('produces only printable ASCII below "~" with none of the characters the Table service forbids', () => {
    fc.assert(fc.property(anyKey, (key) => {
      const encoded = encodeKeyPart(key);
      return [...encoded].every((c) => !isForbidden(c) && c >= ' ' && c < '~');
    }));
  });

  it('is injective and keeps prefixes: encode(k) starts with encode(p) exactly when k starts with p', () => {
    fc.assert(fc.property(anyKey, anyKey, (k, p) => {
      expect(encodeKeyPart(k) === encodeKeyPart(p)).toBe(k === p);
      expect(encodeKeyPart(k).startsWith(encodeKeyPart(p))).toBe(k.startsWith(p));
    }));
  });

  it('selects exactly the keys with the prefix by the RowKey range [low, high)', () => {
    fc.assert(fc.property(fc.string({ unit: edgeUnit }), fc.string({ unit: edgeUnit }), (k, p) => {
      const { low, high } = prefixRange(p);
      const encoded = encodeKeyPart(k);
      expect(encoded >= low && encoded < high).toBe(k.startsWith(p));
    }));
  });

  it('escapes the characters in question readably', () => {
    expect(encodeKeyPart('plan/a#1?%~')).toBe('plan%2Fa%231%3F%25%7E');
    expect(encodeKeyPart('é😀\n')).toBe('%E9%uD83D%uDE00%0A');
    expect(encodeKeyPart('sc-prod.v2 (x)')).toBe('sc-prod.v2 (x)');
  });

  it('refuses a key longer than 512 characters once encoded, naming it', () => {
    expect(encodeKey('x'.repeat(512), 'key k')).toHaveLength(512);
    expect(() => encodeKey('/'.repeat(171), 'key plans/abc')).toThrow(TableRecordLimitError);
    expect(() => encodeKey('/'.repeat(171), 'key plans/abc')).toThrow(/key plans\/abc is too long.*513 characters/);
  });
});

describe('table value properties', () => {
  it('round-trips any JSON value through ASCII chunks of at most 32,000 characters', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const properties = valueToProperties(value, 'c/k');
      const chunks = Object.entries(properties).filter(([name]) => name !== 'chunks');
      expect(chunks).toHaveLength(properties.chunks as number);
      for (const [, chunk] of chunks) {
        expect(String(chunk).length).toBeGreaterThan(0);
        expect(String(chunk).length).toBeLessThanOrEqual(CHUNK_LENGTH);
        expect([...String(chunk)].every((c) => c.charCodeAt(0) < 0x7f)).toBe(true);
      }
      expect(propertiesToValue(properties, 'c/k')).toEqual(JSON.parse(JSON.stringify(value)));
    }));
  });

  it('splits a large value across numbered properties and joins them back', () => {
    const value = { text: 'ü'.repeat(10_000) + 'x'.repeat(100_000) };
    const properties = valueToProperties(value, 'plans/big');
    // 10,000 × '\u00fc' (6 characters each) + 100,000 + '{"text":""}' = 160,011 characters → 6 chunks.
    expect(properties.chunks).toBe(6);
    expect(String(properties.v0)).toHaveLength(CHUNK_LENGTH);
    expect(propertiesToValue(properties, 'plans/big')).toEqual(value);
  });

  it('keeps lone surrogates in string values', () => {
    const value = ['\ud800', 'a\udfffb'];
    expect(propertiesToValue(valueToProperties(value, 'c/k'), 'c/k')).toEqual(value);
  });

  it('records undefined as zero chunks', () => {
    expect(valueToProperties(undefined, 'c/k')).toEqual({ chunks: 0 });
    expect(propertiesToValue({ chunks: 0 }, 'c/k')).toBeUndefined();
  });

  it('refuses a value over the entity limit, naming the record but not showing the value', () => {
    const secretish = 's3cr3t'.repeat(MAX_VALUE_LENGTH / 6);
    expect(() => valueToProperties(secretish, 'plans/p1')).toThrow(TableRecordLimitError);
    try {
      valueToProperties(secretish, 'plans/p1');
    } catch (error) {
      expect(String(error)).toMatch(/value of plans\/p1 is too large/);
      expect(String(error)).not.toContain('s3cr3t');
    }
  });

  it('reports a stored record in an unexpected shape clearly', () => {
    expect(() => propertiesToValue({}, 'plans/p1')).toThrow(/plans\/p1 is not in the expected format/);
    expect(() => propertiesToValue({ chunks: 2, v0: '"a' }, 'plans/p1')).toThrow(/plans\/p1 is missing part 1/);
  });
});
