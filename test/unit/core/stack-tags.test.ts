import { OwnershipTag } from '../../../handler/src/contract';
import { lateStackTagActions, selectStackTags, withStackTags } from '../../../handler/src/core/stack-tags';
import { givenDesired } from '../../helpers/given';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/1234';

describe('selectStackTags', () => {
  it('copies a stack tag nobody closer to the repository set', () => {
    expect(selectStackTags({ application: 'shop' }, { team: 'payments' })).toEqual({ copied: { application: 'shop' }, skipped: [] });
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('copies a stack tag named %s like any other key', (key) => {
    // GIVEN a stack tag whose key names an Object.prototype member, and nobody else setting it
    const stackTags = Object.fromEntries([[key, 'from-stack']]);
    // WHEN
    const selection = selectStackTags(stackTags, { team: 'payments' });
    // THEN it is copied as an own entry, and the repository keeps it on an unreadable stack too
    expect(Object.hasOwn(selection.copied, key) && selection.copied[key]).toBe('from-stack');
    const desired = givenDesired();
    const kept = withStackTags(desired, undefined, Object.fromEntries([[key, 'kept']]));
    expect(Object.hasOwn(kept.desired.repositoryTags, key) && kept.desired.repositoryTags[key]).toBe('kept');
  });

  it('leaves a key to the consumer or the organisation when they set it too', () => {
    // GIVEN the stack says team=stack while the consumer said team=payments
    const selection = selectStackTags({ team: 'stack', 'cost-center': 'other' }, { team: 'payments', 'cost-center': 'cc-42' });
    // THEN nothing of the stack's is copied, and that is no problem worth reporting
    expect(selection).toEqual({ copied: {}, skipped: [] });
  });

  it.each([
    ['aws:cloudformation:stack-name', 'reserved for AWS'],
    ['aws:servicecatalog:productArn', 'reserved for AWS'],
    ['AWS:Upper', 'reserved for AWS'],
    [OwnershipTag.StackId, 'reserved for the provider'],
  ])('never copies the reserved key %s', (key, reason) => {
    const selection = selectStackTags({ [key]: 'x' }, {});
    expect(selection.copied).toEqual({});
    expect(selection.skipped[0]?.reason).toContain(reason);
  });

  it('skips a tag ECR, KMS or SSM would refuse rather than fail the request', () => {
    const selection = selectStackTags({ 'emoji#key': 'x', fine: 'ok', note: 'semi;colon' }, {});
    expect(selection.copied).toEqual({ fine: 'ok' });
    expect(selection.skipped.map((skipped) => skipped.key)).toEqual(['emoji#key', 'note']);
  });

  it('stops at 50 tags in all, keeping the first keys in alphabetical order, whatever order the stack lists them in', () => {
    // GIVEN 45 tags taken and 10 stack tags listed backwards
    const taken = Object.fromEntries(Array.from({ length: 45 }, (_unused, index) => [`taken-${index}`, 'v']));
    const stack = Object.fromEntries(Array.from({ length: 10 }, (_unused, index) => [`s${9 - index}`, 'v']));
    // WHEN
    const selection = selectStackTags(stack, taken);
    // THEN exactly five fit, s0 to s4, and the rest are reported
    expect(Object.keys(selection.copied)).toEqual(['s0', 's1', 's2', 's3', 's4']);
    expect(selection.skipped.map((skipped) => skipped.key)).toEqual(['s5', 's6', 's7', 's8', 's9']);
    expect(selection.skipped[0]?.reason).toContain('50 tags');
  });
});

describe('withStackTags', () => {
  it('puts the stack tags under the repository, key and parameter tags', () => {
    // GIVEN a repository with a key whose consumer tag clashes with a stack tag
    const desired = givenDesired({ useKmsKey: true, tags: { team: 'payments' } });
    // WHEN
    const { desired: tagged, copied } = withStackTags(desired, { team: 'stack', application: 'shop' });
    // THEN the stack adds only what nobody else set
    expect(copied).toEqual({ application: 'shop' });
    expect(tagged.repositoryTags).toEqual({ ...desired.repositoryTags, application: 'shop' });
    expect(tagged.childTags).toEqual({ ...desired.childTags, application: 'shop' });
    expect(tagged.repositoryTags.team).toBe('payments');
  });

  it('keeps the tags the repository carries beyond the desired ones when the stack tags are unknown', () => {
    // GIVEN a repository tagged earlier from its stack, and a consumer tag since removed
    const desired = givenDesired({ tags: {} });
    const actual = { ...desired.repositoryTags, application: 'shop', team: 'old', 'aws:cloudformation:logical-id': 'X' };
    // WHEN the stack's tags could not be read
    const { desired: tagged, copied } = withStackTags(desired, undefined, actual);
    // THEN nothing is added or removed: what is there stays, AWS's own tags left to AWS
    expect(copied).toEqual({});
    expect(tagged.repositoryTags).toEqual({ ...desired.repositoryTags, application: 'shop', team: 'old' });
    expect(tagged.childTags).toMatchObject({ application: 'shop', team: 'old' });
  });

  it('still removes a tag the consumer took out of Tags when the stack tags are unknown', () => {
    const desired = givenDesired({ tags: {} });
    const actual = { ...desired.repositoryTags, application: 'shop', team: 'old' };
    const { desired: tagged } = withStackTags(desired, undefined, actual, ['team']);
    expect(tagged.repositoryTags).toEqual({ ...desired.repositoryTags, application: 'shop' });
  });

  it('changes nothing when the stack has no tags', () => {
    const desired = givenDesired();
    expect(withStackTags(desired, {}).desired).toBe(desired);
  });
});

describe('lateStackTagActions', () => {
  it('tags what the first step created, the repository by ARN and the key by the ARN it was given', () => {
    const desired = givenDesired({ useKmsKey: true });
    const first = [
      { kind: 'kms.createKey' as const, description: 'd', policy: '{}', tags: {} },
      { kind: 'ecr.createRepository' as const, repositoryName: desired.repositoryName, tags: {} },
    ];
    expect(lateStackTagActions(first, desired, { application: 'shop' }, KEY_ARN)).toEqual([
      { kind: 'kms.tagResource', keyArn: KEY_ARN, tags: { application: 'shop' } },
      { kind: 'ecr.tagResource', repositoryArn: desired.repositoryArn, tags: { application: 'shop' } },
    ]);
  });

  it('adds no call when no stack tag is copied', () => {
    const desired = givenDesired();
    expect(lateStackTagActions([{ kind: 'ecr.createRepository', repositoryName: desired.repositoryName, tags: {} }], desired, {}, undefined)).toEqual([]);
  });
});
