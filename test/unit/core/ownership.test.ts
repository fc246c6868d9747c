import { belongsToRepository, isOwnedBy, samePolicy, tagChanges } from '../../../handler/src/core/ownership';
import { FOREIGN_OWNER, givenOwner, ownershipTags } from '../../helpers/given';

const owner = givenOwner();

describe('isOwnedBy', () => {
  it.each([
    ['our pair', ownershipTags(owner), true],
    ['our pair among other tags', { team: 'x', ...ownershipTags(owner, 'any') }, true],
    ['another stack', ownershipTags(FOREIGN_OWNER), false],
    ['our stack but another logical id', ownershipTags(givenOwner({ logicalId: 'Other' })), false],
    ['only our stack id', { 'org-ecr:stack-id': owner.stackId }, false],
    ['no tags', {}, false],
    ['unknown tags', undefined, false],
  ])('decides %s is %s', (_case, tags, expected) => {
    expect(isOwnedBy(tags, owner)).toBe(expected);
  });
});

describe('belongsToRepository', () => {
  it('requires the repository tag to name this repository', () => {
    expect(belongsToRepository(ownershipTags(owner, 'acme-a'), owner, 'acme-a')).toBe(true);
    expect(belongsToRepository(ownershipTags(owner, 'acme-b'), owner, 'acme-a')).toBe(false);
    expect(belongsToRepository(ownershipTags(owner), owner, 'acme-a')).toBe(false);
  });
});

describe('tagChanges', () => {
  it('sets missing and different tags and removes undesired ones, except aws: tags', () => {
    const changes = tagChanges({ keep: '1', change: 'old', drop: 'x', 'aws:cloudformation:stack-id': 's' }, { keep: '1', change: 'new', add: 'y' });
    expect(changes).toEqual({ set: { change: 'new', add: 'y' }, remove: ['drop'] });
  });

  it('sets every desired tag and removes only the known removals when the actual tags are unknown', () => {
    expect(tagChanges(undefined, { a: '1' }, ['gone', 'aws:x'])).toEqual({ set: { a: '1' }, remove: ['gone'] });
  });
});

describe('samePolicy', () => {
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::1:root'] }, Action: ['ecr:B', 'ecr:A'] }] });

  it.each([
    ['identical text', policy],
    ['pretty-printed', JSON.stringify(JSON.parse(policy), null, 4)],
    ['keys reordered', JSON.stringify({ Statement: [{ Action: ['ecr:B', 'ecr:A'], Principal: { AWS: ['arn:aws:iam::1:root'] }, Effect: 'Allow', Sid: 'A' }], Version: '2012-10-17' })],
    ['a one-element list given as a scalar', policy.replace('["arn:aws:iam::1:root"]', '"arn:aws:iam::1:root"')],
    ['list items reordered', policy.replace('["ecr:B","ecr:A"]', '["ecr:A","ecr:B"]')],
  ])('treats the policy as the same when AWS returns it %s', (_case, actual) => {
    expect(samePolicy(actual, policy)).toBe(true);
  });

  it.each([
    ['absent', null],
    ['not read', undefined],
    ['granting another action', policy.replace('ecr:A', 'ecr:PutImage')],
    ['not JSON', 'garbage'],
  ])('treats the policy as different when it is %s', (_case, actual) => {
    expect(samePolicy(actual, policy)).toBe(false);
  });
});
