/**
 * Composition root of the provider Lambda: the SDK clients, the adapters, the structured
 * logger and the protocol wrapper. The only module that knows every layer.
 *
 * Lambda handler: `index.handler` (see contract.ts HANDLER_ENTRY).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { ECRClient } from '@aws-sdk/client-ecr';
import { SSMClient } from '@aws-sdk/client-ssm';
import { type Clients, CLIENT_CONFIG, lazy } from './adapters/clients';
import { AwsKeyFinder } from './adapters/key-finder';
import { AwsObserver } from './adapters/observer';
import { AwsActionRunner } from './adapters/runner';
import { AwsStackTagReader, type CloudFormationLoader } from './adapters/stack-tags';
import type { CloudFormationEvent, LambdaContextLike } from './cfn/types';
import { jsonReplacer } from './cfn/redact';
import { createCustomResourceHandler, type WrapperDeps } from './cfn/wrapper';
import { createRepositoryHandler } from './provider/provider';

export interface HandlerOptions {
  /** @default - new clients with the provider's retry settings */
  readonly clients?: Clients;
  /** Loads the CloudFormation client that reads the stack's tags. @default - {@link loadCloudFormation} */
  readonly cloudFormation?: CloudFormationLoader;
  /** Where settings are read on each request. @default - process.env */
  readonly settings?: () => Readonly<Record<string, string | undefined>>;
  /** @default - a Powertools Logger, service `org-ecr-repository`, secrets redacted */
  readonly logger?: Logger;
  /** Protocol seams (transport, clock) for tests. */
  readonly wrapper?: Omit<WrapperDeps, 'logger'>;
}

/** The SDK clients with the provider's settings; KMS is created on first use. */
export function createClients(): Clients {
  return {
    ecr: new ECRClient(CLIENT_CONFIG),
    ssm: new SSMClient(CLIENT_CONFIG),
    kms: lazy(async () => {
      const sdk = await import('./adapters/kms-sdk');
      return { client: new sdk.KMSClient(CLIENT_CONFIG), sdk };
    }),
  };
}

/**
 * The CloudFormation client, loaded on first use (a chunk of its own): only Create and Update
 * read the stack's tags, concurrently with their first AWS calls.
 */
export function loadCloudFormation(): CloudFormationLoader {
  return lazy(async () => {
    const sdk = await import('./adapters/cloudformation-client');
    return { client: new sdk.CloudFormationClient(CLIENT_CONFIG), sdk };
  });
}

/**
 * Builds an independent provider handler: what `handler` is, with each seam replaceable.
 * Each call has its own clients, as each Lambda execution environment does.
 */
export function createHandler(options: HandlerOptions = {}): (event: CloudFormationEvent, context: LambdaContextLike) => Promise<void> {
  const logger = options.logger ?? new Logger({ serviceName: 'org-ecr-repository', jsonReplacerFn: jsonReplacer });
  const clients = options.clients ?? createClients();
  const business = createRepositoryHandler({
    observer: new AwsObserver(clients),
    runner: new AwsActionRunner(clients),
    keyFinder: new AwsKeyFinder(clients),
    stackTags: new AwsStackTagReader(options.cloudFormation ?? loadCloudFormation()),
    logger,
    settings: options.settings ?? (() => process.env),
  });
  return createCustomResourceHandler(business, { ...options.wrapper, logger });
}

/** The Lambda handler. */
export const handler = createHandler();
