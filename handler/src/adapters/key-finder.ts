/**
 * Finds keys by a text in their description. KMS has no search by tag or description: this
 * lists the account's keys and describes each, a few at a time, so it is only used on the rare
 * path where a CreateKey answer was lost, and bounded by `maxKeys` and the caller's signal.
 */
import type { KeyFinder, KeySearch } from '../provider/create';
import { AwsCallError, awsErrorCode } from '../errors';
import type { Clients } from './clients';
import { fromKmsTags } from './tags';

/** Answers for a key the provider may not read, or that just went away. */
const SKIPPED: ReadonlySet<string> = new Set(['AccessDeniedException', 'NotFoundException']);

/** Keys described at once. */
const CONCURRENCY = 8;

export class AwsKeyFinder implements KeyFinder {
  /** @param maxKeys keys looked at, at most. @default 2000 */
  constructor(
    private readonly clients: Clients,
    private readonly maxKeys = 2_000,
  ) {}

  async findKeys(text: string, signal: AbortSignal, search: KeySearch = {}): Promise<{ arn: string; tags: Record<string, string> }[]> {
    const except = new Set(search.except ?? []);
    const wanted = search.count ?? 1;
    const { client, sdk } = await this.clients.kms();
    const options = { abortSignal: signal };
    const ids: string[] = [];
    let marker: string | undefined;
    try {
      do {
        const page = await client.send(new sdk.ListKeysCommand({ Limit: 1000, ...(marker ? { Marker: marker } : {}) }), options);
        ids.push(...(page.Keys ?? []).flatMap((key) => (key.KeyId ? [key.KeyId] : [])));
        marker = page.Truncated ? page.NextMarker : undefined;
      } while (marker && ids.length < this.maxKeys);
      const matches: string[] = [];
      // Newest first where the list is in creation order (KMS does not promise an order), and
      // done at the `wanted`-th match: the text names one request, which makes one key (one
      // more per attempt the SDK retried after a lost answer).
      const queue = ids.slice(0, this.maxKeys).reverse();
      // Other teams' keys may not let the provider describe them: not ours, so not looked at.
      const describe = async (id: string) => {
        try {
          return (await client.send(new sdk.DescribeKeyCommand({ KeyId: id }), options)).KeyMetadata;
        } catch (error) {
          if (SKIPPED.has(awsErrorCode(error) ?? '')) return undefined;
          throw error;
        }
      };
      const worker = async () => {
        for (let id = queue.shift(); id !== undefined && matches.length < wanted; id = queue.shift()) {
          const metadata = await describe(id);
          if (metadata?.Arn && !except.has(metadata.Arn) && metadata.KeyState !== 'PendingDeletion' && metadata.Description?.includes(text)) matches.push(metadata.Arn);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      return await Promise.all(
        matches.map(async (arn) => ({ arn, tags: fromKmsTags((await client.send(new sdk.ListResourceTagsCommand({ KeyId: arn, Limit: 50 }), options)).Tags) })),
      );
    } catch (error) {
      throw new AwsCallError('kms.listKeys', `keys whose description contains ${text}`, error);
    }
  }
}
