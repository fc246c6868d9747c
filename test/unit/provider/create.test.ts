import { CREATE_FAILED_MARKER } from '../../../handler/src/contract';
import { AwsCallError, ConflictError, InvalidPropertiesError } from '../../../handler/src/errors';
import { snapshotOf } from '../../helpers/arbitraries';
import { FakeWorld } from '../../helpers/fake-world';
import { FOREIGN_OWNER, givenFullProperties, givenProperties, givenSettingsEnv, OWNER_ACCOUNT, ownershipTags } from '../../helpers/given';
import { createRepositoryHandler } from '../../../handler/src/provider/provider';
import { givenProvider } from '../../helpers/provider';
import { givenCreateRequest, givenExecutionContext, RecordingLogger, rejectionOf } from '../../helpers/requests';

const NAME = 'acme-shop-orders-api';

describe('createRepositoryHandler on Create', () => {
  it('creates everything and answers the name and attributes when nothing exists', async () => {
    // GIVEN an empty account and the example properties
    const { world, handler } = givenProvider();
    const context = givenExecutionContext();

    // WHEN CloudFormation asks for the repository
    const outcome = await handler(givenCreateRequest(givenFullProperties()), context);

    // THEN the repository exists with its key, policies and parameters, and the attributes name them
    const key = world.liveKeys()[0]!;
    expect(outcome).toEqual({
      physicalResourceId: NAME,
      data: {
        RepositoryName: NAME,
        RepositoryArn: `arn:aws:ecr:eu-west-1:${OWNER_ACCOUNT}:repository/${NAME}`,
        RepositoryUri: `${OWNER_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/${NAME}`,
        KmsKeyArn: key.arn,
        ArnParameterName: 'ECR_ORDERS_API_arn',
        NameParameterName: 'ECR_ORDERS_API_name',
        KmsKeyArnParameterName: 'ECR_ORDERS_API_kms_key_arn',
      },
    });
    expect(context.claimed).toEqual([NAME]);
    expect(world.repositories.get(NAME)).toMatchObject({ encryptionType: 'KMS', kmsKeyArn: key.arn, scanOnPush: true, tags: { team: 'payments', 'cost-center': 'cc-42' } });
    expect(world.repositories.get(NAME)?.lifecyclePolicy).toContain('"countNumber":10');
    expect(world.repositories.get(NAME)?.repositoryPolicy).toContain('ecr:BatchGetImage');
    expect(world.aliases.get('alias/acme-shop-orders-api')).toBe(key.arn);
    expect([...world.parameters.keys()].sort()).toEqual(['ECR_ORDERS_API_arn', 'ECR_ORDERS_API_kms_key_arn', 'ECR_ORDERS_API_name']);
    expect(world.parameters.get('ECR_ORDERS_API_kms_key_arn')?.value).toBe(key.arn);
  });

  it('answers empty key attributes and never reads when there is no customer key', async () => {
    const { world, send } = givenProvider();
    const outcome = await send(givenCreateRequest(givenProperties()));
    expect(outcome.data).toMatchObject({ KmsKeyArn: '', KmsKeyArnParameterName: '' });
    expect(world.reads).toEqual([]);
    expect(world.repositories.get(NAME)?.encryptionType).toBe('AES256');
  });

  it('adopts and converges without a second surviving key when the Create is delivered again', async () => {
    // GIVEN a first delivery created everything
    const { world, send } = givenProvider();
    const first = await send(givenCreateRequest(givenFullProperties()));
    const [originalKey] = world.liveKeys();

    // WHEN the same Create arrives again
    const second = await send(givenCreateRequest(givenFullProperties()));

    // THEN it succeeds with the same answer; the key this retry created is on its way out
    expect(second).toEqual(first);
    expect(world.liveKeys()).toEqual([originalKey]);
    expect(world.keys.size).toBe(2);
    expect(world.aliases.get('alias/acme-shop-orders-api')).toBe(originalKey?.arn);
    expect(world.repositories.get(NAME)?.kmsKeyArn).toBe(originalKey?.arn);
    expect(world.parameters.get('ECR_ORDERS_API_kms_key_arn')?.value).toBe(originalKey?.arn);
  });

  it('finishes with one live key when an earlier attempt left only a key and its alias', async () => {
    // GIVEN an interrupted first delivery: key and alias exist, tagged for this repository, nothing else
    const world = new FakeWorld();
    const stray = world.addKey({ tags: { ...ownershipTags(undefined, NAME) } });
    world.aliases.set('alias/acme-shop-orders-api', stray.arn);
    const { send } = givenProvider({ world });

    // WHEN the Create is delivered again
    const outcome = await send(givenCreateRequest(givenFullProperties()));

    // THEN the repository, alias and key parameter agree on one key; the stray key is on its way out
    const [live] = world.liveKeys();
    expect(world.liveKeys()).toHaveLength(1);
    expect(outcome.data?.KmsKeyArn).toBe(live?.arn);
    expect(world.repositories.get(NAME)?.kmsKeyArn).toBe(live?.arn);
    expect(world.aliases.get('alias/acme-shop-orders-api')).toBe(live?.arn);
    expect(world.parameters.get('ECR_ORDERS_API_kms_key_arn')?.value).toBe(live?.arn);
    expect(world.keys.get(stray.arn)?.state).toBe('PendingDeletion');
    expect([...world.parameters.keys()]).toHaveLength(3);
  });

  it('fails with ConflictError and the marker, leaving nothing behind, when the repository belongs to someone else', async () => {
    // GIVEN another stack's repository under the same name
    const world = new FakeWorld();
    world.addRepository(NAME, { tags: ownershipTags(FOREIGN_OWNER) });
    const before = snapshotOf(world);
    const { send } = givenProvider({ world });

    // WHEN the Create runs
    const error = await rejectionOf(send(givenCreateRequest(givenFullProperties())));

    // THEN it refuses, and what it created meanwhile is gone (its key pending deletion)
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain(`Repository ${NAME} already exists and is not managed by this resource`);
    expect(error.physicalResourceId).toBe(CREATE_FAILED_MARKER);
    expect(world.repositories.get(NAME)?.tags).toEqual(ownershipTags(FOREIGN_OWNER));
    expect(world.liveKeys()).toEqual([]);
    expect(world.aliases.size).toBe(0);
    expect(world.parameters.size).toBe(0);
    expect(snapshotOf(world)).not.toBe(before);
  });

  it('fails with ConflictError and the repository name when the key it made meanwhile cannot be scheduled for deletion', async () => {
    // GIVEN another stack's repository, and KMS refusing to schedule deletions
    const world = new FakeWorld().failWhen('kms.scheduleKeyDeletion');
    world.addRepository(NAME, { tags: ownershipTags(FOREIGN_OWNER) });
    const { send } = givenProvider({ world });

    // WHEN the Create runs
    const error = await rejectionOf(send(givenCreateRequest(givenFullProperties())));

    // THEN the answer keeps the name: something of ours may remain
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.physicalResourceId).toBe(NAME);
    expect(world.liveKeys()).toHaveLength(1);
  });

  it('fails with ConflictError and the marker when a parameter with the same name belongs to another repository', async () => {
    const world = new FakeWorld();
    world.addParameter('ECR_ORDERS_API_arn', 'arn:other', ownershipTags(FOREIGN_OWNER, 'acme-web-orders-api'));
    const { send } = givenProvider({ world });

    const error = await rejectionOf(send(givenCreateRequest(givenProperties())));

    expect(error).toBeInstanceOf(ConflictError);
    expect(error.physicalResourceId).toBe(CREATE_FAILED_MARKER);
    expect(world.repositories.size).toBe(0);
    expect([...world.parameters.keys()]).toEqual(['ECR_ORDERS_API_arn']);
    expect(world.parameters.get('ECR_ORDERS_API_arn')?.value).toBe('arn:other');
  });

  it('fails naming the step and the AWS error, removing what it created, when a call fails midway', async () => {
    // GIVEN the repository policy cannot be set
    const world = new FakeWorld().failWhen('ecr.setRepositoryPolicy', 'AccessDeniedException');
    const { send } = givenProvider({ world });

    // WHEN the Create runs
    const error = await rejectionOf(send(givenCreateRequest(givenFullProperties())));

    // THEN the reason names the step and the error, nothing created remains, and the marker says so
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error.message).toMatch(/^ecr\.setRepositoryPolicy on acme-shop-orders-api failed: AccessDeniedException/);
    expect(error.physicalResourceId).toBe(CREATE_FAILED_MARKER);
    expect(world.repositories.size).toBe(0);
    expect(world.aliases.size).toBe(0);
    expect(world.parameters.size).toBe(0);
    expect(world.liveKeys()).toEqual([]);
  });

  it('fails with the repository name when removing what it created fails too, so the Delete that follows cleans up', async () => {
    const world = new FakeWorld().failWhen('ecr.putLifecyclePolicy').failWhen('ecr.deleteRepository');
    const { send } = givenProvider({ world });

    const error = await rejectionOf(send(givenCreateRequest(givenFullProperties())));

    expect(error.message).toContain('ecr.putLifecyclePolicy');
    expect(error.physicalResourceId).toBe(NAME);
    expect(world.repositories.get(NAME)?.tags).toMatchObject(ownershipTags());
  });

  it('fails with the repository name, not the marker, when CreateRepository went unanswered (AWS may have made it)', async () => {
    // GIVEN an account where ECR creates the repository but the answer is lost (a timeout)
    const world = new FakeWorld();
    const lostAnswer = {
      run: async (...args: Parameters<FakeWorld['run']>) => {
        const result = await world.run(...args);
        if (args[0].kind === 'ecr.createRepository') throw Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
        return result;
      },
    };
    const handler = createRepositoryHandler({ observer: world, runner: lostAnswer, logger: new RecordingLogger(), settings: () => givenSettingsEnv() });

    // WHEN CloudFormation asks for a repository without a key
    const error = await rejectionOf(handler(givenCreateRequest(givenProperties()), givenExecutionContext()));

    // THEN the failure keeps the name, so the Delete that follows finds the tagged repository
    expect(error.physicalResourceId).toBe(NAME);
    expect(world.repositories.get(NAME)?.tags).toMatchObject(ownershipTags());
  });

  it('fails with InvalidPropertiesError before any AWS call when the properties are malformed', async () => {
    const { world, send } = givenProvider();
    await expect(send(givenCreateRequest(givenProperties({ ImagesRetained: 'ten' })))).rejects.toThrow(InvalidPropertiesError);
    expect(world.calls).toEqual([]);
    expect(world.reads).toEqual([]);
  });
});
