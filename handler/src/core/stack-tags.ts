/**
 * The stack's own tags on the repository, its key and its parameters, as CloudFormation puts
 * a stack's tags on the native resources it creates. Pure: the tags come in as read by the
 * adapter (`undefined` when they could not be read).
 *
 * Precedence, highest first: the provider's ownership tags, the organisation's mandatory tags,
 * the consumer's `Tags`, then the stack's tags. A stack tag never changes a tag set by anyone
 * closer to the repository, which is also how CloudFormation treats a resource's own tags.
 */
import { Limits, RESERVED_TAG_PREFIXES } from '../contract';
import { checkTagKey, checkTagValue } from '../props/rules';
import { entryOf, hasEntry, recordOf, setEntry } from '../records';
import type { Action, Desired } from './model';

type Tags = Readonly<Record<string, string>>;

/** A stack tag that is not copied, and why (for the log). */
export interface SkippedStackTag {
  readonly key: string;
  readonly reason: string;
}

/** The stack tags to copy onto a repository's resources, and those left out. */
export interface StackTagSelection {
  readonly copied: Record<string, string>;
  readonly skipped: readonly SkippedStackTag[];
}

/**
 * Which stack tags to copy next to `taken` (the tags the key and parameters carry already,
 * which are the repository's plus one). Left out: keys `aws:` (AWS's own: CloudFormation,
 * Service Catalog; nobody may write them) and `org-ecr:` (the provider's ownership tags),
 * keys or values ECR, KMS or SSM would refuse, keys already set by someone closer, and,
 * beyond AWS's 50 tags per resource, the keys last in alphabetical order, so the choice is the
 * same on every request.
 */
export function selectStackTags(stackTags: Tags, taken: Tags): StackTagSelection {
  const copied: Record<string, string> = {};
  const skipped: SkippedStackTag[] = [];
  let room = Limits.tagsMax - Object.keys(taken).length;
  for (const key of Object.keys(stackTags).sort()) {
    if (hasEntry(taken, key)) continue;
    const value = entryOf(stackTags, key) ?? '';
    const checkedKey = checkTagKey('stack tag key', key);
    const checkedValue = checkTagValue(`stack tag ${key}`, value);
    if (!checkedKey.ok) skipped.push({ key, reason: checkedKey.problem });
    else if (!checkedValue.ok) skipped.push({ key, reason: checkedValue.problem });
    else if (room <= 0) skipped.push({ key, reason: `no room: AWS allows ${Limits.tagsMax} tags per resource and the organisation, consumer and ownership tags come first` });
    else {
      setEntry(copied, key, value);
      room--;
    }
  }
  return { copied, skipped };
}

/**
 * The desired state with the stack's tags added under everyone else's. With the stack's tags
 * unknown (`undefined`: they could not be read), the tags the repository already carries
 * beyond the desired ones are kept as they are, on it and on its key and parameters, except
 * `removed` (keys the consumer took out of `Tags` in this Update): an unreadable stack never
 * strips a tag that may be the stack's, nor adds one.
 */
export function withStackTags(
  desired: Desired,
  stackTags: Tags | undefined,
  actualRepositoryTags?: Tags,
  removed: readonly string[] = [],
): { readonly desired: Desired; readonly copied: Tags; readonly skipped: readonly SkippedStackTag[] } {
  if (stackTags === undefined) {
    const kept = recordOf(Object.entries(actualRepositoryTags ?? {}).filter(([key]) => !isReserved(key) && !hasEntry(desired.childTags, key) && !removed.includes(key)));
    return { desired: merged(desired, kept), copied: {}, skipped: [] };
  }
  const { copied, skipped } = selectStackTags(stackTags, desired.childTags);
  return { desired: merged(desired, copied), copied, skipped };
}

/**
 * For the resources a Create made in its first step, before the stack's tags were known: the
 * calls that add `copied` (see {@link withStackTags}), in the step that follows anyway (no
 * round trip more).
 */
export function lateStackTagActions(firstStep: readonly Action[], desired: Desired, copied: Tags, createdKeyArn: string | undefined): Action[] {
  if (Object.keys(copied).length === 0) return [];
  return firstStep.flatMap((action): Action[] => {
    if (action.kind === 'ecr.createRepository') return [{ kind: 'ecr.tagResource', repositoryArn: desired.repositoryArn, tags: copied }];
    if (action.kind === 'kms.createKey' && createdKeyArn !== undefined) return [{ kind: 'kms.tagResource', keyArn: createdKeyArn, tags: copied }];
    return [];
  });
}

function merged(desired: Desired, lower: Tags): Desired {
  if (Object.keys(lower).length === 0) return desired;
  return { ...desired, repositoryTags: { ...lower, ...desired.repositoryTags }, childTags: { ...lower, ...desired.childTags } };
}

function isReserved(key: string): boolean {
  return RESERVED_TAG_PREFIXES.some((prefix) => key.toLowerCase().startsWith(prefix));
}
