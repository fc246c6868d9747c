/**
 * A CreateKey the SDK retried after an attempt whose answer was lost (the connection broke
 * after KMS made the key): the retry makes a second key. The Create keeps the key its
 * repository uses and schedules the other for deletion, found by the request's token in its
 * description; a key it cannot find is named in the log. The happy path looks for nothing.
 */
import type { KeyFinder, KeySearch } from '../../../handler/src/provider/create';
import { keyRequestToken } from '../../../handler/src/provider/create';
import type { ActionRunner } from '../../../handler/src/provider/execute';
import { createRepositoryHandler } from '../../../handler/src/provider/provider';
import { FakeWorld } from '../../helpers/fake-world';
import { givenFullProperties, givenSettingsEnv } from '../../helpers/given';
import { givenCreateRequest, givenExecutionContext, RecordingLogger } from '../../helpers/requests';

/** KMS makes a key on each of `unanswered` lost attempts, then on the retry that answers. */
function retryingCreateKey(world: FakeWorld, unanswered: number): ActionRunner {
  return {
    run: async (action, state) => {
      if (action.kind !== 'kms.createKey') return world.run(action, state);
      for (let attempt = 0; attempt < unanswered; attempt++) await world.run(action, state);
      const result = await world.run(action, state);
      return { ...result, unansweredAttempts: unanswered };
    },
  };
}

/** Finds keys in the fake world as AwsKeyFinder does in KMS (newest first, `count` at most). */
function finderOf(world: FakeWorld, searches: KeySearch[] = []): KeyFinder {
  return {
    findKeys: async (text, _signal, search = {}) => {
      searches.push(search);
      const live = [...world.keys.values()].reverse().filter((key) => key.description.includes(text) && key.state !== 'PendingDeletion' && !(search.except ?? []).includes(key.arn));
      return live.slice(0, search.count ?? 1).map((key) => ({ arn: key.arn, tags: key.tags }));
    },
  };
}

function handlerOver(world: FakeWorld, runner: ActionRunner, keyFinder?: KeyFinder) {
  const logger = new RecordingLogger();
  const handler = createRepositoryHandler({ observer: world, runner, logger, settings: () => givenSettingsEnv(), ...(keyFinder ? { keyFinder } : {}) });
  return { logger, send: () => handler(givenCreateRequest(givenFullProperties()), givenExecutionContext()) };
}

describe('createRepositoryHandler when the SDK retried a CreateKey whose answer was lost', () => {
  it.each([1, 2])('keeps the key in use and schedules the %i extra key(s) the lost attempts made', async (unanswered) => {
    // GIVEN KMS made a key on each lost attempt, and one more on the retry that answered
    const world = new FakeWorld();
    const searches: KeySearch[] = [];
    const { send, logger } = handlerOver(world, retryingCreateKey(world, unanswered), finderOf(world, searches));

    // WHEN the Create runs
    const outcome = await send();

    // THEN it succeeds on the retry's key, and exactly that key of this request stays enabled
    const keys = [...world.keys.values()];
    expect(keys).toHaveLength(unanswered + 1);
    expect(keys.every((key) => key.description.includes(keyRequestToken('req-1')))).toBe(true);
    const enabled = keys.filter((key) => key.state === 'Enabled');
    expect(enabled.map((key) => key.arn)).toEqual([outcome.data?.KmsKeyArn]);
    expect(keys.filter((key) => key.state === 'PendingDeletion')).toHaveLength(unanswered);
    // AND the search never offered the key in use, and asked for as many keys as attempts were lost
    expect(searches).toEqual([{ except: [outcome.data?.KmsKeyArn], count: unanswered }]);
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('found by its description and scheduled for deletion') }));
  });

  it('never schedules a key of this description that another resource owns', async () => {
    // GIVEN the extra key's tags name another stack (only a forged description could do that)
    const world = new FakeWorld();
    const runner = retryingCreateKey(world, 1);
    const { send, logger } = handlerOver(world, runner, {
      findKeys: async (text, signal, search) => (await finderOf(world).findKeys(text, signal, search)).map((key) => ({ ...key, tags: { ...key.tags, 'org-ecr:stack-id': 'other' } })),
    });

    // WHEN the Create runs
    await send();

    // THEN both keys stay, and the log names the description to look for
    expect([...world.keys.values()].map((key) => key.state)).toEqual(['Enabled', 'Enabled']);
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', extra: [expect.objectContaining({ description: keyRequestToken('req-1') })] }));
  });

  it('names the description in the log when the lost attempt made no key it can find, or when it cannot search', async () => {
    // (a finder that finds nothing: the lost attempt never reached KMS, or KMS lists its key later)
    for (const finder of [{ findKeys: async () => [] } satisfies KeyFinder, undefined]) {
      const world = new FakeWorld();
      const { send, logger } = handlerOver(world, retryingCreateKey(world, 1), finder);
      await send();
      expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('schedule its deletion by hand'), extra: [expect.objectContaining({ description: keyRequestToken('req-1') })] }));
    }
  });

  it('looks for nothing when every attempt was answered', async () => {
    const world = new FakeWorld();
    const searches: KeySearch[] = [];
    const { send } = handlerOver(world, retryingCreateKey(world, 0), finderOf(world, searches));
    await send();
    expect(searches).toEqual([]);
    expect(world.liveKeys()).toHaveLength(1);
  });
});
