/**
 * The whole provider (createRepositoryHandler + AwsObserver + AwsActionRunner) over mocked SDK
 * clients that answer like a healthy account, for four stories: a Create with key, sharing and
 * retention; an in-place Update with drift everywhere; a Delete; a Delete of a repository that
 * is not ours. Any one call can be made to fail, to see what the provider makes of it.
 *
 * `recordSuccessfulCalls()` runs a story in a child process and returns the calls it made,
 * synchronously: jest needs the list while it defines the tests, so that every call the code
 * makes, including one added later, gets its own failure test.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { AwsObserver } from '../../handler/src/adapters/observer';
import { AwsActionRunner } from '../../handler/src/adapters/runner';
import type { ResourceOutcome, ResourceRequest } from '../../handler/src/cfn/types';
import { desiredState } from '../../handler/src/core/desired';
import { lifecyclePolicy } from '../../handler/src/core/lifecycle-policy';
import { createRepositoryHandler } from '../../handler/src/provider/provider';
import { parseProperties } from '../../handler/src/props/properties';
import { parseSettings } from '../../handler/src/props/settings';
import type { MockedAws } from './aws-mocks';
import { awsError } from './fake-world';
import { FOREIGN_OWNER, givenEnvironment, givenFullProperties, givenOwner, givenSettingsEnv, ownershipTags } from './given';
import { givenCreateRequest, givenDeleteRequest, givenExecutionContext, givenUpdateRequest, RecordingLogger } from './requests';

/** The requests driven through the provider over mocked clients. */
export type Story = 'create' | 'update' | 'delete' | 'delete-foreign';
/** Which mocked client a call went to. */
export type Service = 'ecr' | 'ssm' | 'kms';

/** One SDK call: which client, which command (`PutParameterCommand`), with what input. */
export interface RecordedCall {
  readonly service: Service;
  readonly command: string;
  readonly input: Record<string, unknown>;
}

/** The repository of every story. */
export const NAME = 'acme-shop-orders-api';
/** The id of the key the stories' account holds (and CreateKey returns). */
export const KEY_ID = '11111111-1111-4111-8111-111111111111';
/** The ARN of KEY_ID. */
export const KEY_ARN = `arn:aws:kms:eu-west-1:111111111111:key/${KEY_ID}`;
const STRAY_KEY_ID = '22222222-2222-4222-8222-222222222222';
const STRAY_KEY_ARN = `arn:aws:kms:eu-west-1:111111111111:key/${STRAY_KEY_ID}`;
const REPOSITORY_ARN = `arn:aws:ecr:eu-west-1:111111111111:repository/${NAME}`;
const ALIAS = 'alias/acme-shop-orders-api';

const SETTINGS = givenSettingsEnv({ ORG_KMS_KEY_ROTATION: 'true' });
const NEW = givenFullProperties();
const OLD = givenFullProperties({ ImagesRetained: '5', ShareableWithAllEnvs: 'false', Tags: [{ Key: 'team', Value: 'old' }] });

/** The request each story sends. */
export const REQUESTS: Readonly<Record<Story, ResourceRequest>> = {
  create: givenCreateRequest(NEW),
  update: givenUpdateRequest({ physicalResourceId: NAME, old: OLD, new: NEW }),
  delete: givenDeleteRequest(NAME, NEW),
  'delete-foreign': givenDeleteRequest(NAME, NEW),
};

/** The step a call belongs to, as the provider names it: `ssm.putParameter` for PutParameterCommand. */
export function stepOf(call: Pick<RecordedCall, 'service' | 'command'>): string {
  const operation = call.command.replace(/Command$/, '');
  return `${call.service}.${operation.charAt(0).toLowerCase()}${operation.slice(1)}`;
}

/** Same client, command and input. */
export function sameCall(left: RecordedCall, right: RecordedCall): boolean {
  return left.service === right.service && left.command === right.command && JSON.stringify(left.input) === JSON.stringify(right.input);
}

/** What a healthy account answers in each story. */
function answer(story: Story, call: RecordedCall): unknown {
  const desired = desiredState(parseProperties(NEW, {}), parseSettings(SETTINGS), givenEnvironment(), givenOwner());
  const ours = story === 'delete-foreign' ? ownershipTags(FOREIGN_OWNER) : ownershipTags();
  const childTags = story === 'delete' ? desired.childTags : { ...desired.childTags, team: 'old' };
  const exists = story !== 'create';
  const notFound = (code: string) => {
    throw awsError(code);
  };
  switch (`${call.service}.${call.command}`) {
    case 'kms.CreateKeyCommand':
      return { KeyMetadata: { KeyId: KEY_ID, Arn: KEY_ARN } };
    case 'ecr.DescribeRepositoriesCommand':
      if (!exists) return notFound('RepositoryNotFoundException');
      return {
        repositories: [
          {
            repositoryName: NAME,
            repositoryArn: REPOSITORY_ARN,
            encryptionConfiguration: { encryptionType: 'KMS', kmsKey: KEY_ARN },
            imageScanningConfiguration: { scanOnPush: story !== 'update' },
          },
        ],
      };
    case 'ecr.ListTagsForResourceCommand':
      if (!exists) return notFound('RepositoryNotFoundException');
      return { tags: Object.entries({ ...ours, team: 'old', stale: 'x', 'cost-center': 'cc-42' }).map(([Key, Value]) => ({ Key, Value })) };
    case 'ecr.GetLifecyclePolicyCommand':
      return exists ? { lifecyclePolicyText: lifecyclePolicy(5) } : notFound('RepositoryNotFoundException');
    case 'ecr.GetRepositoryPolicyCommand':
      return notFound('RepositoryPolicyNotFoundException');
    case 'kms.DescribeKeyCommand': {
      if (!exists) return notFound('NotFoundException');
      // In the Update the alias names a stray key of ours (an interrupted Create): a second round.
      const keyId = call.input.KeyId === ALIAS && story === 'update' ? STRAY_KEY_ID : KEY_ID;
      return { KeyMetadata: { KeyId: keyId, Arn: `arn:aws:kms:eu-west-1:111111111111:key/${keyId}`, KeyState: 'Enabled' } };
    }
    case 'kms.ListResourceTagsCommand': {
      const tags = call.input.KeyId === STRAY_KEY_ID ? desired.childTags : { ...childTags, stale: 'x' };
      return { Tags: Object.entries(tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })) };
    }
    case 'ssm.GetParametersCommand': {
      if (!exists) return { Parameters: [], InvalidParameters: call.input.Names };
      const values: Record<string, string> = { ECR_ORDERS_API_arn: 'stale-arn', ECR_ORDERS_API_name: NAME, ECR_ORDERS_API_kms_key_arn: KEY_ARN };
      return { Parameters: (call.input.Names as string[]).map((Name) => ({ Name, Value: values[Name] })) };
    }
    case 'ssm.ListTagsForResourceCommand': {
      if (!exists) return notFound('InvalidResourceId');
      const tags = call.input.ResourceId === 'ECR_ORDERS_API_name' ? { ...childTags, stale: 'x' } : childTags;
      return { TagList: Object.entries(story === 'delete-foreign' ? { ...tags, ...ours } : tags).map(([Key, Value]) => ({ Key, Value })) };
    }
    default:
      return {};
  }
}

/**
 * Makes the mocked clients answer like a healthy account in `story`, except `failing`, which
 * fails with `code` (and so does any call `alsoFailing` matches). Records every call in order.
 */
export function arrange(aws: MockedAws, story: Story, failing?: { call: RecordedCall; code: string }, alsoFailing?: (call: RecordedCall) => boolean): RecordedCall[] {
  const log: RecordedCall[] = [];
  aws.reset();
  for (const service of ['ecr', 'ssm', 'kms'] as const) {
    // The raw send stub sees every command, including one this list has never heard of.
    const send = aws[service].send as unknown as { callsFake(fake: (command: { input: object }) => Promise<unknown>): void };
    send.callsFake(async (command) => {
      const call: RecordedCall = { service, command: command.constructor.name, input: command.input as Record<string, unknown> };
      log.push(call);
      if (failing && sameCall(call, failing.call)) throw awsError(failing.code, `${failing.code} simulated for ${call.command}`);
      if (alsoFailing?.(call)) throw awsError('ServerException', 'simulated');
      return answer(story, call);
    });
  }
  return log;
}

/** Sends the story's request to the real provider stack over the mocked clients. */
export async function runStory(aws: MockedAws, story: Story): Promise<{ outcome?: ResourceOutcome; error?: Error & { physicalResourceId?: string } }> {
  const clients = aws.clients();
  const handler = createRepositoryHandler({ observer: new AwsObserver(clients), runner: new AwsActionRunner(clients), logger: new RecordingLogger(), settings: () => SETTINGS });
  try {
    return { outcome: await handler(REQUESTS[story], givenExecutionContext()) };
  } catch (error) {
    return { error: error as Error & { physicalResourceId?: string } };
  }
}

/** The calls a successful run of `story` makes, read from a child process (see the module doc). */
export function recordSuccessfulCalls(story: Story): RecordedCall[] {
  const output = execFileSync(process.execPath, ['--require', 'tsx/cjs', join(__dirname, 'record-aws-calls.ts'), story], {
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return JSON.parse(output) as RecordedCall[];
}

/** What undoes a creating call during compensation, if it created something. */
export function undoOf(call: RecordedCall): { service: Service; command: string; input: Record<string, unknown> } | undefined {
  switch (`${call.service}.${call.command}`) {
    case 'kms.CreateKeyCommand':
      return { service: 'kms', command: 'ScheduleKeyDeletionCommand', input: { KeyId: KEY_ID } };
    case 'ecr.CreateRepositoryCommand':
      return { service: 'ecr', command: 'DeleteRepositoryCommand', input: { repositoryName: call.input.repositoryName, force: true } };
    case 'kms.CreateAliasCommand':
      return { service: 'kms', command: 'DeleteAliasCommand', input: { AliasName: call.input.AliasName } };
    case 'ssm.PutParameterCommand':
      return call.input.Tags ? { service: 'ssm', command: 'DeleteParametersCommand', input: { Names: [call.input.Name] } } : undefined;
    default:
      return undefined;
  }
}
