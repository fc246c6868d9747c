import 'aws-sdk-client-mock-jest';
import { DescribeKeyCommand, ListKeysCommand, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { AwsKeyFinder } from '../../../handler/src/adapters/key-finder';
import { givenMockedAws } from '../../helpers/aws-mocks';
import { NEVER } from '../../helpers/given';

const aws = givenMockedAws();
afterEach(() => aws.reset());
afterAll(() => aws.restore());

const arn = (id: string) => `arn:aws:kms:eu-west-1:111111111111:key/${id}`;

describe('AwsKeyFinder', () => {
  it('lists every page of keys and returns those whose description contains the text, with their tags', async () => {
    // GIVEN two pages of keys; one matches, one matches but is pending deletion
    aws.kms.on(ListKeysCommand).resolvesOnce({ Keys: [{ KeyId: 'a' }, { KeyId: 'b' }], Truncated: true, NextMarker: 'm' }).resolves({ Keys: [{ KeyId: 'c' }], Truncated: false });
    aws.kms.on(DescribeKeyCommand, { KeyId: 'a' }).resolves({ KeyMetadata: { KeyId: 'a', Arn: arn('a'), KeyState: 'Enabled', Description: 'other' } });
    aws.kms.on(DescribeKeyCommand, { KeyId: 'b' }).resolves({ KeyMetadata: { KeyId: 'b', Arn: arn('b'), KeyState: 'Enabled', Description: 'Encrypts r [Create request 42]' } });
    aws.kms.on(DescribeKeyCommand, { KeyId: 'c' }).resolves({ KeyMetadata: { KeyId: 'c', Arn: arn('c'), KeyState: 'PendingDeletion', Description: 'Encrypts r [Create request 42]' } });
    aws.kms.on(ListResourceTagsCommand).resolves({ Tags: [{ TagKey: 'org-ecr:repository', TagValue: 'r' }] });

    // WHEN it looks for the request's token
    const found = await new AwsKeyFinder(aws.clients()).findKeys('[Create request 42]', NEVER);

    // THEN only the live match, with its tags
    expect(found).toEqual([{ arn: arn('b'), tags: { 'org-ecr:repository': 'r' } }]);
    expect(aws.kms).toHaveReceivedCommandWith(ListKeysCommand, { Marker: 'm' });
  });

  it('skips keys it may not describe', async () => {
    aws.kms.on(ListKeysCommand).resolves({ Keys: [{ KeyId: 'a' }, { KeyId: 'b' }] });
    aws.kms.on(DescribeKeyCommand, { KeyId: 'a' }).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    aws.kms.on(DescribeKeyCommand, { KeyId: 'b' }).resolves({ KeyMetadata: { KeyId: 'b', Arn: arn('b'), KeyState: 'Enabled', Description: 'x t' } });
    aws.kms.on(ListResourceTagsCommand).resolves({ Tags: [] });
    expect(await new AwsKeyFinder(aws.clients()).findKeys('t', NEVER)).toEqual([{ arn: arn('b'), tags: {} }]);
  });

  it('skips the keys it is told to keep and stops once it has the number of matches asked for, newest first', async () => {
    // GIVEN four keys made by one request (listed oldest first), the newest being the one in use
    aws.kms.on(ListKeysCommand).resolves({ Keys: ['a', 'b', 'c', 'd'].map((KeyId) => ({ KeyId })) });
    for (const id of ['a', 'b', 'c', 'd']) aws.kms.on(DescribeKeyCommand, { KeyId: id }).resolves({ KeyMetadata: { KeyId: id, Arn: arn(id), KeyState: 'Enabled', Description: 'r [Create request 42]' } });
    aws.kms.on(ListResourceTagsCommand).resolves({ Tags: [] });

    // WHEN it looks for two keys other than the one in use
    const found = await new AwsKeyFinder(aws.clients()).findKeys('[Create request 42]', NEVER, { except: [arn('d')], count: 2 });

    // THEN at least the two newest others (keys already being described when the second match
    // came are returned too: each carries the request's token), never the one in use
    expect(found.map((key) => key.arn)).toEqual(expect.arrayContaining([arn('b'), arn('c')]));
    expect(found.map((key) => key.arn)).not.toContain(arn('d'));
    expect(aws.kms).not.toHaveReceivedCommandWith(ListResourceTagsCommand, { KeyId: arn('d') });
  });

  it('stops after maxKeys keys', async () => {
    aws.kms.on(ListKeysCommand).resolves({ Keys: [{ KeyId: 'a' }, { KeyId: 'b' }, { KeyId: 'c' }], Truncated: true, NextMarker: 'm' });
    aws.kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'a', Arn: arn('a'), KeyState: 'Enabled', Description: 'x' } });
    await new AwsKeyFinder(aws.clients(), 2).findKeys('y', NEVER);
    expect(aws.kms).toHaveReceivedCommandTimes(ListKeysCommand, 1);
    expect(aws.kms).toHaveReceivedCommandTimes(DescribeKeyCommand, 2);
  });
});
