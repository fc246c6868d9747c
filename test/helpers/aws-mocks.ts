/**
 * The SDK clients the adapters use, with `send` replaced by aws-sdk-client-mock. KMS is built
 * through `lazy`, as the composition root does, so the lazy path is what the tests exercise.
 */
import { ECRClient } from '@aws-sdk/client-ecr';
import { KMSClient } from '@aws-sdk/client-kms';
import { SSMClient } from '@aws-sdk/client-ssm';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { type Clients, lazy } from '../../handler/src/adapters/clients';
// Static: record-aws-calls.ts runs this under tsx, whose import() does not resolve extensionless paths.
import * as kmsSdk from '../../handler/src/adapters/kms-sdk';
import { AwsActionRunner } from '../../handler/src/adapters/runner';
import type { Action } from '../../handler/src/core/model';
import { NEVER } from './given';

/** The three mocked clients and the Clients bundle the adapters take. */
export interface MockedAws {
  readonly ecr: AwsClientStub<ECRClient>;
  readonly ssm: AwsClientStub<SSMClient>;
  readonly kms: AwsClientStub<KMSClient>;
  /** Fresh clients per call, KMS loaded lazily. */
  clients(): Clients;
  reset(): void;
  restore(): void;
}

/** Mocks ECRClient, SSMClient and KMSClient (every instance) until `restore()`. */
export function givenMockedAws(): MockedAws {
  const ecr = mockClient(ECRClient);
  const ssm = mockClient(SSMClient);
  const kms = mockClient(KMSClient);
  const stubs: { reset(): unknown; restore(): void }[] = [ecr, ssm, kms];
  return {
    ecr,
    ssm,
    kms,
    clients: () => ({
      ecr: new ECRClient({ region: 'eu-west-1' }),
      ssm: new SSMClient({ region: 'eu-west-1' }),
      kms: lazy(async () => ({ client: new KMSClient({ region: 'eu-west-1' }), sdk: kmsSdk })),
    }),
    reset: () => stubs.forEach((stub) => stub.reset()),
    restore: () => stubs.forEach((stub) => stub.restore()),
  };
}

/** The name of the command a mocked client received, as the SDK spells it (`CreateKeyCommand`). */
export function commandName(call: { args: readonly unknown[] }): string {
  return (call.args[0] as object).constructor.name;
}

/**
 * The runner over mocked clients, with the hooks every runner test needs: mocks reset before
 * each test, backoff jitter pinned to 0 so retries do not wait, everything restored after.
 */
export function givenMockedRunner(): { readonly aws: MockedAws; run(action: Action, createdKeyArn?: string): Promise<unknown> } {
  const aws = givenMockedAws();
  beforeEach(() => {
    aws.reset();
    jest.spyOn(Math, 'random').mockReturnValue(0);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => aws.restore());
  return { aws, run: (action, createdKeyArn) => new AwsActionRunner(aws.clients()).run(action, createdKeyArn ? { createdKeyArn } : {}, NEVER) };
}
