import { UnsupportedUpdateError } from '../../../handler/src/errors';
import { FakeWorld } from '../../helpers/fake-world';
import { givenFullProperties, givenProperties, givenSettingsEnv } from '../../helpers/given';
import { givenProvider } from '../../helpers/provider';
import { givenCreateRequest, givenDeleteRequest, givenUpdateRequest, rejectionOf } from '../../helpers/requests';

const NAME = 'acme-shop-orders-api';

describe('createRepositoryHandler on Update', () => {
  it('changes retention, sharing and tags in place and keeps the physical id when the name stays', async () => {
    // GIVEN a repository created with the full example
    const { world, send } = givenProvider();
    const old = givenFullProperties();
    await send(givenCreateRequest(old));
    const key = world.repositories.get(NAME)?.kmsKeyArn;
    world.calls.length = 0;

    // WHEN retention, sharing and tags change
    const updated = givenFullProperties({ ImagesRetained: '', ShareableWithAllEnvs: 'false', Tags: [{ Key: 'team', Value: 'checkout' }] });
    const outcome = await send(givenUpdateRequest({ physicalResourceId: NAME, old, new: updated }));

    // THEN the same repository now matches, and its key policy no longer names the environments
    expect(outcome.physicalResourceId).toBe(NAME);
    expect(outcome.data?.KmsKeyArn).toBe(key);
    const repository = world.repositories.get(NAME);
    expect(repository).toMatchObject({ repositoryPolicy: null, kmsKeyArn: key, tags: { team: 'checkout' } });
    expect(repository?.lifecyclePolicy).not.toContain('ImagesRetained');
    expect(world.keys.get(key ?? '')?.policy).not.toContain('EnvironmentAccountsDecrypt');
    expect(world.keys.get(key ?? '')?.tags.team).toBe('checkout');
    expect(world.parameters.get('ECR_ORDERS_API_arn')?.tags.team).toBe('checkout');
    expect(world.calls.map((action) => action.kind)).not.toContain('ecr.createRepository');
    expect(world.calls.map((action) => action.kind)).not.toContain('kms.createKey');
  });

  it('grants a new environment account when the settings changed since the last request', async () => {
    const world = new FakeWorld();
    await givenProvider({ world }).send(givenCreateRequest(givenFullProperties()));
    const widened = givenSettingsEnv({ ORG_ENVIRONMENT_ACCOUNTS: JSON.stringify({ dev: '222222222222', qa: '444444444444' }) });

    await givenProvider({ world, settings: widened }).send(givenUpdateRequest({ physicalResourceId: NAME, old: givenFullProperties(), new: givenFullProperties() }));

    expect(world.repositories.get(NAME)?.repositoryPolicy).toContain('arn:aws:iam::444444444444:root');
    expect(world.repositories.get(NAME)?.repositoryPolicy).not.toContain('333333333333');
  });

  it('keeps the repository in place, under its name, when only the organisation prefix setting changed since', async () => {
    // GIVEN a repository created under the prefix acme
    const world = new FakeWorld();
    await givenProvider({ world }).send(givenCreateRequest(givenFullProperties()));
    world.calls.length = 0;
    // WHEN the platform renamed the prefix, and the stack changes a tag
    const renamedPrefix = givenSettingsEnv({ ORG_PREFIX: 'newco' });
    const tagged = givenFullProperties({ Tags: [{ Key: 'team', Value: 'checkout' }] });
    const outcome = await givenProvider({ world, settings: renamedPrefix }).send(givenUpdateRequest({ physicalResourceId: NAME, old: givenFullProperties(), new: tagged }));
    // THEN no new repository was made (a replacement would delete the live one and its images)
    expect(outcome.physicalResourceId).toBe(NAME);
    expect(world.repositories.has('newco-shop-orders-api')).toBe(false);
    expect(world.calls.map((action) => action.kind)).not.toContain('ecr.createRepository');
    expect(world.repositories.get(NAME)?.tags.team).toBe('checkout');
  });

  it('updates in place when the old properties no longer pass today’s checks (a tag the platform has since made mandatory)', async () => {
    // GIVEN a repository whose consumer tag is now an organisation tag with another value
    const world = new FakeWorld();
    const old = givenFullProperties({ Tags: [{ Key: 'compliance', Value: 'mine' }] });
    await givenProvider({ world }).send(givenCreateRequest(old));
    const stricter = givenSettingsEnv({ ORG_MANDATORY_TAGS: JSON.stringify({ compliance: 'pci' }) });
    // WHEN the stack drops the clashing tag
    const outcome = await givenProvider({ world, settings: stricter }).send(givenUpdateRequest({ physicalResourceId: NAME, old, new: givenFullProperties({ Tags: [] }) }));
    // THEN the same repository carries the organisation's value
    expect(outcome.physicalResourceId).toBe(NAME);
    expect(world.repositories.get(NAME)?.tags.compliance).toBe('pci');
  });

  it('repairs drift when the properties did not change', async () => {
    const { world, send } = givenProvider();
    await send(givenCreateRequest(givenFullProperties()));
    world.repositories.get(NAME)!.lifecyclePolicy = null;
    world.parameters.delete('ECR_ORDERS_API_name');

    await send(givenUpdateRequest({ physicalResourceId: NAME, old: givenFullProperties(), new: givenFullProperties() }));

    expect(world.repositories.get(NAME)?.lifecyclePolicy).toContain('"countNumber":10');
    expect(world.parameters.get('ECR_ORDERS_API_name')?.value).toBe(NAME);
  });

  it('creates a new repository under a new physical id and leaves the old one for the cleanup Delete when the name changes', async () => {
    // GIVEN a repository with a key
    const { world, send } = givenProvider();
    const old = givenFullProperties();
    await send(givenCreateRequest(old));

    // WHEN the base name changes
    const renamed = givenFullProperties({ RepositoryBaseName: 'orders-service' });
    const outcome = await send(givenUpdateRequest({ physicalResourceId: NAME, old, new: renamed }));

    // THEN a second repository answers; the old one still exists until CloudFormation deletes it
    expect(outcome.physicalResourceId).toBe('acme-shop-orders-service');
    expect([...world.repositories.keys()].sort()).toEqual(['acme-shop-orders-api', 'acme-shop-orders-service']);
    expect(outcome.data?.KmsKeyArn).not.toBe(world.repositories.get(NAME)?.kmsKeyArn);

    // AND the cleanup Delete of the old id removes only the old one
    await send(givenDeleteRequest(NAME, old));
    expect([...world.repositories.keys()]).toEqual(['acme-shop-orders-service']);
    expect([...world.parameters.keys()].sort()).toEqual(['ECR_ORDERS_SERVICE_arn', 'ECR_ORDERS_SERVICE_kms_key_arn', 'ECR_ORDERS_SERVICE_name']);
    expect(world.liveKeys().map((key) => key.arn)).toEqual([outcome.data?.KmsKeyArn]);
  });

  it('moves the shared parameters to the new repository when only the application name changes', async () => {
    // GIVEN the parameter names depend on the base name only
    const { world, send } = givenProvider();
    const old = givenProperties();
    await send(givenCreateRequest(old));

    // WHEN the application changes (a replacement), then the old id is deleted
    const renamed = givenProperties({ ApplicationName: 'store' });
    await send(givenUpdateRequest({ physicalResourceId: NAME, old, new: renamed }));
    await send(givenDeleteRequest(NAME, old));

    // THEN the parameters describe the new repository and survived the cleanup
    expect(world.parameters.get('ECR_ORDERS_API_name')?.value).toBe('acme-store-orders-api');
    expect(world.parameters.get('ECR_ORDERS_API_arn')?.tags['org-ecr:repository']).toBe('acme-store-orders-api');
  });

  it('adopts the old repository again when CloudFormation rolls a replacement back', async () => {
    // GIVEN a replacement happened (old repository still there)
    const { world, send } = givenProvider();
    const old = givenFullProperties();
    await send(givenCreateRequest(old));
    const oldKey = world.repositories.get(NAME)?.kmsKeyArn;
    const renamed = givenFullProperties({ RepositoryBaseName: 'orders-service' });
    await send(givenUpdateRequest({ physicalResourceId: NAME, old, new: renamed }));

    // WHEN the rollback sends the Update with the properties swapped, then deletes the new id
    const rolledBack = await send(givenUpdateRequest({ physicalResourceId: 'acme-shop-orders-service', old: renamed, new: old }));
    await send(givenDeleteRequest('acme-shop-orders-service', renamed));

    // THEN the old repository is answered again, with its own key, and nothing else survives
    expect(rolledBack).toMatchObject({ physicalResourceId: NAME, data: { KmsKeyArn: oldKey } });
    expect([...world.repositories.keys()]).toEqual([NAME]);
    expect(world.liveKeys().map((key) => key.arn)).toEqual([oldKey]);
    expect(world.aliases.get('alias/acme-shop-orders-api')).toBe(oldKey);
  });

  it.each([
    ['on', givenProperties({ UseKmsKey: 'false' }), givenProperties({ UseKmsKey: 'true' }), 'To move to a customer-managed key'],
    ['off', givenProperties({ UseKmsKey: 'true' }), givenProperties({ UseKmsKey: 'false' }), 'To move to AES256'],
  ])('fails with UnsupportedUpdateError and writes nothing when UseKmsKey turns %s under the same name', async (_case, old, updated, advice) => {
    // GIVEN the repository as the old properties made it
    const { world, send } = givenProvider();
    await send(givenCreateRequest(old));
    world.calls.length = 0;

    // WHEN the key choice flips while the name stays
    const error = await rejectionOf(send(givenUpdateRequest({ physicalResourceId: NAME, old, new: updated })));

    // THEN the update is refused, judged against the repository's encryption, with the way forward, and nothing was written
    expect(error).toBeInstanceOf(UnsupportedUpdateError);
    expect(error.message).toContain(advice);
    expect(error.message).toContain('change RepositoryBaseName (or ApplicationName) in the same update');
    expect(world.calls).toEqual([]);
  });

  it('replaces the repository when UseKmsKey flips together with a new name', async () => {
    const { world, send } = givenProvider();
    await send(givenCreateRequest(givenProperties()));
    const outcome = await send(givenUpdateRequest({ physicalResourceId: NAME, old: givenProperties(), new: givenProperties({ UseKmsKey: 'true', RepositoryBaseName: 'orders-v2' }) }));
    expect(outcome.physicalResourceId).toBe('acme-shop-orders-v2');
    expect(world.repositories.get('acme-shop-orders-v2')?.encryptionType).toBe('KMS');
  });
});
