/**
 * Create calls that take effect but whose answer never arrives (a timeout, a lost connection):
 * whatever they made is either removed by the Create itself or named in the log and found by
 * the Delete that follows, so nothing is left for a later stack to trip over.
 */
import type { ActionKind } from '../../../handler/src/core/model';
import type { ActionRunner } from '../../../handler/src/provider/execute';
import { keyRequestToken, type KeyFinder } from '../../../handler/src/provider/create';
import { createRepositoryHandler } from '../../../handler/src/provider/provider';
import { FakeWorld } from '../../helpers/fake-world';
import { givenFullProperties, givenSettingsEnv } from '../../helpers/given';
import { givenCreateRequest, givenDeleteRequest, givenExecutionContext, givenUpdateRequest, RecordingLogger, rejectionOf } from '../../helpers/requests';

const NAME = 'acme-shop-orders-api';

/** AWS does the first call of `kind` (and the named one, if given), then the answer is lost. */
function losingAnswerOf(world: FakeWorld, kind: ActionKind, target?: string): ActionRunner {
  let lost = false;
  return {
    run: async (action, state) => {
      const result = await world.run(action, state);
      const matches = action.kind === kind && (target === undefined || ('name' in action && action.name === target));
      if (!lost && matches) {
        lost = true;
        throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      }
      return result;
    },
  };
}

/** Finds keys in the fake world by description, as AwsKeyFinder does in KMS. */
const finderOf = (world: FakeWorld): KeyFinder => ({
  findKeys: async (text) => [...world.keys.values()].filter((key) => key.description.includes(text) && key.state !== 'PendingDeletion').map((key) => ({ arn: key.arn, tags: key.tags })),
});

function handlerOver(world: FakeWorld, runner: ActionRunner, keyFinder?: KeyFinder) {
  const logger = new RecordingLogger();
  const handler = createRepositoryHandler({ observer: world, runner, logger, settings: () => givenSettingsEnv(), ...(keyFinder ? { keyFinder } : {}) });
  return { logger, send: (request: Parameters<typeof handler>[0]) => handler(request, givenExecutionContext()) };
}

describe('createRepositoryHandler when a create call’s answer is lost', () => {
  it.each([
    ['PutParameter', 'ssm.putParameter' as const, 'ECR_ORDERS_API_name'],
    ['CreateAlias', 'kms.createAlias' as const, `alias/${NAME}`],
  ])('answers the real name, names what may exist in the log, and the Delete that follows leaves nothing, for %s', async (_call, kind, target) => {
    // GIVEN AWS makes the thing but the answer is lost
    const world = new FakeWorld();
    const { send, logger } = handlerOver(world, losingAnswerOf(world, kind, kind === 'ssm.putParameter' ? target : undefined));

    // WHEN the Create runs
    const error = await rejectionOf(send(givenCreateRequest(givenFullProperties())));

    // THEN it fails with the real name (not the marker), and the log names what may exist
    expect(error.physicalResourceId).toBe(NAME);
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'error', extra: [expect.objectContaining({ unanswered: expect.arrayContaining([expect.objectContaining({ name: target })]) })] }));

    // AND the Delete CloudFormation sends with that id leaves nothing of ours behind
    await send(givenDeleteRequest(NAME, givenFullProperties()));
    expect(world.repositories.size).toBe(0);
    expect(world.parameters.size).toBe(0);
    expect(world.aliases.size).toBe(0);
    expect(world.liveKeys()).toEqual([]);
  });

  it('finds the key of an unanswered CreateKey by the request in its description and schedules its deletion', async () => {
    // GIVEN KMS makes the key but the answer is lost
    const world = new FakeWorld();
    const { send, logger } = handlerOver(world, losingAnswerOf(world, 'kms.createKey'), finderOf(world));

    // WHEN the Create runs
    const error = await rejectionOf(send(givenCreateRequest(givenFullProperties())));

    // THEN the key carries the request in its description, was found, and is on its way out
    const [key] = world.keys.values();
    expect(key?.description).toContain(keyRequestToken('req-1'));
    expect(key?.state).toBe('PendingDeletion');
    expect(error.physicalResourceId).toBe(NAME);
    expect(logger.text()).toContain('scheduled for deletion');
  });

  it('names the key’s description in the log when it cannot search for the key', async () => {
    const world = new FakeWorld();
    const { send, logger } = handlerOver(world, losingAnswerOf(world, 'kms.createKey'));

    await rejectionOf(send(givenCreateRequest(givenFullProperties())));

    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'error', extra: [expect.objectContaining({ description: keyRequestToken('req-1') })] }));
  });

  it('names the new repository in the log when a replacement’s CreateRepository goes unanswered', async () => {
    // GIVEN a replacing Update whose CreateRepository takes effect without an answer
    const world = new FakeWorld();
    const { send, logger } = handlerOver(world, losingAnswerOf(world, 'ecr.createRepository'));

    // WHEN the base name changes
    await rejectionOf(
      send(givenUpdateRequest({ physicalResourceId: NAME, old: givenFullProperties(), new: givenFullProperties({ RepositoryBaseName: 'orders-api-v2' }) })),
    );

    // THEN the log names the new repository, and says no Delete will follow
    const line = logger.lines.find((entry) => entry.level === 'error' && entry.message.includes('Replacement of acme-shop-orders-api by acme-shop-orders-api-v2'));
    expect(line?.message).toContain('no Delete follows a failed Update');
    expect(line?.extra).toEqual([expect.objectContaining({ unanswered: [{ type: 'repository', name: 'acme-shop-orders-api-v2' }] })]);
  });
});
