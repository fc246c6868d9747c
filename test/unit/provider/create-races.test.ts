/**
 * Create under races and duplicates: a twin delivery of the same request writing the same
 * names a moment earlier, another stack racing for the repository name, two apps racing for
 * the parameters of one base name, and an alias someone else made under our name. Each race is
 * replayed deterministically: the other party acts just before a chosen call of ours.
 */
import { CREATE_FAILED_MARKER } from '../../../handler/src/contract';
import type { Action } from '../../../handler/src/core/model';
import { ConflictError } from '../../../handler/src/errors';
import type { ActionRunner } from '../../../handler/src/provider/execute';
import type { Observer } from '../../../handler/src/provider/provider';
import { createRepositoryHandler } from '../../../handler/src/provider/provider';
import { awsError, FakeWorld } from '../../helpers/fake-world';
import { FOREIGN_OWNER, givenFullProperties, givenProperties, givenSettingsEnv, ownershipTags } from '../../helpers/given';
import { givenProvider } from '../../helpers/provider';
import { givenCreateRequest, givenExecutionContext, givenUpdateRequest, RecordingLogger, rejectionOf } from '../../helpers/requests';

const NAME = 'acme-shop-orders-api';
const ALIAS = `alias/${NAME}`;
const PARAMETERS = ['ECR_ORDERS_API_arn', 'ECR_ORDERS_API_kms_key_arn', 'ECR_ORDERS_API_name'];

/** A runner over `world` where `other` acts once, just before the first of our calls matching `when`. */
function raceBefore(world: FakeWorld, when: (action: Action) => boolean, other: () => void): ActionRunner {
  let done = false;
  return {
    run: async (action, state, signal) => {
      if (!done && when(action)) {
        done = true;
        other();
      }
      return world.run(action, state);
    },
  };
}

function handlerOver(world: FakeWorld, runner: ActionRunner, observer: Observer = world) {
  const logger = new RecordingLogger();
  const handler = createRepositoryHandler({ observer, runner, logger, settings: () => givenSettingsEnv() });
  return { logger, send: (request: Parameters<typeof handler>[0]) => handler(request, givenExecutionContext()) };
}

/** What a twin delivery of the same Create leaves once it has finished, around `keyArn`. */
function twinFinished(world: FakeWorld, keyArn: string): void {
  world.aliases.set(ALIAS, keyArn);
  world.addParameter('ECR_ORDERS_API_arn', world.repositoryArn(NAME), ownershipTags(undefined, NAME));
  world.addParameter('ECR_ORDERS_API_name', NAME, ownershipTags(undefined, NAME));
  world.addParameter('ECR_ORDERS_API_kms_key_arn', keyArn, ownershipTags(undefined, NAME));
}

describe('createRepositoryHandler on Create, racing', () => {
  it('adopts and answers SUCCESS when a twin delivery writes the alias and parameters while it converges', async () => {
    // GIVEN a twin delivery created the repository (with its key) and is about to write the rest
    const world = new FakeWorld();
    const twinKey = world.addKey({ tags: ownershipTags(undefined, NAME) });
    world.addRepository(NAME, { kmsKeyArn: twinKey.arn, encryptionType: 'KMS', tags: ownershipTags() });
    // AND the twin writes alias and parameters just before this delivery does
    const { send } = handlerOver(world, raceBefore(world, (action) => action.kind === 'kms.createAlias', () => twinFinished(world, twinKey.arn)));

    // WHEN this delivery runs
    const outcome = await send(givenCreateRequest(givenFullProperties()));

    // THEN SUCCESS naming the repository's actual key, and everything it names exists
    expect(outcome.data?.KmsKeyArn).toBe(twinKey.arn);
    expect(world.aliases.get(ALIAS)).toBe(twinKey.arn);
    expect([...world.parameters.keys()].sort()).toEqual(PARAMETERS);
    expect(world.parameters.get('ECR_ORDERS_API_kms_key_arn')?.value).toBe(twinKey.arn);
    // AND only this delivery's own, unused key is on its way out
    expect(world.liveKeys().map((key) => key.arn)).toEqual([twinKey.arn]);
  });

  it('converges and answers SUCCESS when a twin that adopted wrote the alias and parameters before the winner did', async () => {
    // GIVEN this delivery wins the repository, and a twin writes the rest just before it
    const world = new FakeWorld();
    const { send } = handlerOver(
      world,
      raceBefore(world, (action) => action.kind === 'kms.createAlias', () => twinFinished(world, world.repositories.get(NAME)!.kmsKeyArn!)),
    );

    // WHEN it runs
    const outcome = await send(givenCreateRequest(givenFullProperties()));

    // THEN SUCCESS, nothing removed, one key
    expect(outcome.physicalResourceId).toBe(NAME);
    expect(world.liveKeys()).toHaveLength(1);
    expect(outcome.data?.KmsKeyArn).toBe(world.liveKeys()[0]?.arn);
    expect(world.repositories.has(NAME)).toBe(true);
    expect([...world.parameters.keys()].sort()).toEqual(PARAMETERS);
  });

  it('keeps its key when the repository that took the name is its own (a retried CreateRepository after a lost answer)', async () => {
    // GIVEN ECR creates the repository but the SDK's retry of the call finds it already there
    const world = new FakeWorld();
    const lostThenRetried: ActionRunner = {
      run: async (action, state) => {
        const result = await world.run(action, state);
        if (action.kind === 'ecr.createRepository') throw awsError('RepositoryAlreadyExistsException');
        return result;
      },
    };
    const { send } = handlerOver(world, lostThenRetried);

    // WHEN the Create runs
    const outcome = await send(givenCreateRequest(givenFullProperties()));

    // THEN SUCCESS, and the repository's key was never scheduled for deletion
    expect(world.kinds()).not.toContain('kms.scheduleKeyDeletion');
    expect(world.liveKeys()).toHaveLength(1);
    expect(outcome.data?.KmsKeyArn).toBe(world.repositories.get(NAME)?.kmsKeyArn);
    expect(world.aliases.get(ALIAS)).toBe(outcome.data?.KmsKeyArn);
  });

  it('writes no alias or parameter, and leaves the winner’s untouched, when it loses the repository to another stack', async () => {
    // GIVEN another stack just won the name and has not written its alias yet
    const world = new FakeWorld();
    const winnerKey = world.addKey({ tags: ownershipTags(FOREIGN_OWNER, NAME) });
    world.addRepository(NAME, { kmsKeyArn: winnerKey.arn, encryptionType: 'KMS', tags: ownershipTags(FOREIGN_OWNER) });
    const { send } = givenProvider({ world });

    // WHEN this stack's Create runs
    const error = await rejectionOf(send(givenCreateRequest(givenFullProperties())));

    // THEN a clean ConflictError: nothing visible was written, only its own key is on its way out
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.physicalResourceId).toBe(CREATE_FAILED_MARKER);
    expect(world.kinds()).not.toContain('kms.createAlias');
    expect(world.kinds()).not.toContain('ssm.putParameter');
    expect(world.kinds()).not.toContain('kms.deleteAlias');
    expect(world.liveKeys().map((key) => key.arn)).toEqual([winnerKey.arn]);
  });

  it('waits for the racing app to remove its parameters, then succeeds, when it holds the first parameter of the base name', async () => {
    // GIVEN another app with the same base name writes the other two parameters just before us
    const world = new FakeWorld();
    const theirs = ownershipTags(FOREIGN_OWNER, 'acme-web-orders-api');
    const runner = raceBefore(world, (action) => action.kind === 'ssm.putParameter', () => {
      world.addParameter('ECR_ORDERS_API_name', 'acme-web-orders-api', theirs);
      world.addParameter('ECR_ORDERS_API_kms_key_arn', 'arn:theirs', theirs);
    });
    // AND, having lost the first parameter, it removes them (seen from our second look on)
    let looks = 0;
    const observer: Observer = {
      observe: async (query, signal) => {
        const actual = await world.observe(query);
        if (++looks === 1) ['ECR_ORDERS_API_name', 'ECR_ORDERS_API_kms_key_arn'].forEach((name) => world.parameters.delete(name));
        return actual;
      },
    };
    const { send } = handlerOver(world, runner, observer);

    // WHEN our Create runs
    const outcome = await send(givenCreateRequest(givenFullProperties()));

    // THEN SUCCESS with all three parameters ours
    expect(outcome.physicalResourceId).toBe(NAME);
    expect(PARAMETERS.map((name) => world.parameters.get(name)?.tags['org-ecr:repository'])).toEqual([NAME, NAME, NAME]);
  });

  it('fails with a clean ConflictError, removing everything it wrote, when another app holds the first parameter of the base name', async () => {
    // GIVEN another app with the same base name writes the first parameter just before us
    const world = new FakeWorld();
    const theirs = ownershipTags(FOREIGN_OWNER, 'acme-web-orders-api');
    const runner = raceBefore(world, (action) => action.kind === 'ssm.putParameter', () => {
      world.addParameter('ECR_ORDERS_API_arn', 'arn:theirs', theirs);
    });
    const { send } = handlerOver(world, runner);

    // WHEN our Create runs
    const error = await rejectionOf(send(givenCreateRequest(givenFullProperties())));

    // THEN ConflictError; our repository, alias, key and parameters are gone; theirs stays
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.physicalResourceId).toBe(CREATE_FAILED_MARKER);
    expect(world.repositories.size).toBe(0);
    expect(world.aliases.size).toBe(0);
    expect(world.liveKeys()).toEqual([]);
    expect([...world.parameters.keys()]).toEqual(['ECR_ORDERS_API_arn']);
    expect(world.parameters.get('ECR_ORDERS_API_arn')?.tags).toEqual(theirs);
  });
});

describe('createRepositoryHandler on a duplicated in-place Update', () => {
  it('converges and answers SUCCESS when its twin recreates the missing parameters first', async () => {
    // GIVEN a created repository whose parameters were deleted by hand
    const world = new FakeWorld();
    await givenProvider({ world }).send(givenCreateRequest(givenFullProperties()));
    const keyArn = world.repositories.get(NAME)!.kmsKeyArn!;
    world.parameters.clear();
    // AND a twin delivery of the Update writes them just before this one does
    const { send } = handlerOver(world, raceBefore(world, (action) => action.kind === 'ssm.putParameter', () => twinFinished(world, keyArn)));

    // WHEN the Update runs
    const outcome = await send(givenUpdateRequest({ physicalResourceId: NAME, old: givenFullProperties(), new: givenFullProperties({ ImagesRetained: '20' }) }));

    // THEN SUCCESS, and every parameter it names exists with the right value
    expect(outcome.data?.KmsKeyArn).toBe(keyArn);
    expect([...world.parameters.keys()].sort()).toEqual(PARAMETERS);
    expect(world.parameters.get('ECR_ORDERS_API_kms_key_arn')?.value).toBe(keyArn);
  });
});

describe('createRepositoryHandler and an alias naming someone else’s key', () => {
  it('fails Create with ConflictError naming the alias, removing what it made, and leaves the alias as it was', async () => {
    // GIVEN the alias the repository's key would get already names a foreign key
    const world = new FakeWorld();
    const foreign = world.addKey({ tags: { team: 'other' } });
    world.aliases.set(ALIAS, foreign.arn);
    const { send } = givenProvider({ world });

    // WHEN the Create runs
    const error = await rejectionOf(send(givenCreateRequest(givenFullProperties())));

    // THEN a clear ConflictError, nothing of ours left, the alias still on the foreign key
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain(`KMS alias ${ALIAS} already exists and names key ${foreign.arn}, which is not managed by this resource`);
    expect(error.physicalResourceId).toBe(CREATE_FAILED_MARKER);
    expect(world.repositories.size).toBe(0);
    expect(world.parameters.size).toBe(0);
    expect(world.liveKeys()).toEqual([foreign]);
    expect(world.aliases.get(ALIAS)).toBe(foreign.arn);
  });

  it('reports it on Update at error level, and leaves it alone', async () => {
    // GIVEN a created repository whose alias someone repointed at their own key
    const { world, send, logger } = givenProvider();
    await send(givenCreateRequest(givenFullProperties()));
    const foreign = world.addKey({ tags: { team: 'other' } });
    world.aliases.set(ALIAS, foreign.arn);

    // WHEN an Update runs
    const outcome = await send(givenUpdateRequest({ physicalResourceId: NAME, old: givenFullProperties(), new: givenFullProperties({ ImagesRetained: '20' }) }));

    // THEN it succeeds, says so in the log, and the alias is untouched
    expect(outcome.data?.KmsKeyArn).toBe(world.repositories.get(NAME)?.kmsKeyArn);
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'error', message: expect.stringContaining(`KMS alias ${ALIAS} already exists and names key ${foreign.arn}`) }));
    expect(world.aliases.get(ALIAS)).toBe(foreign.arn);
    expect(world.keys.get(foreign.arn)?.state).toBe('Enabled');
  });

  it('says nothing when the alias names the repository’s own key', async () => {
    const { send, logger } = givenProvider();
    await send(givenCreateRequest(givenProperties({ UseKmsKey: 'true' })));
    await send(givenUpdateRequest({ physicalResourceId: NAME, old: givenProperties({ UseKmsKey: 'true' }), new: givenProperties({ UseKmsKey: 'true', ImagesRetained: '5' }) }));
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([]);
  });
});
