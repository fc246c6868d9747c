import { planCreate } from '../../../handler/src/core/plan';
import { givenDesired } from '../../helpers/given';

describe('planCreate', () => {
  it('creates the repository, then its parameters, in 2 steps when there is no key', () => {
    // GIVEN a repository without key, retention or sharing, under the seed's lifecycle (no untagged rule)
    const desired = givenDesired({}, { untaggedImageExpiryDays: undefined });

    // WHEN the create is planned
    const plan = planCreate(desired);

    // THEN the repository carries its tags and the organisation's immutability from the first call (it is the lock on the name)
    expect(plan).toEqual([
      [{ kind: 'ecr.createRepository', repositoryName: 'acme-shop-orders-api', tags: desired.repositoryTags, imageTagMutability: 'IMMUTABLE', exclusionFilters: [] }],
      [
        { kind: 'ssm.putParameter', name: 'ECR_ORDERS_API_arn', value: { text: desired.repositoryArn }, tags: desired.childTags },
        { kind: 'ssm.putParameter', name: 'ECR_ORDERS_API_name', value: { text: 'acme-shop-orders-api' }, tags: desired.childTags },
      ],
    ]);
  });

  it.each([
    ['retention', { imagesRetained: 10 }, ['ecr.putLifecyclePolicy']],
    ['sharing', { shareableWithAllEnvs: true }, ['ecr.setRepositoryPolicy']],
    ['retention and sharing', { imagesRetained: 10, shareableWithAllEnvs: true }, ['ecr.putLifecyclePolicy', 'ecr.setRepositoryPolicy']],
    ['nothing but the default untagged expiry', {}, ['ecr.putLifecyclePolicy']],
  ])('writes the policies beside the parameters, still in 2 steps, when there is no key but %s', (_case, spec, policies) => {
    const plan = planCreate(givenDesired(spec, _case === 'sharing' ? { untaggedImageExpiryDays: undefined } : {}));
    expect(plan.map((step) => step.map((action) => action.kind))).toEqual([['ecr.createRepository'], [...policies, 'ssm.putParameter', 'ssm.putParameter']]);
  });

  it('creates key, then repository, then alias, policies and parameters, in 3 steps when a key, sharing and retention are asked for', () => {
    // GIVEN every option, rotation on
    const desired = givenDesired({ useKmsKey: true, imagesRetained: 10, shareableWithAllEnvs: true }, { keyRotation: true });

    // WHEN the create is planned
    const plan = planCreate(desired);

    // THEN three round trips, each action referring to the key the first step creates
    expect(plan).toEqual([
      [{ kind: 'kms.createKey', description: expect.stringContaining('acme-shop-orders-api'), policy: desired.key?.policy, tags: desired.childTags }],
      [
        { kind: 'ecr.createRepository', repositoryName: 'acme-shop-orders-api', key: { created: true }, tags: desired.repositoryTags, imageTagMutability: 'IMMUTABLE', exclusionFilters: [] },
        { kind: 'kms.enableKeyRotation', key: { created: true } },
      ],
      [
        { kind: 'kms.createAlias', aliasName: 'alias/acme-shop-orders-api', key: { created: true } },
        { kind: 'ecr.putLifecyclePolicy', repositoryName: 'acme-shop-orders-api', policy: desired.lifecyclePolicy },
        { kind: 'ecr.setRepositoryPolicy', repositoryName: 'acme-shop-orders-api', policy: desired.repositoryPolicy },
        { kind: 'ssm.putParameter', name: 'ECR_ORDERS_API_kms_key_arn', value: { createdKeyArn: true }, tags: desired.childTags },
        { kind: 'ssm.putParameter', name: 'ECR_ORDERS_API_arn', value: { text: desired.repositoryArn }, tags: desired.childTags },
        { kind: 'ssm.putParameter', name: 'ECR_ORDERS_API_name', value: { text: 'acme-shop-orders-api' }, tags: desired.childTags },
      ],
    ]);
  });

  it.each([
    ['with a key', { useKmsKey: true }],
    ['without a key', {}],
  ])('writes nothing another request can see before the repository (the lock) is created, %s', (_case, spec) => {
    // The key may go first (CreateRepository needs its ARN): no one else can see a key without its alias.
    const plan = planCreate(givenDesired({ ...spec, imagesRetained: 10, shareableWithAllEnvs: true }, { keyRotation: true }));
    const lockStep = plan.findIndex((step) => step.some((action) => action.kind === 'ecr.createRepository'));
    const visibleBeforeOrWithLock = plan
      .slice(0, lockStep + 1)
      .flat()
      .filter((action) => !['kms.createKey', 'kms.enableKeyRotation', 'ecr.createRepository'].includes(action.kind));
    expect(visibleBeforeOrWithLock).toEqual([]);
  });

  it('leaves rotation off without a call when the setting is off', () => {
    const kinds = planCreate(givenDesired({ useKmsKey: true }, { keyRotation: false })).flat().map((action) => action.kind);
    expect(kinds).not.toContain('kms.enableKeyRotation');
    expect(kinds).not.toContain('kms.disableKeyRotation');
  });

  it('creates the repository with the exclusion filters when the mutability is IMMUTABLE_WITH_EXCLUSION', () => {
    const [createRepository] = planCreate(givenDesired({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: ['latest', 'dev-*'] })).flat();
    expect(createRepository).toMatchObject({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: ['latest', 'dev-*'] });
  });

  it('always creates the repository with scan on push and its ownership tags', () => {
    // Scan on push is the runner's constant; the plan's part is to carry ownership from the first call.
    const [createRepository] = planCreate(givenDesired()).flat();
    expect(createRepository).toMatchObject({ tags: { 'org-ecr:stack-id': expect.any(String), 'org-ecr:logical-id': 'Repository' } });
  });
});
