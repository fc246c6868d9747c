import type { Plan } from '../../../handler/src/core/model';
import { planConverge, planCreate } from '../../../handler/src/core/plan';
import { ConflictError, UnsupportedUpdateError } from '../../../handler/src/errors';
import { convergedActual, KEY_ARN, NOTHING, withAliasKey, withoutRepository, withParameter, withRepository } from '../../helpers/actual';
import { FOREIGN_OWNER, givenDesired, givenOwner, ownershipTags } from '../../helpers/given';

const owner = givenOwner();
const NAME = 'acme-shop-orders-api';
const kinds = (plan: Plan) => plan.map((step) => step.map((action) => action.kind));

describe('planConverge refusals', () => {
  it('fails with UnsupportedUpdateError explaining the replacement when a key is wanted on an AES256 repository', () => {
    const run = () => planConverge(givenDesired({ useKmsKey: true }), convergedActual(givenDesired()), owner);
    expect(run).toThrow(UnsupportedUpdateError);
    expect(run).toThrow(
      `UseKmsKey cannot change while the repository name stays ${NAME}: ECR fixes encryption when a repository is created, and replacing it under the same name would delete its images. ` +
        'To move to a customer-managed key, change RepositoryBaseName (or ApplicationName) in the same update',
    );
  });

  it('fails with UnsupportedUpdateError when AES256 is wanted on a repository with a key', () => {
    expect(() => planConverge(givenDesired(), convergedActual(givenDesired({ useKmsKey: true })), owner)).toThrow(/To move to AES256, change RepositoryBaseName/);
  });

  it('fails with ConflictError naming the repository when it exists and is not ours', () => {
    // GIVEN a repository with our name, tagged by another stack
    const desired = givenDesired();
    const actual = withRepository(convergedActual(desired), { tags: ownershipTags(FOREIGN_OWNER) });

    // WHEN / THEN converging refuses to take it over
    expect(() => planConverge(desired, actual, owner)).toThrow(ConflictError);
    expect(() => planConverge(desired, actual, owner)).toThrow(`Repository ${NAME} already exists and is not managed by this resource`);
  });

  it('fails with ConflictError when the repository has no tags at all', () => {
    const desired = givenDesired();
    expect(() => planConverge(desired, withRepository(convergedActual(desired), { tags: {} }), owner)).toThrow(ConflictError);
  });

  it('fails with ConflictError when only the logical id differs', () => {
    const desired = givenDesired();
    const actual = withRepository(convergedActual(desired), { tags: ownershipTags(givenOwner({ logicalId: 'OtherRepository' })) });
    expect(() => planConverge(desired, actual, owner)).toThrow(ConflictError);
  });

  it('fails with ConflictError naming the parameter when a parameter exists and is not ours', () => {
    const desired = givenDesired();
    const actual = withParameter(convergedActual(desired), 'ECR_ORDERS_API_name', { value: 'other', tags: ownershipTags(FOREIGN_OWNER, 'acme-other-orders-api') });
    expect(() => planConverge(desired, actual, owner)).toThrow(ConflictError);
    expect(() => planConverge(desired, actual, owner)).toThrow(/^SSM parameter ECR_ORDERS_API_name already exists and is not managed by this resource/);
  });

  it('fails with ConflictError for a foreign parameter even when the repository is absent', () => {
    const desired = givenDesired();
    const actual = withParameter(NOTHING, 'ECR_ORDERS_API_arn', { value: 'x', tags: {} });
    expect(() => planConverge(desired, actual, owner)).toThrow(ConflictError);
  });
});

describe('planConverge when the repository is absent', () => {
  it('plans the whole create when nothing exists', () => {
    const desired = givenDesired({ useKmsKey: true, imagesRetained: 3 });
    expect(planConverge(desired, NOTHING, owner)).toEqual(planCreate(desired));
  });

  it('recreates the repository with the key the alias still names when that key is ours', () => {
    // GIVEN the repository was deleted by hand; alias, key and parameters remain
    const desired = givenDesired({ useKmsKey: true, imagesRetained: 3 });
    const actual = withoutRepository(convergedActual(desired));

    // WHEN converging
    const plan = planConverge(desired, actual, owner);

    // THEN no second key: the repository is created on the existing one, then its policy
    expect(plan).toEqual([
      [{ kind: 'ecr.createRepository', repositoryName: NAME, key: { arn: KEY_ARN }, tags: desired.repositoryTags, imageTagMutability: 'IMMUTABLE', exclusionFilters: [] }],
      [{ kind: 'ecr.putLifecyclePolicy', repositoryName: NAME, policy: desired.lifecyclePolicy }],
    ]);
  });

  it.each([
    ['scheduled for deletion', 'PendingDeletion', [['kms.cancelKeyDeletion'], ['kms.enableKey']]],
    ['disabled', 'Disabled', [['kms.enableKey']]],
  ])('brings the reusable key back first when it is %s', (_case, state, first) => {
    const desired = givenDesired({ useKmsKey: true });
    const plan = planConverge(desired, withAliasKey(withoutRepository(convergedActual(desired)), { state }), owner);
    expect(kinds(plan)).toEqual([...first, ['ecr.createRepository'], ['ecr.putLifecyclePolicy']]);
  });

  it('fails with ConflictError when the alias names a key that is not ours', () => {
    const desired = givenDesired({ useKmsKey: true });
    const actual = withAliasKey(NOTHING, { arn: KEY_ARN, state: 'Enabled', tags: ownershipTags(FOREIGN_OWNER, NAME) });
    expect(() => planConverge(desired, actual, owner)).toThrow(ConflictError);
    expect(() => planConverge(desired, actual, owner)).toThrow('KMS alias alias/acme-shop-orders-api already exists and names a key not managed by this resource');
  });

  it('fails with ConflictError when the alias key’s tags are unknown', () => {
    const desired = givenDesired({ useKmsKey: true });
    expect(() => planConverge(desired, withAliasKey(NOTHING, { arn: KEY_ARN, state: 'Enabled' }), owner)).toThrow(ConflictError);
  });

  it('converges existing parameters of ours instead of creating them twice', () => {
    // GIVEN the repository is gone, its name parameter remains with an old value
    const desired = givenDesired({}, { untaggedImageExpiryDays: undefined });
    const actual = withParameter(withoutRepository(convergedActual(desired)), 'ECR_ORDERS_API_name', { value: 'stale' });

    // WHEN converging
    const plan = planConverge(desired, actual, owner);

    // THEN the repository is created and the existing parameter overwritten, without tags
    expect(plan).toEqual([
      [{ kind: 'ecr.createRepository', repositoryName: NAME, tags: desired.repositoryTags, imageTagMutability: 'IMMUTABLE', exclusionFilters: [] }],
      [{ kind: 'ssm.putParameter', name: 'ECR_ORDERS_API_name', value: { text: NAME } }],
    ]);
  });

  it('overwrites the key parameter with the new key when a whole new key is created', () => {
    const desired = givenDesired({ useKmsKey: true });
    const actual = withParameter(NOTHING, 'ECR_ORDERS_API_kms_key_arn', { value: 'old', tags: desired.childTags });
    const keyParameter = planConverge(desired, actual, owner).flat().filter((action) => action.kind === 'ssm.putParameter' && action.name.endsWith('_kms_key_arn'));
    expect(keyParameter).toEqual([{ kind: 'ssm.putParameter', name: 'ECR_ORDERS_API_kms_key_arn', value: { createdKeyArn: true } }]);
  });
});
