import type { Action } from '../../../handler/src/core/model';
import { compensationPlan, execute, Journal } from '../../../handler/src/provider/execute';
import { FakeWorld } from '../../helpers/fake-world';
import { givenDesired, NEVER } from '../../helpers/given';
import { planCreate } from '../../../handler/src/core/plan';

describe('execute', () => {
  it('runs the steps in order and records what it created, with the key it made', async () => {
    const world = new FakeWorld();
    const journal = new Journal();

    const state = await execute(planCreate(givenDesired({ useKmsKey: true })), world, NEVER, journal);

    expect(state.createdKeyArn).toBe(world.liveKeys()[0]?.arn);
    expect(journal.created).toEqual([
      { type: 'key', arn: state.createdKeyArn },
      { type: 'repository', name: 'acme-shop-orders-api' },
      { type: 'alias', name: 'alias/acme-shop-orders-api' },
      { type: 'parameter', name: 'ECR_ORDERS_API_kms_key_arn' },
      { type: 'parameter', name: 'ECR_ORDERS_API_arn' },
      { type: 'parameter', name: 'ECR_ORDERS_API_name' },
    ]);
  });

  it('lets every action of the failing step settle before it fails, so the journal is complete', async () => {
    // GIVEN the repository's rotation fails in the step that also creates the repository
    const world = new FakeWorld().failWhen('kms.enableKeyRotation');
    const journal = new Journal();

    // WHEN the plan runs
    await expect(execute(planCreate(givenDesired({ useKmsKey: true }, { keyRotation: true })), world, NEVER, journal)).rejects.toThrow('kms.enableKeyRotation');

    // THEN the repository of the same step is recorded; the next step never ran
    expect(journal.created.map((entry) => entry.type)).toEqual(['key', 'repository']);
    expect(world.kinds()).not.toContain('kms.createAlias');
    expect(world.kinds()).not.toContain('ssm.putParameter');
  });

  it('does not record an overwritten parameter as created', async () => {
    const world = new FakeWorld();
    world.addParameter('P', 'old');
    const journal = new Journal();
    await execute([[{ kind: 'ssm.putParameter', name: 'P', value: { text: 'new' } }]], world, NEVER, journal);
    expect(journal.created).toEqual([]);
  });

  it('stops before the next step when the request is aborted', async () => {
    const controller = new AbortController();
    const world = new FakeWorld();
    const first: Action[] = [{ kind: 'ecr.createRepository', repositoryName: 'acme-a', tags: {} }];
    const second: Action[] = [{ kind: 'ecr.putImageScanningConfiguration', repositoryName: 'acme-a' }];
    const running = execute([first, second], { run: async (action, state) => (controller.abort(), world.run(action, state)) }, controller.signal, new Journal());
    await expect(running).rejects.toThrow();
    expect(world.kinds()).toEqual(['ecr.createRepository']);
  });
});

describe('compensationPlan', () => {
  it('removes repository, alias and parameters first and schedules keys last', () => {
    const plan = compensationPlan(
      [
        { type: 'key', arn: 'k' },
        { type: 'repository', name: 'r' },
        { type: 'alias', name: 'alias/r' },
        { type: 'parameter', name: 'P' },
        { type: 'parameter', name: 'Q' },
      ],
      7,
    );
    expect(plan).toEqual([
      [
        { kind: 'ecr.deleteRepository', repositoryName: 'r' },
        { kind: 'kms.deleteAlias', aliasName: 'alias/r' },
        { kind: 'ssm.deleteParameters', names: ['P', 'Q'] },
      ],
      [{ kind: 'kms.scheduleKeyDeletion', keyArn: 'k', pendingWindowInDays: 7 }],
    ]);
  });

  it('plans nothing when nothing was created', () => {
    expect(compensationPlan([], 30)).toEqual([]);
  });
});

describe('Journal', () => {
  it('forgets entries that were removed and keeps the rest', () => {
    const journal = new Journal();
    journal.record({ kind: 'ecr.createRepository', repositoryName: 'r', tags: {} });
    journal.record({ kind: 'ssm.putParameter', name: 'P', value: { text: 'v' }, tags: {} });
    journal.forget(journal.created.filter((entry) => entry.type === 'repository'));
    expect(journal.created).toEqual([{ type: 'parameter', name: 'P' }]);
  });

  it('remembers a create whose answer never came, and not one AWS refused', async () => {
    // GIVEN a CreateRepository that times out, and one refused with a 400
    const timedOut = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    const refused = Object.assign(new Error('bad name'), { name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });
    const create: Action = { kind: 'ecr.createRepository', repositoryName: 'acme-a', tags: {} };
    // WHEN each is executed
    const unsure = new Journal();
    await expect(execute([[create]], { run: async () => Promise.reject(timedOut) }, NEVER, unsure)).rejects.toThrow();
    const sure = new Journal();
    await expect(execute([[create]], { run: async () => Promise.reject(refused) }, NEVER, sure)).rejects.toThrow();
    // THEN only the first may have created something unseen
    expect(unsure.mayHaveCreatedUnseen).toBe(true);
    expect(sure.mayHaveCreatedUnseen).toBe(false);
  });
});
