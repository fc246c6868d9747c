import type { TagMutability } from '../contract';

/**
 * The provider's model: what a resource should look like (Desired), what AWS says it looks
 * like (Actual), and the actions that close the gap. Pure data; no I/O.
 */

/** Where the resource lives, read from the request (StackId) rather than the environment. */
export interface Environment {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** `amazonaws.com`, or the partition's own DNS suffix. */
  readonly urlSuffix: string;
}

/** Who owns what: the stack and logical resource named in the ownership tags. */
export interface Owner {
  readonly stackId: string;
  readonly logicalId: string;
}

export interface DesiredParameter {
  readonly name: string;
  /** Absent for the key ARN parameter of a key not created yet. */
  readonly value?: string;
}

export interface DesiredKey {
  readonly aliasName: string;
  readonly description: string;
  readonly policy: string;
  readonly rotation: boolean;
  readonly deletionWindowDays: number;
}

export interface Desired {
  readonly repositoryName: string;
  readonly repositoryArn: string;
  readonly repositoryUri: string;
  /** Present when the consumer asked for a customer-managed key. */
  readonly key?: DesiredKey;
  /** Always computed, so Delete and Update can look for a key left behind. */
  readonly aliasName: string;
  /** Our lifecycle rules only, as a policy document; a team's own rules are merged in by the plan. */
  readonly lifecyclePolicy?: string;
  readonly imageTagMutability: TagMutability;
  /** Wildcard filters; empty unless `IMMUTABLE_WITH_EXCLUSION`. */
  readonly exclusionFilters: readonly string[];
  readonly repositoryPolicy?: string;
  /** Organisation, consumer and ownership tags. */
  readonly repositoryTags: Readonly<Record<string, string>>;
  /** The repository's tags plus `org-ecr:repository`, for the key and the parameters. */
  readonly childTags: Readonly<Record<string, string>>;
  readonly parameters: {
    readonly arn: DesiredParameter;
    readonly name: DesiredParameter;
    readonly kmsKeyArn?: DesiredParameter;
  };
}

export interface ObservedRepository {
  readonly name: string;
  readonly arn: string;
  readonly uri?: string;
  /** `AES256`, `KMS`, `KMS_DSSE`. */
  readonly encryptionType: string;
  readonly kmsKeyArn?: string;
  readonly scanOnPush: boolean;
  /** As DescribeRepositories returns it: `MUTABLE`, `IMMUTABLE`, `IMMUTABLE_WITH_EXCLUSION`, ... */
  readonly imageTagMutability: string;
  /** The wildcard exclusion filters DescribeRepositories returns; empty when none. */
  readonly exclusionFilters: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  /** `null`: none set. */
  readonly lifecyclePolicy: string | null;
  /** `null`: none set. */
  readonly repositoryPolicy: string | null;
}

export interface ObservedKey {
  readonly keyId: string;
  readonly arn: string;
  /** `Enabled`, `Disabled`, `PendingDeletion`, ... */
  readonly state: string;
  /** Undefined: not read (the plan then asserts the desired value). */
  readonly policy?: string;
  readonly rotation?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface ObservedParameter {
  readonly name: string;
  readonly value: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface Actual {
  readonly repository?: ObservedRepository;
  /** The key the repository's alias points at, if the alias exists. */
  readonly aliasKey?: ObservedKey;
  /** The key the repository is encrypted with, when it differs from the alias's (rare drift). */
  readonly repositoryKey?: ObservedKey;
  /** By name; a missing entry means the parameter does not exist. */
  readonly parameters: Readonly<Record<string, ObservedParameter>>;
  /**
   * Names of the parameters carrying this resource's ownership tags for this repository, under
   * any name (AWS filtered them by the tags). Undefined: not asked.
   */
  readonly ownedParameterNames?: readonly string[];
  /** The key the `_kms_key_arn` parameter names, read when neither the repository nor the alias names one. */
  readonly parameterKey?: ObservedKey;
}

/** A key ARN that is known, or the one this plan creates in an earlier step. */
export type KeyArnRef = { readonly created: true } | { readonly arn: string };

/** Parameter value: a literal, or the ARN of the key this plan creates. */
export type ParameterValue = { readonly text: string } | { readonly createdKeyArn: true };

/** One AWS call. `kind` reads like the SDK command, so a log line can be searched in the AWS docs. */
export type Action =
  | { readonly kind: 'kms.createKey'; readonly description: string; readonly policy: string; readonly tags: Readonly<Record<string, string>> }
  | { readonly kind: 'kms.enableKeyRotation' | 'kms.disableKeyRotation'; readonly key: KeyArnRef }
  | { readonly kind: 'kms.createAlias'; readonly aliasName: string; readonly key: KeyArnRef }
  | { readonly kind: 'kms.updateAlias'; readonly aliasName: string; readonly keyArn: string }
  | { readonly kind: 'kms.deleteAlias'; readonly aliasName: string }
  | { readonly kind: 'kms.putKeyPolicy'; readonly keyArn: string; readonly policy: string }
  | { readonly kind: 'kms.cancelKeyDeletion' | 'kms.enableKey'; readonly keyArn: string }
  | { readonly kind: 'kms.tagResource'; readonly keyArn: string; readonly tags: Readonly<Record<string, string>> }
  | { readonly kind: 'kms.untagResource'; readonly keyArn: string; readonly tagKeys: readonly string[] }
  | { readonly kind: 'kms.scheduleKeyDeletion'; readonly keyArn: string; readonly pendingWindowInDays: number }
  | {
      readonly kind: 'ecr.createRepository';
      readonly repositoryName: string;
      readonly key?: KeyArnRef;
      readonly tags: Readonly<Record<string, string>>;
      /** Absent: ECR's own default (MUTABLE); the plans always set it. */
      readonly imageTagMutability?: TagMutability;
      readonly exclusionFilters?: readonly string[];
    }
  | { readonly kind: 'ecr.putImageScanningConfiguration'; readonly repositoryName: string }
  | { readonly kind: 'ecr.putImageTagMutability'; readonly repositoryName: string; readonly imageTagMutability: TagMutability; readonly exclusionFilters: readonly string[] }
  | { readonly kind: 'ecr.putLifecyclePolicy'; readonly repositoryName: string; readonly policy: string }
  | { readonly kind: 'ecr.deleteLifecyclePolicy'; readonly repositoryName: string }
  | { readonly kind: 'ecr.setRepositoryPolicy'; readonly repositoryName: string; readonly policy: string }
  | { readonly kind: 'ecr.deleteRepositoryPolicy'; readonly repositoryName: string }
  | { readonly kind: 'ecr.tagResource'; readonly repositoryArn: string; readonly tags: Readonly<Record<string, string>> }
  | { readonly kind: 'ecr.untagResource'; readonly repositoryArn: string; readonly tagKeys: readonly string[] }
  | { readonly kind: 'ecr.deleteRepository'; readonly repositoryName: string }
  | { readonly kind: 'ssm.putParameter'; readonly name: string; readonly value: ParameterValue; readonly tags?: Readonly<Record<string, string>> }
  | { readonly kind: 'ssm.addTagsToResource'; readonly name: string; readonly tags: Readonly<Record<string, string>> }
  | { readonly kind: 'ssm.removeTagsFromResource'; readonly name: string; readonly tagKeys: readonly string[] }
  | { readonly kind: 'ssm.deleteParameters'; readonly names: readonly string[] };

export type ActionKind = Action['kind'];

/**
 * Steps run one after another; the actions inside a step run concurrently. The number of
 * steps is the number of sequential AWS round trips on the critical path.
 */
export type Plan = readonly (readonly Action[])[];
