/**
 * The provider's seams to the outside, as interfaces: the reads it asks for (ObservationQuery)
 * and who answers them (Observer), the stack's tags, and the logger. Implemented by the
 * adapters over the SDK, and by the fakes in the tests.
 */
import type { Actual, Owner } from '../core/model';

/** What to read before planning. */
export interface ObservationQuery {
  readonly repositoryName: string;
  readonly repositoryArn: string;
  readonly aliasName: string;
  readonly parameterNames: readonly string[];
  /** Read the alias's key too. Off for repositories without a customer key: spares loading KMS. */
  readonly includeKey: boolean;
  /**
   * Also list the parameters that carry this resource's ownership tags for this repository,
   * whatever their names (an earlier `ORG_SSM_PARAMETER_PREFIX` or base-name spelling): one
   * DescribeParameters filtered by the tags, concurrent with the other reads. @default none
   */
  readonly ownedParametersOf?: { readonly owner: Owner; readonly repositoryName: string };
  /**
   * The `_kms_key_arn` parameter: when neither the repository nor the alias names a key (both
   * deleted by hand), the key this parameter names is read too, so that it is reused or
   * deleted rather than orphaned. @default none
   */
  readonly keyParameterName?: string;
  /**
   * Read the lifecycle and repository policies. Delete does not need them: two calls fewer
   * exposed to throttling. @default true
   */
  readonly includePolicies?: boolean;
}

/** The one seam to AWS for reads. */
export interface Observer {
  observe(query: ObservationQuery, signal: AbortSignal): Promise<Actual>;
}

/** Reads a stack's own tags (CloudFormation DescribeStacks). */
export interface StackTagReader {
  /** @throws when the stack's tags cannot be read; the provider then goes on without them. */
  read(stackId: string, signal: AbortSignal): Promise<Readonly<Record<string, string>>>;
}

export interface ProviderLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}
