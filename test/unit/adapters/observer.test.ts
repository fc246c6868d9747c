import 'aws-sdk-client-mock-jest';
import { DescribeRepositoriesCommand, GetLifecyclePolicyCommand, GetRepositoryPolicyCommand, ListTagsForResourceCommand } from '@aws-sdk/client-ecr';
import { DescribeKeyCommand, type KeyState, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { GetParametersCommand, ListTagsForResourceCommand as ListParameterTagsCommand } from '@aws-sdk/client-ssm';
import { AwsObserver } from '../../../handler/src/adapters/observer';
import type { ObservationQuery } from '../../../handler/src/provider/provider';
import { givenMockedAws } from '../../helpers/aws-mocks';
import { awsError } from '../../helpers/fake-world';
import { NEVER } from '../../helpers/given';

const aws = givenMockedAws();
const NAME = 'acme-shop-api';
const ARN = `arn:aws:ecr:eu-west-1:111111111111:repository/${NAME}`;
const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/k-1';
const OTHER_KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/k-2';
const QUERY: ObservationQuery = { repositoryName: NAME, repositoryArn: ARN, aliasName: 'alias/acme-shop-api', parameterNames: ['ECR_API_arn', 'ECR_API_name'], includeKey: true };
const observe = (query: ObservationQuery = QUERY) => new AwsObserver(aws.clients()).observe(query, NEVER);

function givenRepository(kmsKey?: string): void {
  aws.ecr.on(DescribeRepositoriesCommand).resolves({
    repositories: [
      {
        repositoryName: NAME,
        repositoryArn: ARN,
        repositoryUri: `111111111111.dkr.ecr.eu-west-1.amazonaws.com/${NAME}`,
        encryptionConfiguration: kmsKey ? { encryptionType: 'KMS', kmsKey } : { encryptionType: 'AES256' },
        imageScanningConfiguration: { scanOnPush: true },
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest' }],
      },
    ],
  });
  aws.ecr.on(ListTagsForResourceCommand).resolves({ tags: [{ Key: 'team', Value: 'payments' }] });
  aws.ecr.on(GetLifecyclePolicyCommand).resolves({ lifecyclePolicyText: '{"rules":[]}' });
  aws.ecr.on(GetRepositoryPolicyCommand).resolves({ policyText: '{"Statement":[]}' });
}

function givenAliasOn(keyArn: string, state: KeyState = 'Enabled'): void {
  aws.kms.on(DescribeKeyCommand, { KeyId: QUERY.aliasName }).resolves({ KeyMetadata: { KeyId: keyArn.split('/')[1], Arn: keyArn, KeyState: state } });
}

function givenNothing(): void {
  aws.ecr.on(DescribeRepositoriesCommand).rejects(awsError('RepositoryNotFoundException'));
  aws.ecr.on(ListTagsForResourceCommand).rejects(awsError('RepositoryNotFoundException'));
  aws.ecr.on(GetLifecyclePolicyCommand).rejects(awsError('RepositoryNotFoundException'));
  aws.ecr.on(GetRepositoryPolicyCommand).rejects(awsError('RepositoryNotFoundException'));
  aws.kms.on(DescribeKeyCommand).rejects(awsError('NotFoundException'));
  aws.ssm.on(GetParametersCommand).resolves({ Parameters: [], InvalidParameters: QUERY.parameterNames as string[] });
  aws.ssm.on(ListParameterTagsCommand).rejects(awsError('InvalidResourceId'));
}

beforeEach(() => {
  aws.reset();
  jest.spyOn(Math, 'random').mockReturnValue(0);
});
afterEach(() => jest.restoreAllMocks());
afterAll(() => aws.restore());

describe('AwsObserver', () => {
  it('reads the repository, its policies, the alias’s key and the parameters in one round when all exist', async () => {
    // GIVEN a repository encrypted with the key its alias names, and both parameters
    givenRepository(KEY_ARN);
    givenAliasOn(KEY_ARN);
    aws.ssm.on(GetParametersCommand).resolves({ Parameters: [{ Name: 'ECR_API_arn', Value: ARN }, { Name: 'ECR_API_name', Value: NAME }] });
    aws.ssm.on(ListParameterTagsCommand).resolves({ TagList: [{ Key: 'org-ecr:repository', Value: NAME }] });

    // WHEN observing
    const actual = await observe();

    // THEN everything is in the model; the key's tags are not read (the repository vouches for it)
    expect(actual).toEqual({
      repository: {
        name: NAME,
        arn: ARN,
        uri: `111111111111.dkr.ecr.eu-west-1.amazonaws.com/${NAME}`,
        encryptionType: 'KMS',
        kmsKeyArn: KEY_ARN,
        scanOnPush: true,
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        exclusionFilters: ['latest'],
        tags: { team: 'payments' },
        lifecyclePolicy: '{"rules":[]}',
        repositoryPolicy: '{"Statement":[]}',
      },
      aliasKey: { keyId: 'k-1', arn: KEY_ARN, state: 'Enabled' },
      parameters: {
        ECR_API_arn: { name: 'ECR_API_arn', value: ARN, tags: { 'org-ecr:repository': NAME } },
        ECR_API_name: { name: 'ECR_API_name', value: NAME, tags: { 'org-ecr:repository': NAME } },
      },
    });
    expect(aws.kms).toHaveReceivedCommandTimes(DescribeKeyCommand, 1);
    expect(aws.kms).not.toHaveReceivedCommand(ListResourceTagsCommand);
    expect(aws.ecr).toHaveReceivedCommandWith(ListTagsForResourceCommand, { resourceArn: ARN });
    expect(aws.ssm).toHaveReceivedCommandWith(ListParameterTagsCommand, { ResourceType: 'Parameter', ResourceId: 'ECR_API_name' });
  });

  it('turns every not-found answer into an absent field when nothing exists', async () => {
    givenNothing();
    await expect(observe()).resolves.toEqual({ parameters: {} });
  });

  it('reports no lifecycle or repository policy when ECR says none is set', async () => {
    givenRepository();
    aws.ecr.on(GetLifecyclePolicyCommand).rejects(awsError('LifecyclePolicyNotFoundException'));
    aws.ecr.on(GetRepositoryPolicyCommand).rejects(awsError('RepositoryPolicyNotFoundException'));
    const actual = await observe({ ...QUERY, includeKey: false, parameterNames: [] });
    expect(actual.repository).toMatchObject({ encryptionType: 'AES256', lifecyclePolicy: null, repositoryPolicy: null });
  });

  it('skips reading the policies when the caller does not need them (Delete)', async () => {
    // GIVEN a repository of ours
    givenRepository();
    // WHEN observed without policies
    const actual = await observe({ ...QUERY, includeKey: false, parameterNames: [], includePolicies: false });
    // THEN only the repository and its tags are read
    expect(actual.repository?.name).toBe(NAME);
    expect(aws.ecr).not.toHaveReceivedCommand(GetLifecyclePolicyCommand);
    expect(aws.ecr).not.toHaveReceivedCommand(GetRepositoryPolicyCommand);
    expect(aws.ecr).toHaveReceivedCommand(ListTagsForResourceCommand);
  });

  it('never loads KMS and never calls SSM when no key and no parameter is asked for', async () => {
    givenRepository();
    const kms = jest.fn();
    const actual = await new AwsObserver({ ...aws.clients(), kms }).observe({ ...QUERY, includeKey: false, parameterNames: [] }, NEVER);
    expect(actual.aliasKey).toBeUndefined();
    expect(kms).not.toHaveBeenCalled();
    expect(aws.ssm).not.toHaveReceivedAnyCommand();
  });

  it('reads the alias key’s tags in a second round when the repository is absent', async () => {
    givenNothing();
    givenAliasOn(KEY_ARN, 'PendingDeletion');
    aws.kms.on(ListResourceTagsCommand).resolves({ Tags: [{ TagKey: 'org-ecr:repository', TagValue: NAME }] });

    const actual = await observe();

    expect(actual.aliasKey).toEqual({ keyId: 'k-1', arn: KEY_ARN, state: 'PendingDeletion', tags: { 'org-ecr:repository': NAME } });
    expect(aws.kms).toHaveReceivedCommandWith(ListResourceTagsCommand, { KeyId: 'k-1', Limit: 50 });
  });

  it('reads both keys with their tags when the alias and the repository disagree about the key', async () => {
    // GIVEN the alias names another key than the repository's
    givenRepository(KEY_ARN);
    givenAliasOn(OTHER_KEY_ARN);
    aws.kms.on(DescribeKeyCommand, { KeyId: KEY_ARN }).resolves({ KeyMetadata: { KeyId: 'k-1', Arn: KEY_ARN, KeyState: 'Disabled' } });
    aws.kms.on(ListResourceTagsCommand, { KeyId: 'k-1' }).resolves({ Tags: [{ TagKey: 'who', TagValue: 'repository key' }] });
    aws.kms.on(ListResourceTagsCommand, { KeyId: 'k-2' }).resolves({ Tags: [{ TagKey: 'who', TagValue: 'alias key' }] });
    aws.ssm.on(GetParametersCommand).resolves({ Parameters: [] });

    // WHEN observing
    const actual = await observe();

    // THEN both keys are known, each with its own tags
    expect(actual.aliasKey).toEqual({ keyId: 'k-2', arn: OTHER_KEY_ARN, state: 'Enabled', tags: { who: 'alias key' } });
    expect(actual.repositoryKey).toEqual({ keyId: 'k-1', arn: KEY_ARN, state: 'Disabled', tags: { who: 'repository key' } });
  });

  it('retries reading a parameter’s tags when SSM answers TooManyUpdates', async () => {
    givenNothing();
    aws.ssm.on(GetParametersCommand).resolves({ Parameters: [{ Name: 'ECR_API_arn', Value: ARN }] });
    aws.ssm.on(ListParameterTagsCommand, { ResourceId: 'ECR_API_arn' }).rejectsOnce(awsError('TooManyUpdates')).resolves({ TagList: [] });
    const actual = await observe();
    expect(actual.parameters).toEqual({ ECR_API_arn: { name: 'ECR_API_arn', value: ARN, tags: {} } });
  });

  it.each<[string, () => void, string]>([
    ['ecr.describeRepositories', () => aws.ecr.on(DescribeRepositoriesCommand).rejects(awsError('AccessDeniedException')), `ecr.describeRepositories on ${NAME} failed: AccessDeniedException`],
    ['ecr.listTagsForResource', () => aws.ecr.on(ListTagsForResourceCommand).rejects(awsError('ServerException')), `ecr.listTagsForResource on ${NAME} failed: ServerException`],
    ['kms.describeKey', () => aws.kms.on(DescribeKeyCommand).rejects(awsError('KMSInternalException')), 'kms.describeKey on alias/acme-shop-api failed: KMSInternalException'],
    ['ssm.getParameters', () => aws.ssm.on(GetParametersCommand).rejects(awsError('AccessDeniedException')), 'ssm.getParameters on ECR_API_arn,ECR_API_name failed: AccessDeniedException'],
  ])('fails naming %s, the resource and the code when a read fails otherwise', async (_read, arrange, message) => {
    givenNothing();
    arrange();
    await expect(observe()).rejects.toThrow(message);
  });
});
