/**
 * Long names are cut, never refused: every derived name (repository, alias, parameters) is
 * fitted to its service's limit with the naming hash rule.
 */
import { Limits } from '../../../handler/src/contract';
import { parseProperties } from '../../../handler/src/props/properties';
import { isRepositoryNameOf, parameterStemUnder, shortHash } from '../../../handler/src/props/rules';
import { givenProperties, givenSettingsEnv } from '../../helpers/given';
import { givenProvider } from '../../helpers/provider';
import { givenCreateRequest, givenDeleteRequest, givenUpdateRequest } from '../../helpers/requests';

describe('long names', () => {
  it('accepts name parts of any length that keep a letter or digit', () => {
    expect(parseProperties(givenProperties({ RepositoryBaseName: 'b'.repeat(300) }), {}).baseName).toHaveLength(300);
    expect(parseProperties(givenProperties({ ApplicationName: 'a'.repeat(5000) }), {}).applicationName).toHaveLength(5000);
    expect(() => parseProperties(givenProperties({ RepositoryBaseName: '-'.repeat(300) }), {})).toThrow('must contain at least one letter or digit');
  });

  it.each([
    ['a base name of 300 characters', 'b'.repeat(300), ''],
    ['a base name of 2000 characters under a long parameter prefix', 'orders-'.repeat(285), `/${'p'.repeat(500)}`],
  ])('creates, updates and deletes a repository with %s, every name within its limit', async (_case, base, parameterPrefix) => {
    // GIVEN a provider (maybe with a long parameter prefix) and a very long base name
    const { world, send } = givenProvider({ settings: givenSettingsEnv({ ORG_SSM_PARAMETER_PREFIX: parameterPrefix }) });
    const properties = givenProperties({ RepositoryBaseName: base, UseKmsKey: 'true' });

    // WHEN it is created and updated
    const created = await send(givenCreateRequest(properties));
    await send(givenUpdateRequest({ physicalResourceId: created.physicalResourceId, old: properties, new: { ...properties, ImagesRetained: '4' } }));

    // THEN the repository name is ECR's 256 at most, ending with the hash; the alias and parameters fit too
    const name = created.physicalResourceId;
    expect(name.length).toBeLessThanOrEqual(Limits.repositoryNameMax);
    expect(name).toMatch(/-[0-9a-z]{10}$/);
    expect(world.repositories.get(name)?.lifecyclePolicy).toContain('"countNumber":4');
    expect([...world.aliases.keys()].every((alias) => alias.length <= 256)).toBe(true);
    const parameters = [...world.parameters.keys()];
    expect(parameters).toHaveLength(3);
    for (const parameter of parameters) expect(parameter.length).toBeLessThanOrEqual(Limits.parameterNameMax);
    expect(created.data?.NameParameterName).toBe(parameters.find((parameter) => parameter.endsWith('_name')));

    // AND the Delete finds and removes all of it
    await send(givenDeleteRequest(name, properties));
    expect(world.repositories.size + world.aliases.size + world.parameters.size).toBe(0);
  });

  it('cuts a parameter stem with an uppercase hash of the whole stem, keeping room for the longest suffix', () => {
    const base = 'x'.repeat(2000);
    const stem = parameterStemUnder('/platform/', base);
    expect(stem.length + '_kms_key_arn'.length).toBe(Limits.parameterNameMax);
    expect(stem.endsWith(`_${shortHash(`/platform/ECR_${'X'.repeat(2000)}`).toUpperCase()}`)).toBe(true);
    expect(stem.startsWith('/platform/ECR_XXX')).toBe(true);
    expect(parameterStemUnder('', 'orders-api')).toBe('ECR_ORDERS_API');
  });

  it('recognises a repository name made under any earlier prefix, cut or not', () => {
    expect(isRepositoryNameOf('acme-shop-orders-api', 'shop', 'orders-api')).toBe(true);
    expect(isRepositoryNameOf('old-corp-shop-orders-api', 'Shop', 'Orders API')).toBe(true);
    expect(isRepositoryNameOf('acme-shop-orders-api', 'shop', 'orders')).toBe(false);
    expect(isRepositoryNameOf('acme-shop-orders-api-v2', 'shop', 'orders-api')).toBe(false);
    const long = 'b'.repeat(300);
    expect(isRepositoryNameOf(`corp-shop-${long}`.slice(0, 245) + `-${shortHash(`corp-shop-${long}`)}`, 'shop', long)).toBe(true);
  });
});
