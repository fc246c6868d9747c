/**
 * Runs the wrapped handler against a real loopback ResponseURL and hands back what
 * CloudFormation would have received and what the log would hold.
 */
import { createCustomResourceHandler, type WrapperDeps } from '../../../../handler/src/cfn/wrapper';
import type { CloudFormationEvent, CloudFormationResponse, LambdaContextLike, ResourceHandler } from '../../../../handler/src/cfn/types';
import { givenContext, PRESIGNED_PATH } from './events';
import { FakeLogger } from './fake-logger';
import type { LoopbackServer } from './loopback-server';

/** What one invocation produced. */
export interface Invocation {
  /** Every response body the server received, parsed. */
  readonly responses: CloudFormationResponse[];
  readonly logger: FakeLogger;
}

/** The presigned ResponseURL of `server`. */
export function responseUrlOf(server: LoopbackServer): string {
  return server.url(PRESIGNED_PATH);
}

/**
 * Invokes `handler` wrapped in the protocol layer with `event`; resolves when the Lambda
 * handler returns (which must be after the PUT settled).
 */
export async function invoke(
  server: LoopbackServer,
  handler: ResourceHandler,
  event: CloudFormationEvent | Record<string, unknown>,
  options: { context?: LambdaContextLike; deps?: Partial<WrapperDeps> } = {},
): Promise<Invocation> {
  const logger = new FakeLogger();
  const before = server.requests.length;
  const lambdaHandler = createCustomResourceHandler(handler, { logger, ...options.deps });
  await lambdaHandler(event as CloudFormationEvent, options.context ?? givenContext());
  const responses = server.requests.slice(before).map((request) => JSON.parse(request.body) as CloudFormationResponse);
  return { responses, logger };
}
