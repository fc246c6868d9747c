import 'aws-sdk-client-mock-jest';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { lazy } from '../../../handler/src/adapters/clients';
import { AwsStackTagReader } from '../../../handler/src/adapters/stack-tags';
import { AwsCallError } from '../../../handler/src/errors';
import { NEVER, STACK_ID } from '../../helpers/given';

const cloudFormation = mockClient(CloudFormationClient);
afterAll(() => cloudFormation.restore());
beforeEach(() => cloudFormation.reset());

function givenReader() {
  let loads = 0;
  const reader = new AwsStackTagReader(
    lazy(async () => {
      loads++;
      return { client: new CloudFormationClient({ region: 'eu-west-1' }), sdk: await import('../../../handler/src/adapters/cloudformation-client') };
    }),
  );
  return { reader, loads: () => loads };
}

describe('AwsStackTagReader', () => {
  it('reads the tags of the stack named by its StackId, loading the client once', async () => {
    // GIVEN a stack with two tags
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'app', StackId: STACK_ID, CreationTime: new Date(), StackStatus: 'CREATE_IN_PROGRESS', Tags: [{ Key: 'application', Value: 'shop' }, { Key: 'stage', Value: 'prod' }] }],
    });
    const { reader, loads } = givenReader();
    // WHEN it is read twice
    const first = await reader.read(STACK_ID, NEVER);
    await reader.read(STACK_ID, NEVER);
    // THEN the tags come back as a map, from DescribeStacks on the StackId, with one client
    expect(first).toEqual({ application: 'shop', stage: 'prod' });
    expect(cloudFormation).toHaveReceivedCommandWith(DescribeStacksCommand, { StackName: STACK_ID });
    expect(loads()).toBe(1);
  });

  it('answers no tags for a stack without any', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'app', CreationTime: new Date(), StackStatus: 'CREATE_IN_PROGRESS' }] });
    await expect(givenReader().reader.read(STACK_ID, NEVER)).resolves.toEqual({});
  });

  it('answers no tags for a stack that does not exist', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(Object.assign(new Error(`Stack with id ${STACK_ID} does not exist`), { name: 'ValidationError' }));
    await expect(givenReader().reader.read(STACK_ID, NEVER)).resolves.toEqual({});
  });

  it('fails with an AwsCallError naming the call, the stack and the AWS code when DescribeStacks is denied', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(Object.assign(new Error('not authorized to perform: cloudformation:DescribeStacks'), { name: 'AccessDenied' }));
    const error = await givenReader().reader.read(STACK_ID, NEVER).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).message).toBe(`cloudformation.describeStacks on ${STACK_ID} failed: AccessDenied: not authorized to perform: cloudformation:DescribeStacks`);
  });
});
