import 'aws-sdk-client-mock-jest';
import { DescribeRepositoriesCommand, GetLifecyclePolicyCommand, GetRepositoryPolicyCommand, ListTagsForResourceCommand } from '@aws-sdk/client-ecr';
import { DescribeKeyCommand, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { DescribeParametersCommand, GetParametersCommand, ListTagsForResourceCommand as ListParameterTagsCommand } from '@aws-sdk/client-ssm';
import { AwsObserver } from '../../../handler/src/adapters/observer';
import type { ObservationQuery } from '../../../handler/src/provider/provider';
import { givenMockedAws } from '../../helpers/aws-mocks';
import { awsError } from '../../helpers/fake-world';
import { givenOwner, NEVER } from '../../helpers/given';

const aws = givenMockedAws();
const NAME = 'acme-shop-api';
const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/k-1';
const owner = givenOwner();
const QUERY: ObservationQuery = {
  repositoryName: NAME,
  repositoryArn: `arn:aws:ecr:eu-west-1:111111111111:repository/${NAME}`,
  aliasName: `alias/${NAME}`,
  parameterNames: ['ECR_API_arn', 'ECR_API_name', 'ECR_API_kms_key_arn'],
  includeKey: true,
  ownedParametersOf: { owner, repositoryName: NAME },
  keyParameterName: 'ECR_API_kms_key_arn',
};
const observe = (query: ObservationQuery = QUERY) => new AwsObserver(aws.clients()).observe(query, NEVER);

/** The repository and its alias deleted by hand; only the key parameter is left. */
function givenOnlyTheKeyParameter(): void {
  aws.ecr.on(DescribeRepositoriesCommand).rejects(awsError('RepositoryNotFoundException'));
  aws.ecr.on(ListTagsForResourceCommand).rejects(awsError('RepositoryNotFoundException'));
  aws.ecr.on(GetLifecyclePolicyCommand).rejects(awsError('RepositoryNotFoundException'));
  aws.ecr.on(GetRepositoryPolicyCommand).rejects(awsError('RepositoryNotFoundException'));
  aws.kms.on(DescribeKeyCommand).rejects(awsError('NotFoundException'));
  aws.kms.on(DescribeKeyCommand, { KeyId: KEY_ARN }).resolves({ KeyMetadata: { KeyId: 'k-1', Arn: KEY_ARN, KeyState: 'Enabled' } });
  aws.kms.on(ListResourceTagsCommand).resolves({ Tags: [{ TagKey: 'org-ecr:repository', TagValue: NAME }] });
  aws.ssm.on(GetParametersCommand).resolves({ Parameters: [{ Name: 'ECR_API_kms_key_arn', Value: KEY_ARN }] });
  aws.ssm.on(ListParameterTagsCommand).resolves({ TagList: [] });
  aws.ssm.on(DescribeParametersCommand).resolves({ Parameters: [] });
}

beforeEach(() => {
  aws.reset();
  jest.spyOn(Math, 'random').mockReturnValue(0);
});
afterEach(() => jest.restoreAllMocks());
afterAll(() => aws.restore());

describe('AwsObserver, for what this resource made under other names', () => {
  it('lists the parameters by all three ownership tags, page after page', async () => {
    givenOnlyTheKeyParameter();
    aws.ssm
      .on(DescribeParametersCommand)
      .resolvesOnce({ Parameters: [{ Name: '/old/ECR_API_name' }], NextToken: 't1' })
      .resolvesOnce({ Parameters: [{ Name: '/old/ECR_API_arn' }] });

    const actual = await observe();

    expect(actual.ownedParameterNames).toEqual(['/old/ECR_API_arn', '/old/ECR_API_name']);
    expect(aws.ssm).toHaveReceivedCommandWith(DescribeParametersCommand, {
      ParameterFilters: [
        { Key: 'tag:org-ecr:stack-id', Option: 'Equals', Values: [owner.stackId] },
        { Key: 'tag:org-ecr:logical-id', Option: 'Equals', Values: [owner.logicalId] },
        { Key: 'tag:org-ecr:repository', Option: 'Equals', Values: [NAME] },
      ],
    });
    expect(aws.ssm.commandCalls(DescribeParametersCommand).map((call) => call.args[0].input.NextToken)).toEqual([undefined, 't1']);
  });

  it('does not list parameters unless asked', async () => {
    givenOnlyTheKeyParameter();
    const { ownedParametersOf: _unasked, ...query } = QUERY;
    await observe(query);
    expect(aws.ssm).not.toHaveReceivedCommand(DescribeParametersCommand);
  });

  it('reads the key the key parameter names, with its tags, when neither the repository nor the alias names one', async () => {
    givenOnlyTheKeyParameter();
    const actual = await observe();
    expect(actual.parameterKey).toEqual({ keyId: 'k-1', arn: KEY_ARN, state: 'Enabled', tags: { 'org-ecr:repository': NAME } });
  });

  it('does not read the key parameter’s key while the alias names a key', async () => {
    givenOnlyTheKeyParameter();
    aws.kms.on(DescribeKeyCommand, { KeyId: QUERY.aliasName }).resolves({ KeyMetadata: { KeyId: 'k-2', Arn: `${KEY_ARN}2`, KeyState: 'Enabled' } });
    const actual = await observe();
    expect(actual.parameterKey).toBeUndefined();
    expect(aws.kms).not.toHaveReceivedCommandWith(DescribeKeyCommand, { KeyId: KEY_ARN });
  });
});
