/**
 * String maps keyed by what users write (tag keys): `constructor`, `toString`, `__proto__`
 * and `hasOwnProperty` are ordinary keys here. A plain object's `in`, `[key]` and `[key] =`
 * see its prototype (`'toString' in {}` is true, `{}['__proto__'] = 'x'` is lost), so every
 * read goes through `Object.hasOwn` and every write defines an own property.
 *
 * Pure and dependency-free: shared by props/, core/, adapters/ and the constructs.
 */

/** A string map; entries added with {@link setEntry}. */
export type StringRecord = Record<string, string>;

/** Whether `record` holds `key` itself (never through its prototype). */
export function hasEntry(record: Readonly<Record<string, unknown>> | undefined, key: string): boolean {
  return record !== undefined && Object.hasOwn(record, key);
}

/** The value `record` holds for `key` itself; `undefined` when it holds none. */
export function entryOf<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Sets `key` as an own, enumerable property, even `__proto__`. */
export function setEntry<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A map from entries, every key an own property (`Object.fromEntries` defines, it does not assign). */
export function recordOf<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  return Object.fromEntries(entries) as Record<string, T>;
}
