/**
 * Every refused Update has a rollback that succeeds: CloudFormation rolls a failed Update back
 * with another Update whose properties are swapped, and a refusal there leaves the stack in
 * UPDATE_ROLLBACK_FAILED. Refusals are judged against what exists, not against
 * OldResourceProperties, and settings tightened after the deploy never fail an Update.
 */
import { InvalidPropertiesError, UnsupportedUpdateError } from '../../../handler/src/errors';
import { FakeWorld } from '../../helpers/fake-world';
import { givenFullProperties, givenProperties, givenSettingsEnv } from '../../helpers/given';
import { givenProvider } from '../../helpers/provider';
import { givenCreateRequest, givenUpdateRequest, rejectionOf } from '../../helpers/requests';
import { snapshotOf } from '../../helpers/arbitraries';

const NAME = 'acme-shop-orders-api';

describe('createRepositoryHandler on the rollback of a refused Update', () => {
  it.each([
    ['alone', {}],
    ['with an invalid value alongside', { ImagesRetained: 'ten' }],
    ['with an unknown property alongside', { Colour: 'blue' }],
  ])('converges the rollback of a refused UseKmsKey flip %s', async (_case, extra) => {
    // GIVEN a repository with a customer key
    const { world, send } = givenProvider();
    const deployed = givenFullProperties();
    await send(givenCreateRequest(deployed));
    const before = snapshotOf(world);

    // WHEN an Update turns the key off under the same name, and is refused
    const forward = givenFullProperties({ UseKmsKey: 'false', ...extra });
    const refusal = await rejectionOf(send(givenUpdateRequest({ physicalResourceId: NAME, old: deployed, new: forward })));
    expect([UnsupportedUpdateError, InvalidPropertiesError]).toContain(refusal.constructor);

    // THEN its rollback (the properties swapped) succeeds on the same repository and changes nothing
    const rollback = await send(givenUpdateRequest({ physicalResourceId: NAME, old: forward, new: deployed }));
    expect(rollback.physicalResourceId).toBe(NAME);
    expect(snapshotOf(world)).toBe(before);
  });

  it('refuses a UseKmsKey flip by the repository’s actual encryption and writes nothing', async () => {
    // GIVEN a repository without a customer key, and properties that claim one was there
    const { world, send } = givenProvider();
    await send(givenCreateRequest(givenProperties()));
    world.calls.length = 0;

    // WHEN an Update asks for a key whose OldResourceProperties say there was one already
    const error = await rejectionOf(
      send(givenUpdateRequest({ physicalResourceId: NAME, old: givenProperties({ UseKmsKey: 'true' }), new: givenProperties({ UseKmsKey: 'true' }) })),
    );

    // THEN the refusal follows the repository (AES256), not the old properties, and nothing was written
    expect(error).toBeInstanceOf(UnsupportedUpdateError);
    expect(error.message).toContain('To move to a customer-managed key');
    expect(world.calls).toEqual([]);
  });

  it('lets the organisation’s tag win, with a warning, when a mandatory tag now clashes with a deployed consumer tag', async () => {
    // GIVEN a repository deployed with team=payments, then the platform makes `team` mandatory
    const world = new FakeWorld();
    const deployed = givenFullProperties({ Tags: [{ Key: 'team', Value: 'payments' }] });
    await givenProvider({ world }).send(givenCreateRequest(deployed));
    const stricter = givenSettingsEnv({ ORG_MANDATORY_TAGS: JSON.stringify({ 'cost-center': 'cc-42', team: 'platform' }) });
    const provider = givenProvider({ world, settings: stricter });

    // WHEN a forward Update fails for another reason and its rollback sends the deployed properties back
    const forward = givenFullProperties({ ImagesRetained: 'ten', Tags: [] });
    await expect(provider.send(givenUpdateRequest({ physicalResourceId: NAME, old: deployed, new: forward }))).rejects.toThrow(InvalidPropertiesError);
    const rollback = await provider.send(givenUpdateRequest({ physicalResourceId: NAME, old: forward, new: deployed }));

    // THEN the rollback succeeds, the organisation's value is on everything, and the log says why
    expect(rollback.physicalResourceId).toBe(NAME);
    expect(world.repositories.get(NAME)?.tags.team).toBe('platform');
    expect(world.parameters.get('ECR_ORDERS_API_arn')?.tags.team).toBe('platform');
    expect(provider.logger.lines.find((line) => line.level === 'warn')?.message).toContain('"team", which the organisation now sets to "platform"');
  });

  it('leaves out the last consumer tags, with a warning, when mandatory tags added since pass AWS’s 50', async () => {
    // GIVEN a repository deployed with 45 consumer tags (50 with 1 organisation tag and the provider's)
    const world = new FakeWorld();
    const many = Array.from({ length: 46 }, (_, index) => ({ Key: `tag-${index}`, Value: 'x' }));
    const deployed = givenProperties({ Tags: many });
    await givenProvider({ world }).send(givenCreateRequest(deployed));
    expect(Object.keys(world.repositories.get(NAME)?.tags ?? {})).toHaveLength(49);

    // WHEN the platform adds two mandatory tags and the stack sends the deployed properties again
    const more = givenSettingsEnv({ ORG_MANDATORY_TAGS: JSON.stringify({ 'cost-center': 'cc-42', owner: 'platform', tier: 'gold' }) });
    const provider = givenProvider({ world, settings: more });
    const outcome = await provider.send(givenUpdateRequest({ physicalResourceId: NAME, old: deployed, new: deployed }));

    // THEN it succeeds within AWS's limit: the mandatory tags are there, the last two consumer tags are not
    expect(outcome.physicalResourceId).toBe(NAME);
    const tags = world.repositories.get(NAME)?.tags ?? {};
    expect(Object.keys(tags).length).toBeLessThanOrEqual(50);
    expect(tags).toMatchObject({ owner: 'platform', tier: 'gold', 'tag-43': 'x' });
    expect(tags).not.toHaveProperty('tag-44');
    expect(tags).not.toHaveProperty('tag-45');
    expect(provider.logger.text()).toContain('\\"tag-44\\", \\"tag-45\\" left out');
  });

  it('still refuses a consumer tag that overrides an organisation tag on Create', async () => {
    const { send } = givenProvider();
    const error = await rejectionOf(send(givenCreateRequest(givenProperties({ Tags: [{ Key: 'cost-center', Value: 'mine' }] }))));
    expect(error).toBeInstanceOf(InvalidPropertiesError);
    expect(error.message).toContain('cannot override the organisation tag "cost-center"');
  });
});
