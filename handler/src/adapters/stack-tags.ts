/**
 * The stack's own tags, from CloudFormation's DescribeStacks on the request's StackId. The
 * CloudFormation client is loaded on first use, in a chunk of its own: the read runs while
 * the first step's calls are in flight, so neither the call nor the loading is on the
 * critical path, and a Delete (which needs no tags) never loads it.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { AwsCallError, awsErrorCode } from '../errors';
import type { StackTagReader } from '../provider/ports';
import { fromKeyValue } from './tags';

/** What the lazily loaded chunk exports (./cloudformation-client). */
export type CloudFormationModule = typeof import('./cloudformation-client');

/** Resolves the CloudFormation client and its module on first call, then reuses them. */
export type CloudFormationLoader = () => Promise<{ readonly client: CloudFormationClient; readonly sdk: CloudFormationModule }>;

export class AwsStackTagReader implements StackTagReader {
  constructor(private readonly load: CloudFormationLoader) {}

  /**
   * A stack that does not exist has no tags (CloudFormation answers `ValidationError ... does
   * not exist`; the requesting stack always exists, but tests and replays may name another).
   *
   * @throws AwsCallError naming `cloudformation.describeStacks` and the stack.
   */
  async read(stackId: string, signal: AbortSignal): Promise<Readonly<Record<string, string>>> {
    try {
      const { client, sdk } = await this.load();
      const answer = await client.send(new sdk.DescribeStacksCommand({ StackName: stackId }), { abortSignal: signal });
      return fromKeyValue(answer.Stacks?.[0]?.Tags);
    } catch (error) {
      if (isStackNotFound(error)) return {};
      throw new AwsCallError('cloudformation.describeStacks', stackId, error);
    }
  }
}

function isStackNotFound(error: unknown): boolean {
  return awsErrorCode(error) === 'ValidationError' && error instanceof Error && /does not exist/.test(error.message);
}
