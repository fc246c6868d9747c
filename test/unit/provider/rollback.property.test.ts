/**
 * The rollback invariant: whatever the forward Update (in place, replacing, refused for a
 * key flip, for invalid properties or for sharing the settings do not allow) and whatever the
 * settings changed since the deploy (prefix, parameter prefix, mandatory tags, organisation id,
 * tag mutability, untagged-image expiry, the key requirement), the rollback CloudFormation sends (an Update
 * with the properties swapped, then a Delete of the new id when the forward one replaced)
 * always succeeds, answers the original physical id and leaves the world as it was.
 *
 * "As it was" is the world after the deployed properties were applied again under today's
 * settings (a settings change reaches a repository with its next Update, forward or back);
 * keys pending deletion are left out: a replacement's own key is scheduled, never kept.
 */
import fc from 'fast-check';
import { FakeWorld } from '../../helpers/fake-world';
import { givenSettingsEnv } from '../../helpers/given';
import { givenProvider } from '../../helpers/provider';
import { givenCreateRequest, givenDeleteRequest, givenUpdateRequest } from '../../helpers/requests';

type Properties = Record<string, unknown>;

const ORGANIZATION = 'o-a1b2c3d4e5';
const OU = `${ORGANIZATION}/r-ab12/ou-ab12-11111111/`;
const OTHER_OU = `${ORGANIZATION}/r-ab12/ou-ab12-22222222/`;
const OTHER_ORGANIZATION_OU = 'o-zzzzzzzzzz/r-ab12/ou-ab12-11111111/';

const tags = fc.subarray([
  { Key: 'team', Value: 'payments' },
  { Key: 'constructor', Value: 'c' },
  { Key: 'purpose', Value: 'api' },
]);

/** Tag mutability a template may deploy (valid whatever the settings). */
const mutability = fc.constantFrom<Properties>(
  {},
  { ImageTagMutability: 'MUTABLE' },
  { ImageTagMutability: 'IMMUTABLE' },
  { ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', ImageTagMutabilityExclusionFilters: 'latest,dev-*' },
);

/** What a template deployed: valid under the settings of the day. */
const deployed = fc.tuple(fc.record({
  ApplicationName: fc.constantFrom('shop', 'Billing'),
  RepositoryBaseName: fc.constantFrom('orders-api', 'Payments.API'),
  // '' leaves it to the organisation (ORG_REQUIRE_KMS_KEY) on Create, to the repository after
  UseKmsKey: fc.constantFrom('true', 'false', ''),
  ImagesRetained: fc.constantFrom('', '3', '10'),
  ShareableWithAllEnvs: fc.constantFrom('true', 'false'),
  ShareWithOrganization: fc.constantFrom('true', 'false'),
  ShareWithOrganizationalUnitPaths: fc.constantFrom('', OU),
  LambdaPullFromEnvs: fc.constantFrom('true', 'false'),
  Tags: tags,
}), mutability).map(([properties, tagMutability]): Properties => ({ ...properties, ...tagMutability }));

/** What a forward Update may change, valid or not. */
const change = fc.record(
  {
    ApplicationName: fc.constantFrom('shop', 'store'),
    RepositoryBaseName: fc.constantFrom('orders-api', 'orders--api', 'orders-v2'),
    UseKmsKey: fc.constantFrom('true', 'false', ''),
    ImagesRetained: fc.constantFrom('', '5', 'ten'),
    ImageTagMutability: fc.constantFrom('', 'MUTABLE', 'IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION', 'FROZEN'),
    ImageTagMutabilityExclusionFilters: fc.constantFrom('', 'latest', 'not a filter'),
    ShareableWithAllEnvs: fc.constantFrom('true', 'false', 'yes'),
    ShareWithOrganization: fc.constantFrom('true', 'false', 'maybe'),
    ShareWithOrganizationalUnitPaths: fc.constantFrom('', OU, OTHER_OU, `${OU},${OTHER_ORGANIZATION_OU}`, 'ou-ab12-11111111'),
    LambdaPullFromEnvs: fc.constantFrom('true', 'false'),
    Tags: tags,
    Colour: fc.constant('blue'),
  },
  { requiredKeys: [] },
);

/** Provider settings at the deploy, and later. */
const settings = fc.record({
  ORG_PREFIX: fc.constantFrom('acme', 'corp'),
  ORG_SSM_PARAMETER_PREFIX: fc.constantFrom('', '/platform/ecr'),
  ORG_MANDATORY_TAGS: fc.constantFrom('{"cost-center":"cc-42"}', '{"cost-center":"cc-42","team":"platform"}', '{}'),
  ORG_ORGANIZATION_ID: fc.constantFrom('', ORGANIZATION),
  ORG_IMAGE_TAG_MUTABILITY: fc.constantFrom('IMMUTABLE', 'MUTABLE'),
  ORG_UNTAGGED_IMAGE_EXPIRY_DAYS: fc.constantFrom('0', '14', '30'),
  ORG_REQUIRE_KMS_KEY: fc.constantFrom('false', 'true'),
});

/** Everything that lives (keys pending deletion left out), in a canonical order. */
function liveState(world: FakeWorld): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted((value as Record<string, unknown>)[key])]));
    }
    return value;
  };
  return JSON.stringify(
    sorted({
      repositories: Object.fromEntries(world.repositories),
      keys: Object.fromEntries(world.liveKeys().map((key) => [key.arn, key])),
      aliases: Object.fromEntries(world.aliases),
      parameters: Object.fromEntries(world.parameters),
    }),
  );
}

describe('createRepositoryHandler rollback invariant (properties)', () => {
  it('always succeeds on the swapped rollback of any forward Update and returns the world to what it was', async () => {
    await fc.assert(
      fc.asyncProperty(deployed, change, settings, settings, async (original, delta, before, after) => {
        // GIVEN a repository deployed under the settings of the day (never clashing with them)
        const world = new FakeWorld();
        const deploySettings = {
          ...before,
          ORG_MANDATORY_TAGS: '{"cost-center":"cc-42"}',
          ORG_ORGANIZATION_ID: ORGANIZATION,
          ...(original.UseKmsKey === 'false' ? { ORG_REQUIRE_KMS_KEY: 'false' } : {}),
        };
        const created = await givenProvider({ world, settings: givenSettingsEnv(deploySettings) }).send(givenCreateRequest(original));
        const id = created.physicalResourceId;
        // AND the settings changed since; the world as the deployed properties make it today
        const provider = givenProvider({ world, settings: givenSettingsEnv(after) });
        await provider.send(givenUpdateRequest({ physicalResourceId: id, old: original, new: original }));
        const baseline = liveState(world);

        // WHEN a forward Update runs, succeeding or refused
        const forwardProperties: Properties = { ...original, ...delta };
        const forward = await provider.send(givenUpdateRequest({ physicalResourceId: id, old: original, new: forwardProperties })).then(
          (outcome) => outcome.physicalResourceId,
          () => id,
        );
        // AND CloudFormation rolls it back: the Update swapped, then the Delete of a new id
        const rollback = await provider.send(givenUpdateRequest({ physicalResourceId: forward, old: forwardProperties, new: original }));
        if (rollback.physicalResourceId !== forward) await provider.send(givenDeleteRequest(forward, forwardProperties));

        // THEN the rollback answered the original id, and the world is as it was
        expect(rollback.physicalResourceId).toBe(id);
        expect(liveState(world)).toBe(baseline);
      }),
      { numRuns: 250 },
    );
  }, 120_000);
});
