import 'aws-sdk-client-mock-jest';
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  KMSClient,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { keyIdOf } from '../../../handler/src/adapters/clients';
import { AwsCallError, isUncertain } from '../../../handler/src/errors';
import type { Action } from '../../../handler/src/core/model';
import { givenMockedRunner } from '../../helpers/aws-mocks';
import { awsError } from '../../helpers/fake-world';

const { aws, run } = givenMockedRunner();
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:eu-west-1:111111111111:key/${KEY_ID}`;

describe('AwsActionRunner KMS actions', () => {
  it('creates a symmetric key with its policy and tags and returns its ARN', async () => {
    aws.kms.on(CreateKeyCommand).resolves({ KeyMetadata: { KeyId: KEY_ID, Arn: KEY_ARN } });
    const result = await run({ kind: 'kms.createKey', description: 'Encrypts r', policy: '{"Statement":[]}', tags: { team: 'payments' } });
    expect(result).toEqual({ keyArn: KEY_ARN });
    expect(aws.kms).toHaveReceivedCommandWith(CreateKeyCommand, {
      Description: 'Encrypts r',
      Policy: '{"Statement":[]}',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      Tags: [{ TagKey: 'team', TagValue: 'payments' }],
    });
  });

  it('watches the CreateKey\'s attempts inside the SDK\'s retries, adding no call (unanswered.test.ts counts them)', async () => {
    aws.kms.on(CreateKeyCommand).resolves({ KeyMetadata: { KeyId: KEY_ID, Arn: KEY_ARN } });
    const result = await run({ kind: 'kms.createKey', description: 'd', policy: '{}', tags: {} });
    expect(result).toEqual({ keyArn: KEY_ARN });
    const [call] = aws.kms.commandCalls(CreateKeyCommand);
    const stack = new KMSClient({ region: 'eu-west-1' }).middlewareStack.concat((call!.args[0] as CreateKeyCommand).middlewareStack).identify();
    const position = (name: string) => stack.findIndex((entry) => entry.startsWith(name));
    expect(position('orgEcrCountUnansweredAttempts')).toBeGreaterThan(position('retryMiddleware'));
    expect(position('retryMiddleware')).toBeGreaterThanOrEqual(0);
    expect(aws.kms.calls()).toHaveLength(1);
  });

  it('fails as certain when every CreateKey attempt was answered with a refusal', async () => {
    aws.kms.on(CreateKeyCommand).rejects(Object.assign(new Error('quota'), { name: 'LimitExceededException', $metadata: { httpStatusCode: 400 } }));
    const error = await run({ kind: 'kms.createKey', description: 'd', policy: '{}', tags: {} }).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ name: 'AwsCallError', action: 'kms.createKey', mayHaveTakenEffect: false });
    expect(isUncertain(error)).toBe(false);
  });

  it('treats a refusal as uncertain when an earlier attempt of the call went unanswered', () => {
    const refusal = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    expect(isUncertain(new AwsCallError('kms.createKey', 'new key', refusal))).toBe(false);
    expect(isUncertain(new AwsCallError('kms.createKey', 'new key', refusal, true))).toBe(true);
  });

  it('fails naming the action when CreateKey returns no ARN', async () => {
    aws.kms.on(CreateKeyCommand).resolves({});
    await expect(run({ kind: 'kms.createKey', description: 'd', policy: '{}', tags: {} })).rejects.toThrow('kms.createKey on new key failed: Error: CreateKey returned no key ARN');
  });

  it.each<[string, Action, unknown, object]>([
    ['enableKeyRotation', { kind: 'kms.enableKeyRotation', key: { arn: KEY_ARN } }, EnableKeyRotationCommand, { KeyId: KEY_ID }],
    ['disableKeyRotation', { kind: 'kms.disableKeyRotation', key: { arn: KEY_ARN } }, DisableKeyRotationCommand, { KeyId: KEY_ID }],
    ['createAlias', { kind: 'kms.createAlias', aliasName: 'alias/r', key: { arn: KEY_ARN } }, CreateAliasCommand, { AliasName: 'alias/r', TargetKeyId: KEY_ID }],
    ['updateAlias', { kind: 'kms.updateAlias', aliasName: 'alias/r', keyArn: KEY_ARN }, UpdateAliasCommand, { AliasName: 'alias/r', TargetKeyId: KEY_ID }],
    ['deleteAlias', { kind: 'kms.deleteAlias', aliasName: 'alias/r' }, DeleteAliasCommand, { AliasName: 'alias/r' }],
    ['putKeyPolicy', { kind: 'kms.putKeyPolicy', keyArn: KEY_ARN, policy: '{}' }, PutKeyPolicyCommand, { KeyId: KEY_ID, PolicyName: 'default', Policy: '{}' }],
    ['cancelKeyDeletion', { kind: 'kms.cancelKeyDeletion', keyArn: KEY_ARN }, CancelKeyDeletionCommand, { KeyId: KEY_ID }],
    ['enableKey', { kind: 'kms.enableKey', keyArn: KEY_ARN }, EnableKeyCommand, { KeyId: KEY_ID }],
    ['tagResource', { kind: 'kms.tagResource', keyArn: KEY_ARN, tags: { a: '1' } }, TagResourceCommand, { KeyId: KEY_ID, Tags: [{ TagKey: 'a', TagValue: '1' }] }],
    ['untagResource', { kind: 'kms.untagResource', keyArn: KEY_ARN, tagKeys: ['a'] }, UntagResourceCommand, { KeyId: KEY_ID, TagKeys: ['a'] }],
    ['scheduleKeyDeletion', { kind: 'kms.scheduleKeyDeletion', keyArn: KEY_ARN, pendingWindowInDays: 7 }, ScheduleKeyDeletionCommand, { KeyId: KEY_ID, PendingWindowInDays: 7 }],
  ])('sends %s with the key id', async (_name, action, command, input) => {
    await run(action);
    expect(aws.kms).toHaveReceivedCommandWith(command as typeof EnableKeyCommand, input);
  });

  it('resolves the key this plan created when the action refers to it', async () => {
    await run({ kind: 'kms.createAlias', aliasName: 'alias/r', key: { created: true } }, KEY_ARN);
    expect(aws.kms).toHaveReceivedCommandWith(CreateAliasCommand, { AliasName: 'alias/r', TargetKeyId: KEY_ID });
  });

  it('retries NotFoundException on a key this plan just created', async () => {
    aws.kms.on(EnableKeyRotationCommand).rejectsOnce(awsError('NotFoundException')).resolves({});
    await run({ kind: 'kms.enableKeyRotation', key: { created: true } }, KEY_ARN);
    expect(aws.kms).toHaveReceivedCommandTimes(EnableKeyRotationCommand, 2);
  });

  it('fails at once on NotFoundException for a key that already existed', async () => {
    aws.kms.on(EnableKeyRotationCommand).rejects(awsError('NotFoundException'));
    await expect(run({ kind: 'kms.enableKeyRotation', key: { arn: KEY_ARN } })).rejects.toThrow(`kms.enableKeyRotation on ${KEY_ARN} failed: NotFoundException`);
    expect(aws.kms).toHaveReceivedCommandTimes(EnableKeyRotationCommand, 1);
  });

  it.each(['KMSInvalidStateException', 'NotFoundException'])('treats scheduleKeyDeletion answering %s as done', async (code) => {
    aws.kms.on(ScheduleKeyDeletionCommand).rejects(awsError(code));
    await expect(run({ kind: 'kms.scheduleKeyDeletion', keyArn: KEY_ARN, pendingWindowInDays: 30 })).resolves.toBeUndefined();
  });

  it('treats deleteAlias answering NotFoundException as done', async () => {
    aws.kms.on(DeleteAliasCommand).rejects(awsError('NotFoundException'));
    await expect(run({ kind: 'kms.deleteAlias', aliasName: 'alias/r' })).resolves.toBeUndefined();
  });

  it('fails with AwsCallError naming the action, the key and the code when KMS refuses', async () => {
    aws.kms.on(ScheduleKeyDeletionCommand).rejects(awsError('AccessDeniedException', 'not allowed'));
    await expect(run({ kind: 'kms.scheduleKeyDeletion', keyArn: KEY_ARN, pendingWindowInDays: 30 })).rejects.toMatchObject({
      message: `kms.scheduleKeyDeletion on ${KEY_ARN} failed: AccessDeniedException: not allowed`,
      code: 'AccessDeniedException',
    });
  });
});

describe('keyIdOf', () => {
  it.each([
    [KEY_ARN, KEY_ID],
    [KEY_ID, KEY_ID],
    ['alias/r', 'alias/r'],
  ])('reads the key id from %s', (input, id) => {
    expect(keyIdOf(input)).toBe(id);
  });
});
