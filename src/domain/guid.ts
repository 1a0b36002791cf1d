/** A GUID (Entra object and tenant ids, app ids, subscription ids, role assignment names), any letter case. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isGuid = (value: string): boolean => GUID.test(value);

/** The same, as a JSON Schema `pattern` (no flags there: both cases spelled out). */
export const GUID_PATTERN = GUID.source.replace(/a-f/g, 'a-fA-F');
