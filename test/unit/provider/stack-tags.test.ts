/**
 * The stack's own tags reach the repository, its key and its parameters, as CloudFormation
 * puts a stack's tags on native resources; read concurrently with the first step; never at the
 * cost of a deployment or a rollback.
 */
import type { StackTagReader } from '../../../handler/src/provider/provider';
import { FakeWorld } from '../../helpers/fake-world';
import { givenFullProperties, givenProperties, STACK_ID } from '../../helpers/given';
import { givenProvider } from '../../helpers/provider';
import { givenCreateRequest, givenDeleteRequest, givenUpdateRequest } from '../../helpers/requests';

const NAME = 'acme-shop-orders-api';

/** A stack whose tags tests change; records when it was read, counted in AWS calls made so far. */
class FakeStack implements StackTagReader {
  tags: Record<string, string> = { application: 'shop', team: 'from-stack', 'aws:cloudformation:stack-name': 'app' };
  failure: Error | undefined;
  readonly reads: { stackId: string; callsBefore: number }[] = [];
  constructor(private readonly world: FakeWorld) {}
  async read(stackId: string): Promise<Record<string, string>> {
    this.reads.push({ stackId, callsBefore: this.world.calls.length });
    if (this.failure) throw this.failure;
    return { ...this.tags };
  }
}

const accessDenied = () => Object.assign(new Error('User is not authorized to perform: cloudformation:DescribeStacks'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });

function given() {
  const world = new FakeWorld();
  const stack = new FakeStack(world);
  return { stack, ...givenProvider({ world, stackTags: stack }) };
}

describe('createRepositoryHandler with stack tags', () => {
  it('puts the stack tags on the repository, the key and every parameter on Create, under the consumer and organisation tags', async () => {
    // GIVEN a stack tagged application=shop and team=from-stack; the consumer says team=payments
    const { world, stack, send } = given();
    // WHEN
    await send(givenCreateRequest(givenFullProperties()));
    // THEN the stack tag is everywhere; the consumer's team and the organisation's tag win
    const key = world.liveKeys()[0]!;
    for (const tags of [world.repositories.get(NAME)!.tags, key.tags, ...[...world.parameters.values()].map((parameter) => parameter.tags)]) {
      expect(tags).toMatchObject({ application: 'shop', team: 'payments', 'cost-center': 'cc-42' });
      expect(Object.keys(tags).filter((tag) => tag.startsWith('aws:'))).toEqual([]);
    }
    // AND the stack was read once, on the request's StackId, before any AWS call had finished
    expect(stack.reads).toEqual([{ stackId: STACK_ID, callsBefore: 0 }]);
  });

  it('tags what the first step created in the step that follows, and everything else as it is created', async () => {
    // GIVEN a repository without a key: the repository is the first step, its policies and parameters the second
    const { world, send } = given();
    // WHEN
    await send(givenCreateRequest(givenProperties({ ImagesRetained: '5' })));
    // THEN the repository is created before the stack tags are known and tagged once after; the parameters carry them from the start
    const kinds = world.calls.map((action) => action.kind);
    expect(kinds[0]).toBe('ecr.createRepository');
    expect(world.calls[0]).toMatchObject({ tags: expect.not.objectContaining({ application: 'shop' }) });
    expect(world.calls.filter((action) => action.kind === 'ecr.tagResource')).toEqual([
      { kind: 'ecr.tagResource', repositoryArn: world.repositoryArn(NAME), tags: { application: 'shop', team: 'from-stack' } },
    ]);
    expect(world.calls.filter((action) => action.kind === 'ssm.putParameter').every((action) => 'tags' in action && action.tags?.application === 'shop')).toBe(true);
  });

  it('adds no call when the stack has no tags', async () => {
    const { world, stack, send } = given();
    stack.tags = {};
    await send(givenCreateRequest(givenProperties()));
    // (the lifecycle policy is the organisation's untagged-image expiry, on by default)
    expect(world.calls.map((action) => action.kind)).toEqual(['ecr.createRepository', 'ecr.putLifecyclePolicy', 'ssm.putParameter', 'ssm.putParameter']);
  });

  it('creates the repository without stack tags, and says so, when the stack cannot be read', async () => {
    // GIVEN a provider role without cloudformation:DescribeStacks
    const { world, stack, logger, send } = given();
    stack.failure = accessDenied();
    // WHEN
    const outcome = await send(givenCreateRequest(givenFullProperties()));
    // THEN the Create succeeds with the organisation's and the consumer's tags, and the log says why the stack's are missing
    expect(outcome.physicalResourceId).toBe(NAME);
    expect(world.repositories.get(NAME)?.tags).toMatchObject({ team: 'payments', 'cost-center': 'cc-42' });
    expect(world.repositories.get(NAME)?.tags.application).toBeUndefined();
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('Could not read the stack') }));
  });

  it('adds, changes and removes stack tags on Update as the stack tags changed, both ways', async () => {
    // GIVEN a repository created under application=shop
    const { world, stack, send } = given();
    await send(givenCreateRequest(givenFullProperties()));
    const keyArn = world.repositories.get(NAME)!.kmsKeyArn!;

    // WHEN the stack's tags changed (application gone, stage added) and the resource is updated
    stack.tags = { stage: 'prod' };
    await send(givenUpdateRequest({ physicalResourceId: NAME, old: givenFullProperties(), new: givenFullProperties({ ImagesRetained: '5' }) }));
    // THEN the repository, key and parameters follow the stack
    for (const tags of [world.repositories.get(NAME)!.tags, world.keys.get(keyArn)!.tags, world.parameters.get('ECR_ORDERS_API_arn')!.tags]) {
      expect(tags).toMatchObject({ stage: 'prod', team: 'payments' });
      expect(tags.application).toBeUndefined();
    }

    // WHEN the stack goes back (a rollback sends the old properties again)
    stack.tags = { application: 'shop' };
    await send(givenUpdateRequest({ physicalResourceId: NAME, old: givenFullProperties({ ImagesRetained: '5' }), new: givenFullProperties() }));
    // THEN so do they
    expect(world.repositories.get(NAME)!.tags).toMatchObject({ application: 'shop', team: 'payments' });
    expect(world.repositories.get(NAME)!.tags.stage).toBeUndefined();
    expect(world.parameters.get('ECR_ORDERS_API_name')!.tags.stage).toBeUndefined();
  });

  it('strips no stack tag when the stack cannot be read during an Update or its rollback', async () => {
    // GIVEN a repository tagged from its stack
    const { world, stack, send } = given();
    await send(givenCreateRequest(givenFullProperties()));
    world.calls.length = 0;
    // WHEN DescribeStacks fails (throttled past the SDK's retries) during an Update
    stack.failure = Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
    const outcome = await send(givenUpdateRequest({ physicalResourceId: NAME, old: givenFullProperties(), new: givenFullProperties({ ImagesRetained: '5' }) }));
    // THEN the Update does its work and no tag is removed anywhere
    expect(outcome.physicalResourceId).toBe(NAME);
    expect(world.repositories.get(NAME)?.lifecyclePolicy).toContain('"countNumber":5');
    expect(world.repositories.get(NAME)?.tags.application).toBe('shop');
    expect(world.calls.map((action) => action.kind).filter((kind) => kind.endsWith('untagResource') || kind === 'ssm.removeTagsFromResource')).toEqual([]);
  });

  it('still removes a tag the consumer took out of Tags when the stack cannot be read', async () => {
    // GIVEN a repository tagged team=payments by its consumer and application=shop by its stack
    const { world, stack, send } = given();
    await send(givenCreateRequest(givenFullProperties()));
    const keyArn = world.repositories.get(NAME)!.kmsKeyArn!;
    // WHEN the consumer removes its tag while DescribeStacks is denied
    stack.failure = accessDenied();
    await send(givenUpdateRequest({ physicalResourceId: NAME, old: givenFullProperties(), new: givenFullProperties({ Tags: [] }) }));
    // THEN the consumer's tag is gone everywhere and the stack's stays
    for (const tags of [world.repositories.get(NAME)!.tags, world.keys.get(keyArn)!.tags, world.parameters.get('ECR_ORDERS_API_arn')!.tags]) {
      expect(tags.team).toBeUndefined();
      expect(tags.application).toBe('shop');
    }
  });

  it('never reads the stack on Delete', async () => {
    const { stack, send } = given();
    await send(givenCreateRequest(givenProperties()));
    stack.reads.length = 0;
    await send(givenDeleteRequest(NAME));
    expect(stack.reads).toEqual([]);
  });
});
