import 'aws-sdk-client-mock-jest';
import {
  CreateRepositoryCommand,
  DeleteLifecyclePolicyCommand,
  DeleteRepositoryCommand,
  DeleteRepositoryPolicyCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
  SetRepositoryPolicyCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-ecr';
import type { Action } from '../../../handler/src/core/model';
import { AwsCallError } from '../../../handler/src/errors';
import { givenMockedRunner } from '../../helpers/aws-mocks';
import { awsError } from '../../helpers/fake-world';

const { aws, run } = givenMockedRunner();
const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/1234';
const REPOSITORY_ARN = 'arn:aws:ecr:eu-west-1:111111111111:repository/acme-shop-api';

describe('AwsActionRunner ECR actions', () => {
  it('creates the repository with scan on push, AES256 and its tags when there is no key', async () => {
    await run({ kind: 'ecr.createRepository', repositoryName: 'acme-shop-api', tags: { team: 'payments', 'org-ecr:logical-id': 'Repo' } });
    expect(aws.ecr).toHaveReceivedCommandWith(CreateRepositoryCommand, {
      repositoryName: 'acme-shop-api',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'AES256' },
      tags: [
        { Key: 'team', Value: 'payments' },
        { Key: 'org-ecr:logical-id', Value: 'Repo' },
      ],
    });
  });

  it('creates the repository with its tag mutability and wildcard exclusion filters in the same call', async () => {
    await run({ kind: 'ecr.createRepository', repositoryName: 'r', tags: {}, imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: ['latest', 'dev-*'] });
    expect(aws.ecr).toHaveReceivedCommandWith(CreateRepositoryCommand, {
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [
        { filterType: 'WILDCARD', filter: 'latest' },
        { filterType: 'WILDCARD', filter: 'dev-*' },
      ],
    });
  });

  it('sends no exclusion filters with IMMUTABLE (ECR takes them only with an exclusion mutability)', async () => {
    await run({ kind: 'ecr.createRepository', repositoryName: 'r', tags: {}, imageTagMutability: 'IMMUTABLE', exclusionFilters: [] });
    const input = aws.ecr.commandCalls(CreateRepositoryCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ imageTagMutability: 'IMMUTABLE' });
    expect(input).not.toHaveProperty('imageTagMutabilityExclusionFilters');
  });

  it('creates the repository with KMS and the key this plan created when the key is a reference', async () => {
    await run({ kind: 'ecr.createRepository', repositoryName: 'acme-shop-api', key: { created: true }, tags: {} }, KEY_ARN);
    expect(aws.ecr).toHaveReceivedCommandWith(CreateRepositoryCommand, { encryptionConfiguration: { encryptionType: 'KMS', kmsKey: KEY_ARN } });
  });

  it('retries KmsException when the key was just created (KMS is eventually consistent)', async () => {
    aws.ecr.on(CreateRepositoryCommand).rejectsOnce(awsError('KmsException')).rejectsOnce(awsError('KmsException')).resolves({});
    await run({ kind: 'ecr.createRepository', repositoryName: 'acme-shop-api', key: { created: true }, tags: {} }, KEY_ARN);
    expect(aws.ecr).toHaveReceivedCommandTimes(CreateRepositoryCommand, 3);
  });

  it('fails at once on KmsException when the key already existed', async () => {
    aws.ecr.on(CreateRepositoryCommand).rejects(awsError('KmsException'));
    await expect(run({ kind: 'ecr.createRepository', repositoryName: 'acme-shop-api', key: { arn: KEY_ARN }, tags: {} })).rejects.toThrow(AwsCallError);
    expect(aws.ecr).toHaveReceivedCommandTimes(CreateRepositoryCommand, 1);
  });

  it.each<[string, Action, unknown, object]>([
    ['putImageScanningConfiguration', { kind: 'ecr.putImageScanningConfiguration', repositoryName: 'r' }, PutImageScanningConfigurationCommand, { repositoryName: 'r', imageScanningConfiguration: { scanOnPush: true } }],
    ['putImageTagMutability', { kind: 'ecr.putImageTagMutability', repositoryName: 'r', imageTagMutability: 'MUTABLE', exclusionFilters: [] }, PutImageTagMutabilityCommand, { repositoryName: 'r', imageTagMutability: 'MUTABLE' }],
    [
      'putImageTagMutability with filters',
      { kind: 'ecr.putImageTagMutability', repositoryName: 'r', imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: ['latest'] },
      PutImageTagMutabilityCommand,
      { repositoryName: 'r', imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest' }] },
    ],
    ['putLifecyclePolicy', { kind: 'ecr.putLifecyclePolicy', repositoryName: 'r', policy: '{"rules":[]}' }, PutLifecyclePolicyCommand, { repositoryName: 'r', lifecyclePolicyText: '{"rules":[]}' }],
    ['deleteLifecyclePolicy', { kind: 'ecr.deleteLifecyclePolicy', repositoryName: 'r' }, DeleteLifecyclePolicyCommand, { repositoryName: 'r' }],
    ['setRepositoryPolicy', { kind: 'ecr.setRepositoryPolicy', repositoryName: 'r', policy: '{}' }, SetRepositoryPolicyCommand, { repositoryName: 'r', policyText: '{}' }],
    ['deleteRepositoryPolicy', { kind: 'ecr.deleteRepositoryPolicy', repositoryName: 'r' }, DeleteRepositoryPolicyCommand, { repositoryName: 'r' }],
    ['tagResource', { kind: 'ecr.tagResource', repositoryArn: REPOSITORY_ARN, tags: { a: '1' } }, TagResourceCommand, { resourceArn: REPOSITORY_ARN, tags: [{ Key: 'a', Value: '1' }] }],
    ['untagResource', { kind: 'ecr.untagResource', repositoryArn: REPOSITORY_ARN, tagKeys: ['a'] }, UntagResourceCommand, { resourceArn: REPOSITORY_ARN, tagKeys: ['a'] }],
    ['deleteRepository', { kind: 'ecr.deleteRepository', repositoryName: 'r' }, DeleteRepositoryCommand, { repositoryName: 'r', force: true }],
  ])('sends %s with the action’s input', async (_name, action, command, input) => {
    await run(action);
    expect(aws.ecr).toHaveReceivedCommandWith(command as typeof TagResourceCommand, input);
  });

  it.each<[string, string, unknown]>([
    ['ecr.deleteRepository', 'RepositoryNotFoundException', DeleteRepositoryCommand],
    ['ecr.deleteLifecyclePolicy', 'LifecyclePolicyNotFoundException', DeleteLifecyclePolicyCommand],
    ['ecr.deleteLifecyclePolicy', 'RepositoryNotFoundException', DeleteLifecyclePolicyCommand],
    ['ecr.deleteRepositoryPolicy', 'RepositoryPolicyNotFoundException', DeleteRepositoryPolicyCommand],
  ])('treats %s answering %s as done', async (kind, code, command) => {
    aws.ecr.on(command as typeof DeleteRepositoryCommand).rejects(awsError(code));
    await expect(run({ kind, repositoryName: 'r' } as Action)).resolves.toBeUndefined();
  });

  it('fails with AwsCallError naming the action, the resource and the SDK code when ECR refuses', async () => {
    // GIVEN ECR denies the lifecycle policy
    const cause = awsError('AccessDeniedException', 'User is not authorized to perform ecr:PutLifecyclePolicy');
    aws.ecr.on(PutLifecyclePolicyCommand).rejects(cause);

    // WHEN the action runs
    const failure = run({ kind: 'ecr.putLifecyclePolicy', repositoryName: 'acme-shop-api', policy: '{}' });

    // THEN the error says which call on what failed and why, and keeps the SDK error
    await expect(failure).rejects.toThrow(
      'ecr.putLifecyclePolicy on acme-shop-api failed: AccessDeniedException: User is not authorized to perform ecr:PutLifecyclePolicy',
    );
    await expect(failure).rejects.toMatchObject({ name: 'AwsCallError', action: 'ecr.putLifecyclePolicy', resource: 'acme-shop-api', code: 'AccessDeniedException', cause });
  });

  it('fails naming the action when a delete meets another error', async () => {
    aws.ecr.on(DeleteRepositoryCommand).rejects(awsError('RepositoryNotEmptyException'));
    await expect(run({ kind: 'ecr.deleteRepository', repositoryName: 'r' })).rejects.toThrow('ecr.deleteRepository on r failed: RepositoryNotEmptyException');
  });
});
