/**
 * Tag keys named like Object.prototype members are ordinary keys everywhere: in the checks,
 * the settings, the desired state, the tag diff and the AWS adapters' maps.
 */
import { fromKeyValue, fromKmsTags } from '../../../handler/src/adapters/tags';
import { tagChanges } from '../../../handler/src/core/ownership';
import { parseProperties } from '../../../handler/src/props/properties';
import { parseSettings } from '../../../handler/src/props/settings';
import { givenProperties, givenSettingsEnv } from '../../helpers/given';
import { givenProvider } from '../../helpers/provider';
import { givenCreateRequest, givenUpdateRequest } from '../../helpers/requests';

const PROTOTYPE_KEYS = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
const asTags = (keys: readonly string[]) => keys.map((Key) => ({ Key, Value: `v-${Key}` }));

describe('tag keys named like Object.prototype members', () => {
  it('accepts them as consumer tags, each once', () => {
    const spec = parseProperties(givenProperties({ Tags: asTags(PROTOTYPE_KEYS) }), { 'cost-center': 'cc-42' });
    expect(Object.keys(spec.tags).sort()).toEqual([...PROTOTYPE_KEYS].sort());
    expect(Object.getOwnPropertyDescriptor(spec.tags, '__proto__')?.value).toBe('v-__proto__');
  });

  it('still refuses a key that is really repeated', () => {
    expect(() => parseProperties(givenProperties({ Tags: asTags(['toString', 'toString']) }), {})).toThrow('repeats the key "toString"');
  });

  it('keeps a mandatory tag __proto__ from the settings', () => {
    const settings = parseSettings(givenSettingsEnv({ ORG_MANDATORY_TAGS: '{"__proto__":"kept","constructor":"too"}' }));
    expect(Object.keys(settings.mandatoryTags).sort()).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(settings.mandatoryTags, '__proto__')?.value).toBe('kept');
  });

  it('diffs them like any key: sets the missing ones, removes the undesired ones', () => {
    const actual = fromKeyValue([{ Key: 'toString', Value: 'old' }, { Key: 'valueOf', Value: 'x' }]);
    const desired = parseProperties(givenProperties({ Tags: asTags(['toString', '__proto__']) }), {}).tags;
    const changes = tagChanges(actual, desired);
    expect(Object.entries(changes.set).sort()).toEqual([['__proto__', 'v-__proto__'], ['toString', 'v-toString']]);
    expect(changes.remove).toEqual(['valueOf']);
  });

  it('reads them back from the AWS tag lists as own keys', () => {
    expect(Object.keys(fromKeyValue([{ Key: '__proto__', Value: 'a' }]))).toEqual(['__proto__']);
    expect(Object.keys(fromKmsTags([{ TagKey: 'constructor', TagValue: 'b' }]))).toEqual(['constructor']);
  });

  it('puts them, and a mandatory __proto__, on the repository, the key and the parameters through Create and Update', async () => {
    // GIVEN the platform's mandatory tag __proto__
    const settings = givenSettingsEnv({ ORG_MANDATORY_TAGS: '{"__proto__":"org"}' });
    const { world, send } = givenProvider({ settings });
    const properties = givenProperties({ UseKmsKey: 'true', Tags: asTags(PROTOTYPE_KEYS.filter((key) => key !== '__proto__')) });

    // WHEN a repository is created, then its tags change
    await send(givenCreateRequest(properties));
    const updated = givenProperties({ UseKmsKey: 'true', Tags: asTags(['constructor', 'toString']) });
    await send(givenUpdateRequest({ physicalResourceId: 'acme-shop-orders-api', old: properties, new: updated }));

    // THEN every resource carries exactly the desired prototype-named keys
    const repository = world.repositories.get('acme-shop-orders-api')!;
    const key = world.keys.get(repository.kmsKeyArn!)!;
    for (const tags of [repository.tags, key.tags, world.parameters.get('ECR_ORDERS_API_name')!.tags]) {
      expect(Object.getOwnPropertyDescriptor(tags, '__proto__')?.value).toBe('org');
      expect(Object.getOwnPropertyDescriptor(tags, 'constructor')?.value).toBe('v-constructor');
      expect(Object.hasOwn(tags, 'valueOf')).toBe(false);
      expect(Object.hasOwn(tags, 'hasOwnProperty')).toBe(false);
    }
  });
});
