import 'aws-sdk-client-mock-jest';
import { AddTagsToResourceCommand, DeleteParametersCommand, PutParameterCommand, RemoveTagsFromResourceCommand } from '@aws-sdk/client-ssm';
import type { Action } from '../../../handler/src/core/model';
import { givenMockedRunner } from '../../helpers/aws-mocks';
import { awsError } from '../../helpers/fake-world';

const { aws, run } = givenMockedRunner();
const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/1234';

describe('AwsActionRunner SSM actions', () => {
  it('creates a String parameter with its tags and without overwriting when the action carries tags', async () => {
    await run({ kind: 'ssm.putParameter', name: 'ECR_API_arn', value: { text: 'arn:x' }, tags: { team: 'payments' } });
    expect(aws.ssm).toHaveReceivedCommandWith(PutParameterCommand, {
      Name: 'ECR_API_arn',
      Value: 'arn:x',
      Type: 'String',
      Overwrite: false,
      Tags: [{ Key: 'team', Value: 'payments' }],
    });
  });

  it('overwrites without tags when the action carries none (SSM refuses both together)', async () => {
    await run({ kind: 'ssm.putParameter', name: 'ECR_API_arn', value: { text: 'arn:y' } });
    const input = aws.ssm.commandCalls(PutParameterCommand)[0]?.args[0].input;
    expect(input).toEqual({ Name: 'ECR_API_arn', Value: 'arn:y', Overwrite: true });
  });

  it('writes the ARN of the key this plan created when the value refers to it', async () => {
    await run({ kind: 'ssm.putParameter', name: 'ECR_API_kms_key_arn', value: { createdKeyArn: true }, tags: {} }, KEY_ARN);
    expect(aws.ssm).toHaveReceivedCommandWith(PutParameterCommand, { Name: 'ECR_API_kms_key_arn', Value: KEY_ARN });
  });

  it('fails before calling SSM when the plan refers to a key it has not created', async () => {
    await expect(run({ kind: 'ssm.putParameter', name: 'ECR_API_kms_key_arn', value: { createdKeyArn: true }, tags: {} })).rejects.toThrow(
      'ssm.putParameter on ECR_API_kms_key_arn failed: Error: The plan refers to a created key before creating it',
    );
    expect(aws.ssm).not.toHaveReceivedAnyCommand();
  });

  it.each<[string, Action, unknown, object]>([
    ['addTagsToResource', { kind: 'ssm.addTagsToResource', name: 'P', tags: { a: '1' } }, AddTagsToResourceCommand, { ResourceType: 'Parameter', ResourceId: 'P', Tags: [{ Key: 'a', Value: '1' }] }],
    ['removeTagsFromResource', { kind: 'ssm.removeTagsFromResource', name: 'P', tagKeys: ['a'] }, RemoveTagsFromResourceCommand, { ResourceType: 'Parameter', ResourceId: 'P', TagKeys: ['a'] }],
    ['deleteParameters', { kind: 'ssm.deleteParameters', names: ['P', 'Q'] }, DeleteParametersCommand, { Names: ['P', 'Q'] }],
  ])('sends %s with the action’s input', async (_name, action, command, input) => {
    await run(action);
    expect(aws.ssm).toHaveReceivedCommandWith(command as typeof DeleteParametersCommand, input);
  });

  it.each<[string, Action, unknown]>([
    ['putParameter', { kind: 'ssm.putParameter', name: 'P', value: { text: 'v' } }, PutParameterCommand],
    ['addTagsToResource', { kind: 'ssm.addTagsToResource', name: 'P', tags: { a: '1' } }, AddTagsToResourceCommand],
    ['removeTagsFromResource', { kind: 'ssm.removeTagsFromResource', name: 'P', tagKeys: ['a'] }, RemoveTagsFromResourceCommand],
    ['deleteParameters', { kind: 'ssm.deleteParameters', names: ['P'] }, DeleteParametersCommand],
  ])('retries %s when SSM answers TooManyUpdates', async (_name, action, command) => {
    aws.ssm.on(command as typeof PutParameterCommand).rejectsOnce(awsError('TooManyUpdates')).resolves({});
    await run(action);
    expect(aws.ssm).toHaveReceivedCommandTimes(command as typeof PutParameterCommand, 2);
  });

  it('fails after a bounded number of attempts when SSM keeps answering TooManyUpdates', async () => {
    aws.ssm.on(PutParameterCommand).rejects(awsError('TooManyUpdates'));
    await expect(run({ kind: 'ssm.putParameter', name: 'P', value: { text: 'v' } })).rejects.toThrow('ssm.putParameter on P failed: TooManyUpdates');
    expect(aws.ssm).toHaveReceivedCommandTimes(PutParameterCommand, 6);
  });

  it('succeeds when deleting parameters that do not exist (SSM lists them as invalid instead of failing)', async () => {
    aws.ssm.on(DeleteParametersCommand).resolves({ DeletedParameters: [], InvalidParameters: ['P'] });
    await expect(run({ kind: 'ssm.deleteParameters', names: ['P'] })).resolves.toBeUndefined();
  });

  it('fails with AwsCallError naming the action, the parameter and the code when SSM refuses', async () => {
    aws.ssm.on(PutParameterCommand).rejects(awsError('ParameterAlreadyExists', 'The parameter already exists.'));
    await expect(run({ kind: 'ssm.putParameter', name: 'ECR_API_arn', value: { text: 'v' }, tags: {} })).rejects.toMatchObject({
      name: 'AwsCallError',
      message: 'ssm.putParameter on ECR_API_arn failed: ParameterAlreadyExists: The parameter already exists.',
      code: 'ParameterAlreadyExists',
    });
  });
});
