/**
 * Ownership and comparison rules: the small predicates every plan leans on.
 */
import { OwnershipTag } from '../contract';
import { entryOf, hasEntry, setEntry } from '../records';
import type { Owner } from './model';

/** Carries the tag pair naming this stack and logical resource. */
export function isOwnedBy(tags: Readonly<Record<string, string>> | undefined, owner: Owner): boolean {
  return entryOf(tags, OwnershipTag.StackId) === owner.stackId && entryOf(tags, OwnershipTag.LogicalId) === owner.logicalId;
}

/** Ours, and describes this very repository (a key or parameter; the repository tags itself). */
export function belongsToRepository(tags: Readonly<Record<string, string>> | undefined, owner: Owner, repositoryName: string): boolean {
  return isOwnedBy(tags, owner) && entryOf(tags, OwnershipTag.Repository) === repositoryName;
}

/**
 * Tags to set (missing or different) and keys to remove (present, not desired). `aws:` tags
 * cannot be touched by anyone and are left alone. With `actual` unknown, every desired tag
 * is set and `knownRemovals` (keys removed elsewhere, e.g. from the repository) are removed.
 */
export function tagChanges(
  actual: Readonly<Record<string, string>> | undefined,
  desired: Readonly<Record<string, string>>,
  knownRemovals: readonly string[] = [],
): { set: Record<string, string>; remove: string[] } {
  const set: Record<string, string> = {};
  for (const [key, value] of Object.entries(desired)) {
    if (entryOf(actual, key) !== value) setEntry(set, key, value);
  }
  const candidates = actual === undefined ? knownRemovals : Object.keys(actual);
  const remove = candidates.filter((key) => !hasEntry(desired, key) && !key.toLowerCase().startsWith('aws:')).sort();
  return { set, remove };
}

/**
 * Whether two policy documents say the same thing. AWS may hand a document back reformatted
 * (whitespace, key order, a one-element list as a scalar), so compare meaning, not text.
 */
export function samePolicy(actual: string | null | undefined, desired: string): boolean {
  if (actual === null || actual === undefined) return false;
  try {
    return canonical(JSON.parse(actual)) === canonical(JSON.parse(desired));
  } catch {
    return actual === desired;
  }
}

function canonical(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalise);
    if (items.length === 1) return items[0];
    return items.map((item) => JSON.stringify(item)).sort().map((item) => JSON.parse(item) as unknown);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, normalise((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
