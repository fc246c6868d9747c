/**
 * The compliance options through the business handler: tag mutability, untagged expiry and the
 * customer-key requirement, each through create, in-place update both ways, rollback (the
 * properties swapped) and delete. Existing repositories are judged against what they are.
 */
import { InvalidPropertiesError } from '../../../handler/src/errors';
import { FakeWorld } from '../../helpers/fake-world';
import { givenProperties, givenSettingsEnv } from '../../helpers/given';
import { givenProvider } from '../../helpers/provider';
import { givenCreateRequest, givenDeleteRequest, givenUpdateRequest, rejectionOf } from '../../helpers/requests';

const NAME = 'acme-shop-orders-api';
const rulesOf = (policy: string | null | undefined) => (JSON.parse(policy ?? '{"rules":[]}') as { rules: Array<{ selection: { tagStatus: string } }> }).rules;

describe('createRepositoryHandler: compliant by default', () => {
  it('creates a scanned, IMMUTABLE repository with an untagged-image lifecycle rule from the two required properties alone', async () => {
    const { world, send } = givenProvider();
    await send(givenCreateRequest(givenProperties()));
    const repository = world.repositories.get(NAME);
    expect(repository).toMatchObject({ scanOnPush: true, imageTagMutability: 'IMMUTABLE', exclusionFilters: [], encryptionType: 'AES256' });
    expect(rulesOf(repository?.lifecyclePolicy).map((rule) => rule.selection.tagStatus)).toEqual(['untagged']);
  });
});

describe('createRepositoryHandler: ImageTagMutability', () => {
  const excluding = givenProperties({ ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', ImageTagMutabilityExclusionFilters: ['latest', 'dev-*'] });
  const mutable = givenProperties({ ImageTagMutability: 'MUTABLE' });

  it('creates, updates in place both ways, rolls back and deletes', async () => {
    const { world, send } = givenProvider();
    // Create
    await send(givenCreateRequest(excluding));
    expect(world.repositories.get(NAME)).toMatchObject({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: ['latest', 'dev-*'] });
    // Update to MUTABLE, in place
    world.calls.length = 0;
    const updated = await send(givenUpdateRequest({ physicalResourceId: NAME, old: excluding, new: mutable }));
    expect(updated.physicalResourceId).toBe(NAME);
    expect(world.repositories.get(NAME)).toMatchObject({ imageTagMutability: 'MUTABLE', exclusionFilters: [] });
    expect(world.kinds()).toEqual(['ecr.putImageTagMutability']);
    // Rollback: the properties swapped
    await send(givenUpdateRequest({ physicalResourceId: NAME, old: mutable, new: excluding }));
    expect(world.repositories.get(NAME)).toMatchObject({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: ['latest', 'dev-*'] });
    // Back to the organisation's default by removing the property
    await send(givenUpdateRequest({ physicalResourceId: NAME, old: excluding, new: givenProperties() }));
    expect(world.repositories.get(NAME)).toMatchObject({ imageTagMutability: 'IMMUTABLE', exclusionFilters: [] });
    // Delete
    await send(givenDeleteRequest(NAME, givenProperties()));
    expect(world.repositories.has(NAME)).toBe(false);
  });

  it("takes the organisation's filters when IMMUTABLE_WITH_EXCLUSION gives none", async () => {
    const { world, send } = givenProvider({ settings: givenSettingsEnv({ ORG_IMAGE_TAG_MUTABILITY_EXCLUSION_FILTERS: 'latest' }) });
    await send(givenCreateRequest(givenProperties({ ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' })));
    expect(world.repositories.get(NAME)).toMatchObject({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: ['latest'] });
  });

  it('fails before any AWS call when IMMUTABLE_WITH_EXCLUSION has no filters from anyone', async () => {
    const { world, send } = givenProvider();
    const error = await rejectionOf(send(givenCreateRequest(givenProperties({ ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' }))));
    expect(error).toBeInstanceOf(InvalidPropertiesError);
    expect(error.message).toContain('`ImageTagMutability`: IMMUTABLE_WITH_EXCLUSION needs `ImageTagMutabilityExclusionFilters`');
    expect(world.calls).toEqual([]);
  });

  it('makes an existing MUTABLE repository immutable at its next update under the default setting', async () => {
    const world = new FakeWorld();
    await givenProvider({ world, settings: givenSettingsEnv({ ORG_IMAGE_TAG_MUTABILITY: 'MUTABLE' }) }).send(givenCreateRequest(givenProperties()));
    expect(world.repositories.get(NAME)?.imageTagMutability).toBe('MUTABLE');
    await givenProvider({ world }).send(givenUpdateRequest({ physicalResourceId: NAME, old: givenProperties(), new: givenProperties({ Tags: [{ Key: 'team', Value: 'a' }] }) }));
    expect(world.repositories.get(NAME)?.imageTagMutability).toBe('IMMUTABLE');
  });
});

describe('createRepositoryHandler: untagged-image expiry', () => {
  it("keeps a team's hand-added rule through updates, and the seed's exact behaviour when the organisation switches the rule off", async () => {
    const world = new FakeWorld();
    const { send } = givenProvider({ world });
    await send(givenCreateRequest(givenProperties({ ImagesRetained: '10' })));
    // GIVEN a team adds a rule by hand
    const teamRule = { rulePriority: 1, description: 'expire pr images', selection: { tagStatus: 'tagged', tagPatternList: ['pr-*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 3 }, action: { type: 'expire' } };
    const repository = world.repositories.get(NAME)!;
    repository.lifecyclePolicy = JSON.stringify({ rules: [teamRule, ...rulesOf(repository.lifecyclePolicy).map((rule, index) => ({ ...rule, rulePriority: index + 2 }))] });
    // WHEN ImagesRetained goes away, under the seed's settings (untagged rule off)
    const seed = givenProvider({ world, settings: givenSettingsEnv({ ORG_UNTAGGED_IMAGE_EXPIRY_DAYS: '0' }) });
    await seed.send(givenUpdateRequest({ physicalResourceId: NAME, old: givenProperties({ ImagesRetained: '10' }), new: givenProperties() }));
    // THEN only the team's rule is left
    expect(JSON.parse(world.repositories.get(NAME)!.lifecyclePolicy!)).toEqual({ rules: [teamRule] });
    // AND without the team's rule the policy goes away entirely, as in the seed
    world.repositories.get(NAME)!.lifecyclePolicy = null;
    await seed.send(givenUpdateRequest({ physicalResourceId: NAME, old: givenProperties(), new: givenProperties({ Tags: [{ Key: 'team', Value: 'a' }] }) }));
    expect(world.repositories.get(NAME)!.lifecyclePolicy).toBeNull();
  });
});

describe('createRepositoryHandler: ORG_REQUIRE_KMS_KEY', () => {
  const required = givenSettingsEnv({ ORG_REQUIRE_KMS_KEY: 'true' });

  it('gives a new repository a customer key when UseKmsKey is left out, and deletes the key with it', async () => {
    const { world, send } = givenProvider({ settings: required });
    const created = await send(givenCreateRequest(givenProperties()));
    const keyArn = world.repositories.get(NAME)?.kmsKeyArn;
    expect(world.repositories.get(NAME)?.encryptionType).toBe('KMS');
    expect(created.data?.KmsKeyArn).toBe(keyArn);
    await send(givenDeleteRequest(NAME, givenProperties()));
    expect(world.keys.get(keyArn!)?.state).toBe('PendingDeletion');
  });

  it('fails a Create that says UseKmsKey false, naming the property and the setting, before any AWS call', async () => {
    const { world, send } = givenProvider({ settings: required });
    const error = await rejectionOf(send(givenCreateRequest(givenProperties({ UseKmsKey: 'false' }))));
    expect(error).toBeInstanceOf(InvalidPropertiesError);
    expect(error.message).toContain('`UseKmsKey` must be true or left out: the organisation requires a customer-managed key for every new repository (ORG_REQUIRE_KMS_KEY); got: false');
    expect(world.calls).toEqual([]);
  });

  it('never fails an Update or its rollback of a repository made with AES256 before the requirement: it stays AES256, with a warning', async () => {
    // GIVEN an AES256 repository made before the requirement, with UseKmsKey left out or false
    const world = new FakeWorld();
    await givenProvider({ world }).send(givenCreateRequest(givenProperties()));
    const { send, logger } = givenProvider({ world, settings: required });
    const old = givenProperties();
    const updated = givenProperties({ ImagesRetained: '5', UseKmsKey: 'false' });
    // WHEN it is updated and rolled back
    await send(givenUpdateRequest({ physicalResourceId: NAME, old, new: updated }));
    await send(givenUpdateRequest({ physicalResourceId: NAME, old: updated, new: old }));
    // THEN both succeed, the repository stays as it is, and the log says why
    expect(world.repositories.get(NAME)?.encryptionType).toBe('AES256');
    expect(world.kinds()).not.toContain('kms.createKey');
    expect(logger.text()).toContain('ORG_REQUIRE_KMS_KEY is on, but repository acme-shop-orders-api was created with AES256');
  });

  it('keeps the key of a repository made under the requirement when the requirement is switched off', async () => {
    const world = new FakeWorld();
    await givenProvider({ world, settings: required }).send(givenCreateRequest(givenProperties()));
    const keyArn = world.repositories.get(NAME)?.kmsKeyArn;
    const outcome = await givenProvider({ world }).send(givenUpdateRequest({ physicalResourceId: NAME, old: givenProperties(), new: givenProperties({ ImagesRetained: '3' }) }));
    expect(outcome.data?.KmsKeyArn).toBe(keyArn);
    expect(world.keys.get(keyArn!)?.state).toBe('Enabled');
  });

  it('gives the new repository of a replacement a key, and CloudFormation deletes the old AES256 one', async () => {
    const world = new FakeWorld();
    await givenProvider({ world }).send(givenCreateRequest(givenProperties()));
    const { send } = givenProvider({ world, settings: required });
    const renamed = givenProperties({ RepositoryBaseName: 'orders-service' });
    const outcome = await send(givenUpdateRequest({ physicalResourceId: NAME, old: givenProperties(), new: renamed }));
    await send(givenDeleteRequest(NAME, givenProperties()));
    expect(world.repositories.get(outcome.physicalResourceId)?.encryptionType).toBe('KMS');
    expect(world.repositories.has(NAME)).toBe(false);
  });

  it('rolls a replacement back to the AES256 repository it replaced, under the requirement', async () => {
    // GIVEN an AES256 repository made before the requirement, replaced under it (the new one keyed)
    const world = new FakeWorld();
    await givenProvider({ world }).send(givenCreateRequest(givenProperties()));
    const { send } = givenProvider({ world, settings: required });
    const renamed = givenProperties({ RepositoryBaseName: 'orders-service' });
    const replaced = await send(givenUpdateRequest({ physicalResourceId: NAME, old: givenProperties(), new: renamed }));
    // WHEN CloudFormation rolls back (properties swapped, sent to the new id), then deletes the new id
    const rolledBack = await send(givenUpdateRequest({ physicalResourceId: replaced.physicalResourceId, old: renamed, new: givenProperties() }));
    await send(givenDeleteRequest(replaced.physicalResourceId, renamed));
    // THEN the old repository is answered again, still AES256, and the new one is gone
    expect(rolledBack.physicalResourceId).toBe(NAME);
    expect(world.repositories.get(NAME)?.encryptionType).toBe('AES256');
    expect(world.repositories.has(replaced.physicalResourceId)).toBe(false);
  });
});
