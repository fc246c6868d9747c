/** Tag shapes: ECR and SSM speak `{Key, Value}`, KMS `{TagKey, TagValue}`. */
import { setEntry } from '../records';
export type TagMap = Readonly<Record<string, string>>;

export const toKeyValue = (tags: TagMap) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
export const toKmsTags = (tags: TagMap) => Object.entries(tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));

export function fromKeyValue(list: readonly { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of list ?? []) if (tag.Key !== undefined) setEntry(tags, tag.Key, tag.Value ?? '');
  return tags;
}

export function fromKmsTags(list: readonly { TagKey?: string; TagValue?: string }[] | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of list ?? []) if (tag.TagKey !== undefined) setEntry(tags, tag.TagKey, tag.TagValue ?? '');
  return tags;
}
