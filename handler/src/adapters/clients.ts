/**
 * The SDK clients the adapters use. KMS is loaded on first use only: a repository without a
 * customer key never pays for loading its client at cold start.
 */
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { SSMClient } from '@aws-sdk/client-ssm';

/** The KMS client and the commands we call (kms-sdk.ts), not the whole package. */
export type KmsModule = typeof import('./kms-sdk');

export interface Clients {
  readonly ecr: ECRClient;
  readonly ssm: SSMClient;
  /** Resolves the KMS client and its module (commands) on first call, then reuses them. */
  readonly kms: () => Promise<{ readonly client: KMSClient; readonly sdk: KmsModule }>;
}

/**
 * Client settings for a provider that may serve hundreds of repositories in one deployment:
 * the SDK's standard retry mode (exponential backoff with jitter, throttling recognised)
 * with more attempts than its default 3, so a burst of `ThrottlingException` is absorbed.
 * The request's AbortSignal still bounds everything by the Lambda's deadline.
 */
export const CLIENT_CONFIG = { retryMode: 'standard', maxAttempts: 8 } as const;

/** Memoises a lazy loader; a failed load is retried on the next call. */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/**
 * The key id inside a key ARN. KMS accepts either, but the id is what every KMS-compatible
 * endpoint understands (moto's ScheduleKeyDeletion, for one, only looks keys up by id).
 */
export function keyIdOf(keyArn: string): string {
  const marker = keyArn.indexOf(':key/');
  return marker === -1 ? keyArn : keyArn.slice(marker + ':key/'.length);
}
